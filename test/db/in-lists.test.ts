/**
 * Store look-ups by a list of ids stay within SQLite's limit of 32,766 bound variables per
 * statement (issue 7: 40,000 ids failed with "too many SQL variables"), whatever the caller
 * passes, and keep their documented order.
 */
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let genome: number;
const models: number[] = [];
/** 40,000 ids: the two real models hidden among ids that match nothing */
let ids: number[];

beforeAll(async () => {
  app = await startTestApp();
  const { services } = app;
  const g = await services.genomes.create({ name: 'g', genes: ['a', 'b'] });
  genome = g.id;
  for (const name of ['x', 'y']) {
    const model = await services.models.register({ name, provider: 'external' });
    models.push(model.id);
    await services.samples.append(model, g, [{ gene: 0, text: `${name} text` }], 'IMPORTED');
  }
  await services.scores.set(models.map((id) => ({ model: String(id), benchmark: 'ARC', value: 0.5 })));
  ids = Array.from({ length: 40_000 }, (_, i) => 40_000 - i);
});

afterAll(() => app.stopAndClean());

it('getModels, getPopulations, populationRevisions and scoresOf take 40,000 ids', async () => {
  const { store } = app.services;
  expect((await store.getModels(ids)).map((m) => m.id).sort()).toEqual(models);
  expect((await store.getPopulations(genome, ids)).map((p) => p.modelId)).toEqual(models);
  expect((await store.populationRevisions(genome, ids)).map((p) => p.modelId)).toEqual(models);
  expect((await store.scoresOf(ids)).map((s) => s.modelId)).toEqual(models);
});

it('getModelsByNames takes 40,000 names (a models list of names, issue 9)', async () => {
  const names = Array.from({ length: 40_000 }, (_, i) => (i === 123 ? 'x' : i === 39_000 ? 'y' : `nobody-${i}`));
  const found = await app.services.store.getModelsByNames(names);
  expect(found.map((m) => m.id).sort((a, b) => a - b)).toEqual(models);
});

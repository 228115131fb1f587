/**
 * Evidence (coverage per model) is counted by a compute task, so with a worker pool a cold matrix
 * of many models does not parse every population on the event loop; the counts are kept by
 * population revision, so the next request does not count again, and new samples count anew.
 */
import { startGraphQL, type GraphQLHarness } from '../helpers/graphql';

let h: GraphQLHarness;
let genome: string;
const models: string[] = [];
const GENES = 8;

const completions = (m: number, perGene: number) =>
  Array.from({ length: GENES * perGene }, (_, k) => ({ gene: k % GENES, text: ` ${(k * (m + 3)) % (m + 2)} x` }));

beforeAll(async () => {
  h = await startGraphQL();
  const s = h.services;
  genome = String((await s.genomes.create({ name: 'g', genes: Array.from({ length: GENES }, (_, i) => `q${i}`) })).id);
  for (let m = 0; m < 6; m++) {
    const model = await s.models.register({ name: `m${m}`, provider: 'external', family: `f${m % 3}` });
    await s.samples.importCompletions({ model: String(model.id), genome, completions: completions(m, 3) });
    models.push(String(model.id));
  }
});

afterAll(() => h.close());

const coverageRuns = () => h.services.compute.stats().coverage.runs;

it('counts the coverage of every cold model in one task, once per population revision', async () => {
  const before = coverageRuns();
  const first = await h.services.distances.matrix({ genome });
  expect(first.matrix.modelIds).toHaveLength(6);
  expect(coverageRuns() - before).toBe(1);
  await h.services.distances.matrix({ genome });
  expect(coverageRuns() - before).toBe(1);
  await h.services.samples.importCompletions({ model: models[0], genome, completions: completions(0, 1) });
  const coverage = await h.services.evidence.coverage(await h.services.genomes.get(genome), Number(models[0]));
  expect(coverage).toMatchObject({ genes: GENES, genesWithSamples: GENES, samples: GENES * 4 });
  expect(coverageRuns() - before).toBe(2);
});

it('reads the genome-wide population list again only after a population changed', async () => {
  const read = jest.spyOn(h.services.store, 'populationRevisions');
  const id = Number(genome);
  const first = await h.services.populations.revisions(id);
  const again = await h.services.populations.revisions(id);
  expect(again).toEqual(first);
  // a write that leaves every population as it was
  await h.services.models.register({ name: 'no-samples', provider: 'external' });
  expect(await h.services.populations.revisions(id)).toEqual(first);
  expect(read.mock.calls.filter(([, models]) => models === undefined)).toHaveLength(1);
  await h.services.samples.importCompletions({ model: models[1], genome, completions: completions(1, 1) });
  const after = await h.services.populations.revisions(id);
  expect(read.mock.calls.filter(([, models]) => models === undefined)).toHaveLength(2);
  const moved = after.find((r) => r.modelId === Number(models[1]))!;
  expect(moved.revision).toBeGreaterThan(first.find((r) => r.modelId === Number(models[1]))!.revision);
  read.mockRestore();
});

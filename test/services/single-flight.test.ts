/**
 * Single flight: identical concurrent requests share one computation (the services' tasks are
 * counted by the observed Compute), and a computation that finished while nobody waited any more
 * is found in the cache by the next request instead of running again.
 */
import { startGraphQL, type GraphQLHarness } from '../helpers/graphql';

let h: GraphQLHarness;
let genome: string;
let models: string[];

beforeAll(async () => {
  h = await startGraphQL();
  const s = h.services;
  const created = await s.genomes.create({ name: 'g', genes: Array.from({ length: 16 }, (_, i) => `gene ${i}`) });
  genome = String(created.id);
  models = [];
  for (let m = 0; m < 12; m++) {
    const model = await s.models.register({ name: `m${m}`, provider: 'external', family: `f${m % 4}` });
    const completions = Array.from({ length: 16 * 4 }, (_, k) => ({
      gene: k % 16,
      text: ` ${(k * (m + 3)) % (m + 2)}${m % 2} x`,
    }));
    await s.samples.importCompletions({ model: String(model.id), genome, completions });
    models.push(String(model.id));
  }
  await s.scores.set(models.map((model, i) => ({ model, benchmark: 'b', value: 0.05 + 0.07 * i })));
});

afterAll(() => h.close());

const runs = (task: 'similarity' | 'tree' | 'predict' | 'evaluate') => h.services.compute.stats()[task].runs;

it('ten identical tree requests at once run one matrix and one tree (with bootstrap) between them', async () => {
  const before = { similarity: runs('similarity'), tree: runs('tree') };
  const request = { genome, models, method: 'NJ' as const, bootstrap: 20, root: 'NONE' as const };
  const trees = await Promise.all(Array.from({ length: 10 }, () => h.services.trees.build(request)));
  expect(new Set(trees.map((t) => t.newick)).size).toBe(1);
  expect(trees[0].bootstrap).toBe(20);
  expect(runs('similarity') - before.similarity).toBe(1);
  expect(runs('tree') - before.tree).toBe(1);
});

it('identical concurrent predictions and evaluations share one fit each', async () => {
  const before = { predict: runs('predict'), evaluate: runs('evaluate') };
  const ask = { model: models[0], benchmark: 'b', genome, method: 'knn' };
  const [predictions, evaluations] = await Promise.all([
    Promise.all(Array.from({ length: 5 }, () => h.services.predictions.predict(ask))),
    Promise.all(
      Array.from({ length: 5 }, () => h.services.predictions.evaluate({ benchmark: 'b', genome, method: 'knn' })),
    ),
  ]);
  expect(new Set(predictions.map((p) => p.value)).size).toBe(1);
  expect(new Set(evaluations.map((e) => e.mae)).size).toBe(1);
  expect(runs('predict') - before.predict).toBe(1);
  expect(runs('evaluate') - before.evaluate).toBe(1);
});

it('a computation whose caller went away is not run again for the next caller', async () => {
  const request = { genome, models: models.slice(0, 4), method: 'UPGMA' as const, bootstrap: 0, root: 'NONE' as const };
  const before = runs('tree');
  // the first caller stops waiting at once (a client that disconnected); the work goes on
  void h.services.trees.build(request).catch(() => undefined);
  const again = await h.services.trees.build(request);
  const later = await h.services.trees.build(request);
  expect(later.newick).toBe(again.newick);
  expect(runs('tree') - before).toBe(1);
});

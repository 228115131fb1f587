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

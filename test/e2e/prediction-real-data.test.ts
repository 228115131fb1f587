/**
 * Benchmark prediction on real data over HTTP: the 59 models of the MisguidedAttention fixture
 * (58 with a judge score, `score_mean_judge`, imported as benchmark "MisguidedAttention" with
 * `importScores`), leave-one-family-out for every predictor, the table printed.
 */
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { fixtureCompletions, fixtureGenes, fixtureModels, judgeScores } from '../helpers/misguided-attention';

const BENCHMARK = 'MisguidedAttention';
const EVALUATE = `query ($benchmark: String!, $genome: ID!, $method: String) {
  predictionEvaluation(benchmark: $benchmark, genome: $genome, method: $method) {
    method calibration n pearson mae coverage level meanWidth points { model { name family } actual predicted low high }
  }
}`;

let app: TestApp;
let genome: string;
const models = fixtureModels();

beforeAll(async () => {
  app = await startTestApp();
  const { services } = app;
  const genes = fixtureGenes();
  const created = await services.genomes.create({ name: 'misguided-attention', genes: genes.map((g) => g.text) });
  genome = String(created.id);
  const geneIndex = new Map(genes.map((g, i) => [g.id, i]));
  for (const m of models) {
    const model = await services.models.register({
      name: m.name,
      provider: 'external',
      family: m.family,
      mode: 'CHAT',
    });
    const completions = fixtureCompletions(m, geneIndex).map((c) => ({ gene: c.gene, sample: c.sample, text: c.text }));
    await services.samples.append(model, created, completions, 'IMPORTED');
  }
  const scores = judgeScores();
  const csv = [`model,${BENCHMARK}`, ...models.map((m) => `${m.name},${scores.get(m.name) ?? ''}`)].join('\n');
  const imported = dataOf(
    await app.gql(
      `mutation ($input: ImportScoresInput!) { importScores(input: $input) { matched unmatched written } }`,
      {
        input: { format: 'CSV', data: csv },
      },
    ),
  ).importScores;
  expect(imported).toEqual({ matched: 58, unmatched: [], written: 58 });
}, 60_000);

afterAll(() => app.stopAndClean());

describe('evaluation table on MisguidedAttention (real data)', () => {
  it('every predictor is evaluated; the default beats reference on MAE', async () => {
    const { predictors, defaultPredictor } = dataOf(await app.gql('{ predictors defaultPredictor }'));
    const rows: {
      method: string;
      calibration: string;
      n: number;
      pearson: number;
      mae: number;
      coverage: number;
      meanWidth: number;
      points: { low: number; high: number; predicted: number }[];
    }[] = [];
    for (const method of predictors as string[]) {
      rows.push(dataOf(await app.gql(EVALUATE, { benchmark: BENCHMARK, genome, method })).predictionEvaluation);
    }
    const lines = rows.map(
      (e) =>
        `${e.method.padEnd(13)} ${String(e.n).padStart(3)}  ${e.pearson.toFixed(3).padStart(6)}  ${e.mae.toFixed(3)}  ${e.coverage.toFixed(3).padStart(8)}  ${e.meanWidth.toFixed(3).padStart(6)}`,
    );
    // the evaluation table is what the issue asks for: print it
    console.log(
      [
        'leave-one-family-out, MisguidedAttention (58 models, 16 families)',
        'predictor       n       r    MAE  coverage  width',
        ...lines,
      ].join('\n'),
    );
    const of = (name: string) => rows.find((r) => r.method === name)!;
    // every predictor reports one honest interval per model (this is the one place the nested
    // intervals on this data are computed; test/core/prediction/real-data.test.ts checks the MAE)
    for (const row of rows) {
      // tuned selects once per allele length: five times the work per fit, so cross intervals
      expect(row).toMatchObject({ n: 58, calibration: row.method === 'tuned' ? 'cross' : 'nested' });
      expect(row.points).toHaveLength(58);
      expect(row.coverage).toBeGreaterThan(0.5);
    }
    expect(of(defaultPredictor).mae).toBeLessThan(of('reference').mae);
    // issue 15: the default beats the previous one (ensemble) on MAE and r, and its 80% intervals hold
    expect(of(defaultPredictor).mae).toBeLessThan(of('ensemble').mae);
    expect(of(defaultPredictor).pearson).toBeGreaterThan(of('ensemble').pearson);
    expect(of(defaultPredictor).coverage).toBeGreaterThanOrEqual(0.7);
    expect(of(defaultPredictor).coverage).toBeLessThanOrEqual(0.9);
    expect(of(defaultPredictor).points.every((p) => p.low <= p.predicted && p.predicted <= p.high)).toBe(true);
    // generous: about 11 s of computing on an idle core, several times that on a busy machine
  }, 300_000);

  it('prediction() for one model answers from its relatives', async () => {
    const target = models.find((m) => judgeScores().get(m.name))!;
    const id = dataOf(await app.gql(`{ model(name: "${target.name}") { id } }`)).model.id;
    const p = dataOf(
      await app.gql(
        `query ($m: ID!, $g: ID!) { prediction(model: $m, benchmark: "${BENCHMARK}", genome: $g) { value low high method neighbors { model { name } distance score } } }`,
        { m: id, g: genome },
      ),
    ).prediction;
    expect(p.low).toBeLessThanOrEqual(p.value);
    expect(p.value).toBeLessThanOrEqual(p.high);
    expect(p.neighbors.map((n: { model: { name: string } }) => n.model.name)).not.toContain(target.name);
  });
});

/**
 * Issue 15, item 3: a cold `predictionEvaluation` with allele-length selection (`tuned`: lengths
 * 4, 6, 8, 12, 16) over 200 scored models x 805 genes, through HTTP, and the same query cached.
 * Cold is reported in steps: the reference matrix, then the other lengths' matrices (recounted
 * from the raw samples on the worker pool), then each method's evaluation with those matrices
 * cached (the sum is the fully cold figure). The other lengths are built as the prediction
 * service builds them, together, each model's raw samples read once for all four; for
 * comparison the same four are also built one at a time, each reading the samples again (as
 * before), on a copy of the genome so neither finds the other's counts. For comparison:
 * `multiscale` (the default) and `ensemble` (reference length only), and a cold and a cached
 * `prediction` of each. Cached queries through HTTP: the median of 15 against the prediction
 * bench's cached-query target (20 ms) and the p99 of 50 against the cached-query p99 (100 ms).
 *   BENCH=prediction-lengths npm run bench      (BENCH_MODELS=200, BENCH_SAMPLES=8 by default)
 */
import { startBenchApp } from './app';
import { postGraphQL } from './http';
import { syntheticGenome, syntheticSamples } from './synthetic';
import { median, report, time } from './timing';
import { createRandom, normal } from '../src/core/random';
import { TUNED_ALLELE_LENGTHS } from '../src/core/prediction/tuned';
import { defaultPredictorName } from '../src/core/prediction/registry';

const MODELS = Number(process.env.BENCH_MODELS ?? 200);
const GENES = 805;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 8);
const FAMILIES = 20;

const EVALUATE = `query ($g: ID!, $method: String) { predictionEvaluation(benchmark: "bench", genome: $g, method: $method) { method calibration n pearson mae coverage folds { heldOut hyperparameters { name value } } } }`;
const PREDICT = `query ($m: ID!, $g: ID!, $method: String) { prediction(model: $m, benchmark: "bench", genome: $g, method: $method) { value low high hyperparameters { name value } } }`;

/** p99 of `times` runs, in ms */
async function p99(times: number, run: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) ms.push((await time(run)).ms);
  ms.sort((a, b) => a - b);
  return ms[Math.min(ms.length - 1, Math.ceil(0.99 * ms.length) - 1)];
}

export async function benchPredictionLengths(): Promise<void> {
  process.stdout.write(
    `${MODELS} scored models in ${FAMILIES} families, ${GENES} genes x ${SAMPLES} samples (+1 unscored target); default predictor ${defaultPredictorName}\n`,
  );
  const app = await startBenchApp();
  try {
    const { services, server } = app;
    const synthetic = syntheticGenome(GENES);
    const genome = await services.genomes.create({ name: 'bench', genes: synthetic.genes });
    // the same samples on a second genome, for the one-length-at-a-time comparison
    const copy = await services.genomes.create({ name: 'bench-copy', genes: synthetic.genes.map((t) => `${t} `) });
    const random = createRandom(5);
    const scores = [];
    let target = '';
    for (let m = 0; m <= MODELS; m++) {
      const family = m % FAMILIES;
      const model = await services.models.register({ name: `m${m}`, provider: 'external', family: `f${family}` });
      const samples = syntheticSamples(synthetic, m, SAMPLES);
      await services.samples.append(model, genome, samples, 'IMPORTED');
      await services.samples.append(model, copy, samples, 'IMPORTED');
      // a score that depends on the family and the model, so there is something to learn
      if (m < MODELS)
        scores.push({
          model: String(model.id),
          benchmark: 'bench',
          value: 1 / (1 + Math.exp(-(family / 10 - 1 + 0.5 * normal(random)))),
        });
      else target = String(model.id);
    }
    await services.scores.set(scores);
    const g = String(genome.id);
    let reads = 0;
    const sampleTexts = services.store.sampleTexts.bind(services.store);
    services.store.sampleTexts = (...args) => {
      reads++;
      return sampleTexts(...args);
    };

    // cold, step by step: the matrices (what every method then shares), then each evaluation
    const reference = await time(() => services.distances.similarity(genome));
    report(`reference matrix (allele length 4), ${MODELS + 1} models, cold`, reference.ms);
    const others = TUNED_ALLELE_LENGTHS.slice(1);
    const apart = await time(async () => {
      await services.distances.similarity(copy);
      for (const length of others) await services.distances.similarity(copy, undefined, length);
    });
    report(`  lengths ${others} one at a time (${reads} raw-sample reads), cold, for comparison`, apart.ms);
    reads = 0;
    const together = await time(() =>
      Promise.all(others.map((length) => services.distances.similarity(genome, undefined, length, others))),
    );
    report(`  lengths ${others} together (${reads} raw-sample reads), cold`, together.ms);
    reads = 0;
    const matrices = reference.ms + together.ms;
    for (const method of [defaultPredictorName, 'tuned', 'ensemble']) {
      const cold = await time(() => services.predictions.evaluate({ benchmark: 'bench', genome: g, method }));
      const e = cold.value;
      report(`${method}: cold evaluation, matrices cached (${e.calibration}, MAE ${e.mae.toFixed(3)})`, cold.ms);
      const lengths = method === 'ensemble' ? reference.ms : matrices;
      report(`${method}: cold evaluation including its matrices`, cold.ms + lengths);
      await services.writes.flush();
      const cached = await median(15, () => postGraphQL(server.url, EVALUATE, { g, method }));
      report(`${method}: cached evaluation through HTTP (median of 15)`, cached, 20);
      const cachedP99 = await p99(50, () => postGraphQL(server.url, EVALUATE, { g, method }));
      report(`${method}: cached evaluation through HTTP (p99 of 50)`, cachedP99, 100);
      const predict = await time(() => postGraphQL(server.url, PREDICT, { m: target, g, method }));
      report(`${method}: cold prediction through HTTP (matrices cached)`, predict.ms, 1000);
      report(`${method}: cold prediction including its matrices`, predict.ms + lengths);
      await services.writes.flush();
      const again = await p99(50, () => postGraphQL(server.url, PREDICT, { m: target, g, method }));
      report(`${method}: cached prediction through HTTP (p99 of 50)`, again, 100);
    }
    if (reads !== 0) throw new Error(`the evaluations and predictions read raw samples ${reads} times more`);
  } finally {
    await app.close();
  }
}

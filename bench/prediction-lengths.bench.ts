/**
 * Issue 15, item 3: a cold `predictionEvaluation` with allele-length selection (`tuned`: lengths
 * 4, 6, 8, 12, 16) over 200 scored models x 805 genes, through HTTP, and the same query cached.
 * Cold is reported in steps: the reference matrix and each other length's (recounted from the raw
 * samples on the worker pool), then each method's evaluation with those matrices cached (the
 * sum is the fully cold figure). For comparison: `multiscale` and `ensemble` (reference length
 * only), and a cold `prediction` of each.
 * The cached target is the cached-query one of the prediction bench (20 ms).
 *   BENCH=prediction-lengths npm run bench      (BENCH_MODELS=200, BENCH_SAMPLES=8 by default)
 */
import { startBenchApp } from './app';
import { postGraphQL } from './http';
import { syntheticGenome, syntheticSamples } from './synthetic';
import { median, report, time } from './timing';
import { createRandom, normal } from '../src/core/random';
import { TUNED_ALLELE_LENGTHS } from '../src/core/prediction/tuned';

const MODELS = Number(process.env.BENCH_MODELS ?? 200);
const GENES = 805;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 8);
const FAMILIES = 20;

const EVALUATE = `query ($g: ID!, $method: String) { predictionEvaluation(benchmark: "bench", genome: $g, method: $method) { method calibration n pearson mae coverage folds { heldOut hyperparameters { name value } } } }`;
const PREDICT = `query ($m: ID!, $g: ID!, $method: String) { prediction(model: $m, benchmark: "bench", genome: $g, method: $method) { value low high hyperparameters { name value } } }`;

export async function benchPredictionLengths(): Promise<void> {
  process.stdout.write(
    `${MODELS} scored models in ${FAMILIES} families, ${GENES} genes x ${SAMPLES} samples (+1 unscored target)\n`,
  );
  const app = await startBenchApp();
  try {
    const { services, server } = app;
    const synthetic = syntheticGenome(GENES);
    const genome = await services.genomes.create({ name: 'bench', genes: synthetic.genes });
    const random = createRandom(5);
    const scores = [];
    let target = '';
    for (let m = 0; m <= MODELS; m++) {
      const family = m % FAMILIES;
      const model = await services.models.register({ name: `m${m}`, provider: 'external', family: `f${family}` });
      await services.samples.append(model, genome, syntheticSamples(synthetic, m, SAMPLES), 'IMPORTED');
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

    // cold, step by step: the matrices (what every method then shares), then each evaluation
    const reference = await time(() => services.distances.similarity(genome));
    report(`reference matrix (allele length 4), ${MODELS + 1} models, cold`, reference.ms);
    let matrices = reference.ms;
    for (const length of TUNED_ALLELE_LENGTHS.slice(1)) {
      const m = await time(() => services.distances.similarity(genome, undefined, length));
      report(`  matrix at allele length ${length}, recounted from the raw samples, cold`, m.ms);
      matrices += m.ms;
    }
    for (const method of ['tuned', 'multiscale', 'ensemble']) {
      const cold = await time(() => services.predictions.evaluate({ benchmark: 'bench', genome: g, method }));
      const e = cold.value;
      report(`${method}: cold evaluation, matrices cached (${e.calibration}, MAE ${e.mae.toFixed(3)})`, cold.ms);
      const lengths = method === 'ensemble' ? reference.ms : matrices;
      report(`${method}: cold evaluation including its matrices`, cold.ms + lengths);
      await services.writes.flush();
      const cached = await median(15, () => postGraphQL(server.url, EVALUATE, { g, method }));
      report(`${method}: cached evaluation through HTTP (median of 15)`, cached, 20);
      const predict = await time(() => postGraphQL(server.url, PREDICT, { m: target, g, method }));
      report(`${method}: cold prediction through HTTP (matrices cached)`, predict.ms, 1000);
    }
  } finally {
    await app.close();
  }
}

/**
 * Issue targets for benchmark predictions, at 1,000 scored models x 128 genes x 32 samples:
 *   cached prediction through HTTP <= 20 ms; cold prediction (distance matrices already cached,
 *   at every allele length the default predictor reads; predictor fitted and calibrated) <= 1 s. Also the bare predictor fits on 1,000 models (the
 *   measurement that used to be test/core/prediction/speed.test.ts).
 */
import { neiDistance } from '../src/core/genetics/nei';
import { createRandom, getPredictor, normal } from '../src/core/prediction';
import { alleleLengthsOf } from '../src/services/prediction.service';
import { startBenchApp } from './app';
import { syntheticGenome, syntheticSamples } from './synthetic';
import { postGraphQL } from './http';
import { median, report, time } from './timing';

const MODELS = Number(process.env.BENCH_MODELS ?? 1000);
const GENES = 128;
const SAMPLES = 32;
const FAMILIES = 40;

const PREDICT = `query ($m: ID!, $g: ID!) { prediction(model: $m, benchmark: "bench", genome: $g) { value low high method neighbors { model { id name } distance score } } }`;

export async function benchPrediction(): Promise<void> {
  const app = await startBenchApp();
  const { services, server } = app;
  try {
    const synthetic = syntheticGenome(GENES);
    const genome = await services.genomes.create({ name: 'bench', genes: synthetic.genes });
    const random = createRandom(5);
    process.stdout.write(
      `setup: ${MODELS} scored models in ${FAMILIES} families, ${GENES} genes x ${SAMPLES} samples (+ 4 unscored targets)\n`,
    );
    const setup = await time(async () => {
      const scores = [];
      for (let m = 0; m < MODELS + 4; m++) {
        const model = await services.models.register({
          name: `m${m}`,
          provider: 'external',
          family: `f${m % FAMILIES}`,
        });
        await services.samples.append(model, genome, syntheticSamples(synthetic, m, SAMPLES), 'IMPORTED');
        // the last 4 models are the prediction targets and stay unscored
        if (m < MODELS)
          scores.push({ model: String(model.id), benchmark: 'bench', value: 1 / (1 + Math.exp(-normal(random))) });
      }
      await services.scores.set(scores);
    });
    report('setup (service-level inserts, not a target)', setup.ms);

    const matrix = await time(() => services.distances.similarity(genome));
    report(`distance matrix of ${MODELS + 4} models (cold, not a target here)`, matrix.ms);
    // the default predictor may read other allele lengths (multiscale): their matrices are cached too
    const lengths = alleleLengthsOf(null);
    if (lengths.length > 0) {
      const others = await time(() =>
        Promise.all(lengths.map((l) => services.distances.similarity(genome, undefined, l))),
      );
      report(`  the same at allele lengths ${lengths.join(', ')} (cold, not a target here)`, others.ms);
    }

    const targets = matrix.value.modelIds.slice(MODELS).map(String);
    const g = String(genome.id);
    const cold: number[] = [];
    for (const m of targets.slice(0, 3)) cold.push((await time(() => postGraphQL(server.url, PREDICT, { m, g }))).ms);
    cold.sort((a, b) => a - b);
    report(`cold prediction vs ${MODELS} scored models, HTTP (median of 3)`, cold[1], 1000);
    const direct = await time(() => services.predictions.predict({ model: targets[3], benchmark: 'bench', genome: g }));
    report('  same, service call without HTTP', direct.ms);
    await services.writes.flush();

    const cached = await median(15, () => postGraphQL(server.url, PREDICT, { m: targets[0], g }));
    report('cached prediction through HTTP (median of 15)', cached, 20);
    const cachedService = await median(15, () =>
      services.predictions.predict({ model: targets[0], benchmark: 'bench', genome: g }),
    );
    report('  same, service call (no HTTP response cache)', cachedService);

    benchPredictorFits(matrix.value.similarity, matrix.value.modelIds.length, random);
  } finally {
    await app.close();
  }
}

/** A bare fit + one prediction on MODELS models, best of 3 cold runs (was a timing test). */
function benchPredictorFits(similarity: Float64Array, size: number, random: () => number): void {
  const n = MODELS;
  const distances = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) distances[i * n + j] = i === j ? 0 : neiDistance(similarity[i * size + j]);
  const scores = Array.from({ length: n }, () => random());
  const query = Array.from({ length: n }, (_, j) => neiDistance(similarity[n * size + j]));
  for (const name of ['knn', 'kernel-ridge']) {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const start = process.hrtime.bigint();
      getPredictor(name).fit({ distances, scores }, { seed: run }).predict(query);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    }
    report(`${name}: fit ${n} models + predict one (best of 3)`, best, 1000);
  }
}

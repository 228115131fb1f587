/**
 * Issue targets for the core pipeline, at 1,000 models x 128 genes x 32 samples:
 *   cold distance matrix <= 2 s; cached through HTTP <= 50 ms; one more model <= 100 ms;
 *   NJ on 1,000 taxa <= 1 s (beside R ape::nj when R is installed); one model's 4,096-sample
 *   import <= 300 ms.
 */
import { neighborJoining } from '../src/core/tree/neighbor-joining';
import { apeNj } from './ape';
import { startBenchApp } from './app';
import { distancesOf } from '../src/services/distance.service';
import { syntheticGenome, syntheticSamples } from './synthetic';
import { medianFromAnotherProcess, postGraphQL } from './http';
import { median, report, time } from './timing';

const MODELS = Number(process.env.BENCH_MODELS ?? 1000);
const GENES = 128;
const SAMPLES = 32;

export async function benchDistances(): Promise<void> {
  const app = await startBenchApp();
  const { services, server } = app;
  try {
    const synthetic = syntheticGenome(GENES);
    const genome = await services.genomes.create({ name: 'bench', genes: synthetic.genes });
    process.stdout.write(
      `setup: ${MODELS} models x ${GENES} genes x ${SAMPLES} samples (${MODELS * GENES * SAMPLES} samples)\n`,
    );
    const setup = await time(async () => {
      for (let m = 0; m < MODELS; m++) {
        const model = await services.models.register({ name: `m${m}`, provider: 'external' });
        await services.samples.append(model, genome, syntheticSamples(synthetic, m, SAMPLES), 'IMPORTED');
      }
    });
    report('setup (service-level inserts, not a target)', setup.ms);

    const importQuery = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`;
    const importTimes: number[] = [];
    for (let k = 0; k < 5; k++) {
      const model = await services.models.register({ name: `import-${k}`, provider: 'external' });
      const completions = syntheticSamples(synthetic, 5000 + k, SAMPLES);
      importTimes.push(
        (
          await time(() =>
            postGraphQL(server.url, importQuery, {
              input: { model: String(model.id), genome: String(genome.id), completions },
            }),
          )
        ).ms,
      );
    }
    importTimes.sort((a, b) => a - b);
    report('import one model, 4,096 samples, HTTP (median of 5)', importTimes[2], 300);

    const all = (await services.store.listModels({}, null, MODELS)).filter((m) => m.name.startsWith('m'));
    const ids = all.map((m) => String(m.id));
    const matrixQuery = `query ($g: ID!, $m: [ID!]) { distanceMatrix(genome: $g, models: $m) { fingerprint distance } }`;
    const variables = { g: String(genome.id), m: ids };

    const cold = await time(() => services.distances.similarity(genome, all));
    report(`cold distance matrix, ${all.length} models (computed, stored)`, cold.ms, 2000);
    const coldHttp = await time(() => postGraphQL(server.url, matrixQuery, variables));
    report('first HTTP answer of that matrix (GraphQL serialises 1M floats)', coldHttp.ms);
    const cachedHttp = await medianFromAnotherProcess(server.url, matrixQuery, variables, 9);
    report('cached distance matrix through HTTP, client in another process (median of 9)', cachedHttp, 50);
    const cachedSameProcess = await median(7, () => postGraphQL(server.url, matrixQuery, variables));
    report('same, client (fetch) in the server process (median of 7)', cachedSameProcess);

    const extra = await services.models.register({ name: 'one-more', provider: 'external' });
    await services.samples.append(extra, genome, syntheticSamples(synthetic, 9999, SAMPLES), 'IMPORTED');
    const plusOne = await time(() => services.distances.similarity(genome, [...all, extra]));
    report(`add one model to the cached ${all.length} (matrix of ${all.length + 1})`, plusOne.ms, 100);
    const plusOneHttp = await time(() =>
      postGraphQL(server.url, matrixQuery, { g: String(genome.id), m: [...ids, String(extra.id)] }),
    );
    report('same, first HTTP answer (incl. GraphQL serialisation)', plusOneHttp.ms);

    const distance = distancesOf(cold.value.similarity);
    const names = all.map((m) => m.name);
    const nj = await median(3, () => neighborJoining(distance, names));
    report(`NJ on ${all.length} taxa (median of 3)`, nj, 1000);
    const ape = apeNj(distance, names, 3);
    if (ape) report(`R ape::nj on the same ${all.length} taxa (mean of 3, for comparison)`, ape.ms);
  } finally {
    await app.close();
  }
}

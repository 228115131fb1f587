/**
 * `npm run bench`: runs every benchmark and prints each measurement beside its target with the
 * ratio (measured / target). Timings are reported, never asserted by tests.
 *   BENCH=distances npm run bench   runs one group; BENCH_MODELS=200 shrinks the data set.
 *   BENCH=load BENCH_LOAD_SECONDS=10 npm run bench   the load test (bench/load.bench.ts), shorter.
 *   BENCH=store BENCH_STORE_MODELS=1000 npm run bench   SQLite beside PostgreSQL (bench/store.bench.ts).
 *   BENCH=computations npm run bench   one cached 100 and 800 MB payload stored and read back on each store.
 *   BENCH=dashboard npm run bench   first paint of the dashboard in Chromium, bundle sizes.
 *   BENCH=probing-cost npm run bench   one model's probing cost: reference, batch (estimate and a job run
 *     through the fake batch server), adaptive, designed genome (bench/probing-cost*.ts).
 *   BENCH=nj npm run bench   NJ at 1,000 to 10,000 taxa beside R ape::nj (bench/nj.bench.ts).
 *   BENCH=hubmatrix npm run bench   cold matrices of 1,000 to 10,000 models, the 10,000-model file streamed.
 */
import 'reflect-metadata';
import { benchComputations } from './computations.bench';
import { benchDashboard } from './dashboard.bench';
import { benchDistances } from './distances.bench';
import { benchExports } from './exports.bench';
import { benchHubMatrix } from './hubmatrix.bench';
import { benchIdentity } from './identity.bench';
import { benchLoad } from './load.bench';
import { benchNj } from './nj.bench';
import { benchPrediction } from './prediction.bench';
import { benchPredictionEvidence } from './prediction-evidence.bench';
import { benchPredictionLengths } from './prediction-lengths.bench';
import { benchProbing } from './probing.bench';
import { benchProbingCost } from './probing-cost';
import { benchProbingPlans } from './probing-cost.bench';
import { benchResponsiveness } from './responsiveness.bench';
import { benchSimulated } from './simulated.bench';
import { benchWorkers } from './workers.bench';
import { benchStore } from './store.bench';

const GROUPS: Record<string, () => Promise<void>> = {
  computations: benchComputations,
  dashboard: benchDashboard,
  distances: benchDistances,
  exports: benchExports,
  hubmatrix: benchHubMatrix,
  identity: benchIdentity,
  load: benchLoad,
  nj: benchNj,
  prediction: benchPrediction,
  'prediction-evidence': benchPredictionEvidence,
  'prediction-lengths': benchPredictionLengths,
  probing: benchProbing,
  'probing-cost': async () => {
    await benchProbingCost();
    await benchProbingPlans();
  },
  responsiveness: benchResponsiveness,
  simulated: benchSimulated,
  workers: benchWorkers,
  store: benchStore,
};

async function main(): Promise<void> {
  const chosen = process.env.BENCH ? process.env.BENCH.split(',') : Object.keys(GROUPS);
  process.stdout.write(`PhyloLM benchmarks on node ${process.version}, ${new Date().toISOString()}\n`);
  for (const name of chosen) {
    const group = GROUPS[name];
    if (!group) throw new Error(`unknown benchmark group "${name}"; available: ${Object.keys(GROUPS).join(', ')}`);
    process.stdout.write(`\n== ${name}\n`);
    await group();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

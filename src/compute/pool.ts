/**
 * The worker-thread pool (piscina) behind the services' `Compute`: matrix builds, trees,
 * bootstrap, predictions, evaluations and allele re-counting run here, so the event loop only
 * does I/O and small work and `/healthz` answers while they run. Sized by PHYLOLM_WORKERS
 * (src/config.ts); tasks beyond the pool's size wait in its queue.
 *
 * The worker is the compiled `worker.js`: next to this file when it runs from dist/, or, under
 * ts-jest (which cannot load TypeScript in a worker thread), from dist/ at the project root,
 * which `npm run build` writes (the e2e test project builds it once before its tests).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { PhyloInputError } from '../core/errors';
import { projectRoot } from '../paths';
import type { Compute } from '../services/compute';
import type { WorkerAnswer } from './worker';

export function workerScript(): string {
  const beside = join(__dirname, 'worker.js');
  if (existsSync(beside)) return beside;
  const built = join(projectRoot, 'dist', 'src', 'compute', 'worker.js');
  if (existsSync(built)) return built;
  throw new Error(
    `the compute worker ${built} is missing: run \`npm run build\` (or PHYLOLM_WORKERS=0 to compute on the main thread)`,
  );
}

export function createWorkerPool(size: number): Compute {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a worker pool needs at least 1 thread, got ${size}`);
  const pool = new Piscina({
    filename: workerScript(),
    minThreads: size,
    maxThreads: size,
    // threads stay up: a cold thread costs tens of milliseconds the first request would pay
    idleTimeout: Infinity,
  });
  return {
    workers: size,
    async run(task, input) {
      const answer = (await pool.run({ task, input })) as WorkerAnswer;
      if ('inputError' in answer) throw new PhyloInputError(answer.inputError);
      return answer.output as never;
    },
    close: () => pool.destroy(),
  };
}

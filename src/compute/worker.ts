/**
 * The worker thread's side of the pool (pool.ts): runs one task of the core's table. Results
 * that are matrices come back in shared memory, so the main thread receives them without a copy
 * and passes them on to later tasks (a tree over a cached matrix) without one either. An input
 * error of the core crosses the thread boundary as data (its class would not survive the trip),
 * and the pool turns it back into a PhyloInputError.
 */
import { setPriority } from 'node:os';
import { PhyloInputError } from '../core/errors';
import { runTask, type TaskName } from '../core/tasks';

/**
 * Nice value of the computing threads. Linux keeps nice values per thread (setpriority(2), "Bugs"),
 * and 0 here names the calling thread: when the cores are all busy, the scheduler then favours
 * the event loop over the computations, so /healthz and small requests keep answering.
 */
const WORKER_NICE = 10;
// elsewhere (macOS) the same call would lower the whole process, event loop included
if (process.platform === 'linux') {
  try {
    setPriority(WORKER_NICE);
  } catch {
    // not permitted: computations run at the process's priority
  }
}

export interface WorkerRequest {
  task: TaskName;
  input: unknown;
}

export type WorkerAnswer = { output: unknown } | { inputError: string };

export default function runInWorker({ task, input }: WorkerRequest): WorkerAnswer {
  try {
    return { output: shared(runTask(task, input as never)) };
  } catch (error) {
    if (error instanceof PhyloInputError) return { inputError: error.message };
    throw error;
  }
}

function shared(output: unknown): unknown {
  if (!(output instanceof Float64Array)) return output; // the worker's own realm: instanceof holds
  const copy = new Float64Array(new SharedArrayBuffer(output.byteLength));
  copy.set(output);
  return copy;
}

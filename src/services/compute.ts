/**
 * Where the heavy pure-core computations run (src/core/tasks.ts). The services ask a `Compute`
 * and never know whether the answer came from a worker thread (src/compute/pool.ts, wired by
 * src/app.ts) or from this thread (`inlineCompute`: PHYLOLM_WORKERS=0, handy under a debugger,
 * and what services built without a pool use, e.g. in unit tests). Both run the same task table.
 */
import { performance } from 'node:perf_hooks';
import { runTask, tasks, type TaskInput, type TaskName, type TaskOutput } from '../core/tasks';

export type { TaskInput, TaskName, TaskOutput };

export interface Compute {
  /** worker threads behind it (0: inline on the calling thread) */
  readonly workers: number;
  run<K extends TaskName>(task: K, input: TaskInput<K>): Promise<TaskOutput<K>>;
  close(): Promise<void>;
}

/** Tasks run so far, by task: how many, how many failed, and their total wall time (queue included). */
export type TaskStats = Record<TaskName, { runs: number; failures: number; ms: number }>;

export interface ObservedCompute extends Compute {
  stats(): TaskStats;
}

/** Runs every task on the calling thread, blocking it for the task's duration. */
export function inlineCompute(): Compute {
  return {
    workers: 0,
    run: async (task, input) => runTask(task, input),
    close: async () => undefined,
  };
}

/** Counts and times the tasks a Compute runs (what single flight saves shows here; metrics read it). */
export function observed(compute: Compute): ObservedCompute {
  const stats = Object.fromEntries(
    Object.keys(tasks).map((name) => [name, { runs: 0, failures: 0, ms: 0 }]),
  ) as TaskStats;
  return {
    workers: compute.workers,
    async run(task, input) {
      const entry = stats[task];
      entry.runs++;
      const start = performance.now();
      try {
        return await compute.run(task, input);
      } catch (error) {
        entry.failures++;
        throw error;
      } finally {
        entry.ms += performance.now() - start;
      }
    },
    close: () => compute.close(),
    stats: () => structuredClone(stats),
  };
}

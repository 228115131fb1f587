/**
 * Where the heavy pure-core computations run (src/core/tasks.ts). The services ask a `Compute`
 * and never know whether the answer came from a worker thread (src/compute/pool.ts, wired by
 * src/app.ts) or from this thread (`inlineCompute`: PHYLOLM_WORKERS=0, handy under a debugger,
 * and what services built without a pool use, e.g. in unit tests). Both run the same task table.
 */
import { performance } from 'node:perf_hooks';
import { runTask, tasks, type TaskInput, type TaskName, type TaskOutput } from '../core/tasks';
import { noTelemetry, type Telemetry } from './telemetry';

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
  /**
   * Work of a task's kind that a service does on this thread because it is small (a few new
   * pairs against a cached matrix): counted and timed like a task, so /metrics sees it too.
   */
  onThisThread<K extends TaskName>(task: K, work: () => TaskOutput<K>): TaskOutput<K>;
}

/** Runs every task on the calling thread, blocking it for the task's duration. */
export function inlineCompute(): Compute {
  return {
    workers: 0,
    run: async (task, input) => runTask(task, input),
    close: async () => undefined,
  };
}

/**
 * Counts and times the tasks a Compute runs (what single flight saves shows here), and reports
 * each finished one to the telemetry (`/metrics`: computations by kind and time).
 */
export function observed(compute: Compute, telemetry: Telemetry = noTelemetry): ObservedCompute {
  const stats = Object.fromEntries(
    Object.keys(tasks).map((name) => [name, { runs: 0, failures: 0, ms: 0 }]),
  ) as TaskStats;
  /** Runs `work` for `task`, counting it, timing it and reporting it when it succeeds. */
  function timed<T>(task: TaskName, work: () => T): T;
  function timed<T>(task: TaskName, work: () => Promise<T>): Promise<T>;
  function timed<T>(task: TaskName, work: () => T | Promise<T>): T | Promise<T> {
    const entry = stats[task];
    entry.runs++;
    const start = performance.now();
    const done = (ok: boolean) => {
      const ms = performance.now() - start;
      entry.ms += ms;
      if (ok) telemetry.computation(task, ms / 1000);
      else entry.failures++;
    };
    let output: T | Promise<T>;
    try {
      output = work();
    } catch (error) {
      done(false);
      throw error;
    }
    if (!(output instanceof Promise)) {
      done(true);
      return output;
    }
    return output.then(
      (value) => {
        done(true);
        return value;
      },
      (error: unknown) => {
        done(false);
        throw error;
      },
    );
  }
  return {
    workers: compute.workers,
    run: (task, input) => timed(task, () => compute.run(task, input)),
    onThisThread: (task, work) => timed(task, work),
    close: () => compute.close(),
    stats: () => structuredClone(stats),
  };
}

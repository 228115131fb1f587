/**
 * Probing jobs in turns, driven by hand: a queue that only records what it is given (the test
 * runs its handler itself) and a change feed that asks a turn to yield after the job's n-th
 * change (src/services/probing/job-queue.ts, job-runner.ts).
 */
import type { ChangeFeed } from '../../src/services/change-feed';
import type { JobHandler, JobQueue } from '../../src/services/probing/job-queue';

export class RecordingQueue implements JobQueue {
  handler: JobHandler | undefined;
  readonly enqueued: number[] = [];
  async enqueue(jobId: number) {
    this.enqueued.push(jobId);
  }
  async take(handler: JobHandler) {
    this.handler = handler;
  }
  async cancel() {}
  async stop() {}
  async adopt() {
    return 0;
  }
}

/** A feed whose turn signal aborts on the `n`-th job change after `arm()`; `free()` never aborts. */
export function yieldingFeed(n: number) {
  let controller = new AbortController();
  let changes = -Infinity;
  const feed: ChangeFeed = {
    jobChanged: () => {
      if (++changes === n) controller.abort();
    },
    onJob: () => undefined,
    close: async () => undefined,
  };
  const fresh = (from: number) => {
    controller = new AbortController();
    changes = from;
    return controller.signal;
  };
  return { feed, arm: () => fresh(0), free: () => fresh(-Infinity) };
}

/**
 * Where probing jobs wait and who takes them. A job's row in the store says what it is and how far
 * it got; the queue only says "run job N somewhere". Two implementations:
 *
 * - `LocalJobQueue` (here): the embedded default. A job runs in the process that started it, and
 *   processes sharing one SQLite file find each other's jobs by polling the store, guarded by the
 *   store's claim and lease (`Store.claimJob`).
 * - `PgBossJobQueue` (src/queue/pg-boss-queue.ts): on PostgreSQL, through pg-boss; any number of
 *   processes take jobs, and a crashed worker's delivery is retried by another.
 *
 * In both, a run is one *turn*: the handler runs the job until it ends or the queue's signal asks
 * it to stop (a time slice ending, a cancellation, a shutdown), and says how it left the job. The
 * fixed sample indices make a turn repeated after a crash harmless: it asks only for what is missing.
 */
import type { Store } from '../../db/store';
import type { Logger } from '../../logger';

/**
 * How a turn left its job: `finished` (SUCCEEDED, FAILED, CANCELLED or gone), `unfinished` (stopped
 * early, or paused while the database refuses writes: run it again later), `held` (another live
 * process holds the job's claim; try again later, in case that process dies).
 */
export type TurnOutcome = 'finished' | 'unfinished' | 'held';

/**
 * Runs one turn of a job. Aborting `signal` stops it now (requests in flight are abandoned: a
 * cancellation, a shutdown); aborting `yieldTurn` lets the requests in flight finish and stores
 * their answers, but starts no new one (a time slice ended).
 */
export type JobHandler = (jobId: number, signal: AbortSignal, yieldTurn?: AbortSignal) => Promise<TurnOutcome>;

export interface JobQueue {
  /** Asks for the job (already stored QUEUED) to be run by some process taking jobs. */
  enqueue(jobId: number): Promise<void>;
  /** Starts taking jobs in this process, each run with `handler`, until `stop`. */
  take(handler: JobHandler): Promise<void>;
  /** The job was cancelled (its row says so): drop waiting deliveries, stop it if it runs here. */
  cancel(jobId: number): Promise<void>;
  /** Stops taking; running turns are asked to stop and awaited (their jobs stay for another process). */
  stop(): Promise<void>;
  /**
   * Given the jobs the store says are QUEUED or RUNNING, enqueues those the queue has lost track
   * of (a process stopped between storing a job and enqueuing it); returns how many.
   */
  adopt(jobIds: readonly number[]): Promise<number>;
}

/**
 * The embedded queue: a job runs where it is enqueued, if this process takes jobs; `resume` and
 * `startPolling` find jobs left by a stopped process or queued by another one sharing the store.
 */
export class LocalJobQueue implements JobQueue {
  private handler: JobHandler | undefined;
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  private poller: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly logger?: Logger,
  ) {}

  async enqueue(jobId: number): Promise<void> {
    this.launch(jobId);
  }

  async take(handler: JobHandler): Promise<void> {
    this.handler = handler;
  }

  async cancel(jobId: number): Promise<void> {
    this.running.get(jobId)?.controller.abort();
  }

  async stop(): Promise<void> {
    clearInterval(this.poller);
    this.poller = undefined;
    this.handler = undefined;
    const running = [...this.running.values()];
    for (const { controller } of running) controller.abort();
    await Promise.all(running.map((r) => r.done));
  }

  /** Relaunches the jobs left QUEUED or RUNNING that do not run here; returns how many. */
  async resume(): Promise<number> {
    if (!this.handler) return 0;
    const pending = await this.store.listJobs({ statuses: ['QUEUED', 'RUNNING'] }, null, 100_000);
    return this.adopt(pending.map((job) => job.id));
  }

  async adopt(jobIds: readonly number[]): Promise<number> {
    if (!this.handler) return 0;
    const here = jobIds.filter((id) => !this.running.has(id));
    for (const id of here) this.launch(id);
    return here.length;
  }

  /** Looks again every `intervalMs` for jobs no live process holds, and runs them here. */
  startPolling(intervalMs: number): void {
    if (this.poller) return;
    this.poller = setInterval(() => {
      this.resume().catch((error: unknown) => this.logger?.log('warn', 'could not poll for jobs', { error }));
    }, intervalMs);
    this.poller.unref();
  }

  private launch(jobId: number): void {
    const handler = this.handler;
    if (!handler || this.running.has(jobId)) return;
    const controller = new AbortController();
    const done = handler(jobId, controller.signal)
      .then(() => undefined)
      .catch((error: unknown) => this.logger?.log('error', 'probing job crashed', { job: jobId, error }))
      .finally(() => this.running.delete(jobId));
    this.running.set(jobId, { controller, done });
  }
}

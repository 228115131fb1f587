/**
 * Probing jobs on PostgreSQL through pg-boss 10 (https://github.com/timgit/pg-boss): a delivery is a
 * row that one process fetches with `SELECT ... FOR UPDATE SKIP LOCKED`, so any number of
 * processes take jobs and none takes the same delivery twice; a delivery not completed within its
 * expiry (its process crashed or hung) is put back for retry by pg-boss's supervisor, and
 * another process takes it.
 *
 * A delivery is one *turn* of a probing job (src/services/probing/job-queue.ts), bounded in time:
 * after two job leases the turn stops starting requests, lets those in flight finish, and sends the
 * next turn before completing its own. A long job therefore never holds one delivery for hours,
 * and a crashed worker's job waits at most one expiry (plus a supervisor pass) for another worker.
 * pg-boss 10 has no heartbeat, so this bounded turn is what keeps the expiry short and honest.
 *
 * What may not happen twice is guarded by the store, not by the queue: a turn first claims the
 * job's row (`Store.claimJob`, with a lease renewed while it runs), and samples have fixed
 * indices, so even two deliveries of one job (a retry racing a slow turn) run it once and store
 * every sample once.
 */
import PgBoss from 'pg-boss';
import type { Logger } from '../logger';
import type { JobHandler, JobQueue } from '../services/probing/job-queue';
import { PgChangeFeed } from './pg-change-feed';

const QUEUE = 'phylolm-probe';
/** the NOTIFY channel on which an enqueued job wakes the idle workers of every process */
const WAKE_CHANNEL = 'phylolm_queue_wake';

export interface PgBossQueueOptions {
  /** postgres:// URL of the database the queue lives in (its own `pgboss` schema) */
  url: string;
  /**
   * The job lease of the store (PHYLOLM_JOB_LEASE_MS). A turn lasts about two leases, a delivery
   * expires after four (then pg-boss retries it elsewhere), and the supervisor looks for expired
   * deliveries every lease: a killed worker's job moves on within about five leases.
   */
  leaseMs: number;
  /** turns run at once in this process (each one job); default 4 */
  jobsAtOnce?: number;
  /**
   * how often an idle worker asks pg-boss for a delivery; default 0.5 s (pg-boss's shortest). An
   * enqueued job also wakes them at once through NOTIFY, so this is only the fallback.
   */
  pollSeconds?: number;
  logger?: Logger;
}

interface ProbeDelivery {
  jobId: number;
}

/** Thrown by a turn whose job another live process holds, so that pg-boss retries it later. */
class HeldElsewhere extends Error {
  constructor(jobId: number) {
    super(`job ${jobId} runs in another process; this delivery retries later in case that process dies`);
    this.name = 'HeldElsewhere';
  }
}

export class PgBossJobQueue implements JobQueue {
  private readonly running = new Map<number, { stop: AbortController; yieldTurn: AbortController }>();
  private readonly turns = new Set<Promise<void>>();
  /** this process's pg-boss workers (`take`), woken when a job is enqueued */
  private readonly workers: string[] = [];

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: PgBossQueueOptions,
    /**
     * An enqueued job wakes the idle workers of every process (LISTEN/NOTIFY, as the job change
     * feed), rather than waiting for their next poll: up to half a second at each job's start, a
     * tenth of a short run of the workers bench (issue 10).
     */
    private readonly wakes: PgChangeFeed,
  ) {
    wakes.onJob(() => this.wake());
  }

  /** Connects, creates pg-boss's schema and the queue if missing, and starts its supervisor. */
  static async start(options: PgBossQueueOptions): Promise<PgBossJobQueue> {
    const leaseSeconds = Math.max(1, Math.round(options.leaseMs / 1000));
    const boss = new PgBoss({
      connectionString: options.url,
      // the supervisor (expiring deliveries) runs every lease; monitoring and cron are not used
      maintenanceIntervalSeconds: leaseSeconds,
      schedule: false,
    });
    boss.on('error', (error: Error) => options.logger?.log('warn', 'pg-boss error', { error: error.message }));
    await boss.start();
    await boss.createQueue(QUEUE, {
      name: QUEUE,
      expireInSeconds: expirySeconds(options.leaseMs),
      retryLimit: 1_000_000,
      retryDelay: leaseSeconds,
    });
    return new PgBossJobQueue(boss, options, await PgChangeFeed.start(options.url, options.logger, WAKE_CHANNEL));
  }

  async enqueue(jobId: number): Promise<void> {
    await this.send(jobId, 0);
  }

  /** Interrupts the polling wait of this process's idle workers: they fetch a delivery now. */
  private wake(): void {
    for (const id of this.workers) this.boss.notifyWorker(id);
  }

  async take(handler: JobHandler): Promise<void> {
    const workers = this.options.jobsAtOnce ?? 4;
    for (let i = 0; i < workers; i++) {
      const id = await this.boss.work<ProbeDelivery>(
        QUEUE,
        { batchSize: 1, pollingIntervalSeconds: this.options.pollSeconds ?? 0.5 },
        async ([delivery]) => {
          const turn = this.turn(delivery.data.jobId, handler);
          const tracked = turn.then(
            () => undefined,
            () => undefined,
          );
          this.turns.add(tracked);
          try {
            await turn;
          } finally {
            this.turns.delete(tracked);
          }
        },
      );
      this.workers.push(id);
    }
  }

  async cancel(jobId: number): Promise<void> {
    // Deliveries still waiting are dropped; a turn running here stops. A turn running in another
    // process hears of it through the change feed, or from its lease renewal at the latest.
    const { rows } = await this.boss
      .getDb()
      .executeSql(
        `SELECT id FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry') AND (data->>'jobId')::bigint = $2`,
        [QUEUE, jobId],
      );
    const ids = (rows as { id: string }[]).map((row) => row.id);
    if (ids.length > 0) await this.boss.cancel(QUEUE, ids);
    this.running.get(jobId)?.stop.abort();
  }

  async adopt(jobIds: readonly number[]): Promise<number> {
    if (jobIds.length === 0) return 0;
    const { rows } = await this.boss.getDb().executeSql(
      `SELECT DISTINCT (data->>'jobId')::bigint AS job FROM pgboss.job
          WHERE name = $1 AND state IN ('created', 'retry', 'active') AND (data->>'jobId')::bigint = ANY($2::bigint[])`,
      [QUEUE, jobIds],
    );
    const delivered = new Set((rows as { job: string }[]).map((row) => Number(row.job)));
    const lost = jobIds.filter((id) => !delivered.has(id));
    for (const id of lost) await this.send(id, 0);
    return lost.length;
  }

  async stop(): Promise<void> {
    await this.boss.offWork(QUEUE);
    // Turns running here stop now (requests in flight are abandoned, as at any shutdown) and hand
    // their job on: the next turn is sent before the delivery completes.
    for (const { stop } of this.running.values()) stop.abort();
    await Promise.all([...this.turns]);
    await this.boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    await this.wakes.close();
  }

  private async turn(jobId: number, handler: JobHandler): Promise<void> {
    const stop = new AbortController();
    const yieldTurn = new AbortController();
    this.running.set(jobId, { stop, yieldTurn });
    const slice = setTimeout(() => yieldTurn.abort(), 2 * this.options.leaseMs);
    slice.unref();
    try {
      const outcome = await handler(jobId, stop.signal, yieldTurn.signal);
      if (outcome === 'held') throw new HeldElsewhere(jobId);
      if (outcome === 'unfinished') {
        // Stopped by its slice or a shutdown: the next turn may start at once. Stopped by itself
        // (paused while the database refuses writes): give the database a lease's time first.
        const handedOn = yieldTurn.signal.aborted || stop.signal.aborted;
        await this.send(jobId, handedOn ? 0 : Math.max(1, Math.round(this.options.leaseMs / 1000)));
      }
    } finally {
      clearTimeout(slice);
      this.running.delete(jobId);
    }
  }

  private async send(jobId: number, afterSeconds: number): Promise<void> {
    const delivery: ProbeDelivery = { jobId };
    await this.boss.send(QUEUE, delivery, {
      expireInSeconds: expirySeconds(this.options.leaseMs),
      startAfter: afterSeconds,
    });
    if (afterSeconds > 0) return;
    // the other processes' workers through NOTIFY (which skips this process), this one's directly
    this.wakes.jobChanged(jobId);
    this.wake();
  }
}

function expirySeconds(leaseMs: number): number {
  return Math.max(2, Math.round((4 * leaseMs) / 1000));
}

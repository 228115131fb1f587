/**
 * The job change feed (src/services/change-feed.ts) on PostgreSQL's LISTEN/NOTIFY
 * (https://www.postgresql.org/docs/current/sql-notify.html): one connection listens on a channel,
 * a pool sends, in batches (a job changes with every answer stored). A lost listening connection
 * is opened again; what was missed meanwhile costs nothing lasting: a subscription reads the job's
 * row on its next change, and a cancelled job also stops at its next lease renewal.
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { Logger } from '../logger';
import type { ChangeFeed } from '../services/change-feed';

const CHANNEL = 'phylolm_changes';
/** job changes are sent in batches this often: a job changes with every answer stored */
const JOB_BATCH_MS = 25;
const RECONNECT_MS = 1_000;

interface Message {
  /** the sending process, which ignores its own messages */
  from: string;
  jobs: number[];
}

export class PgChangeFeed implements ChangeFeed {
  private readonly self = randomUUID();
  private listener: Client | undefined;
  private readonly jobListeners: ((jobId: number) => void)[] = [];
  private readonly pendingJobs = new Set<number>();
  private batch: NodeJS.Timeout | undefined;
  private reconnecting: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly url: string,
    private readonly pool: Pool,
    private readonly logger: Logger | undefined,
    private readonly channel: string,
  ) {}

  /** `channel`: another feed of job ids on the same machinery (the queue's wake-ups, pg-boss-queue.ts) */
  static async start(url: string, logger?: Logger, channel = CHANNEL): Promise<PgChangeFeed> {
    const feed = new PgChangeFeed(url, new Pool({ connectionString: url, max: 2 }), logger, channel);
    await feed.listen();
    return feed;
  }

  jobChanged(jobId: number): void {
    this.pendingJobs.add(jobId);
    this.batch ??= setTimeout(() => {
      this.batch = undefined;
      const jobs = [...this.pendingJobs];
      this.pendingJobs.clear();
      void this.send({ from: this.self, jobs });
    }, JOB_BATCH_MS);
  }

  onJob(listener: (jobId: number) => void): void {
    this.jobListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnecting);
    clearTimeout(this.batch);
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  private async send(message: Message): Promise<void> {
    try {
      await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify(message)]);
    } catch (error) {
      // the others hear of the job at its next change; subscriptions read the row anew then
      this.logger?.log('warn', 'could not notify other processes of a change', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (n) => this.heard(n.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.listener = client;
  }

  private heard(payload: string | undefined): void {
    let message: Message;
    try {
      message = JSON.parse(payload ?? '') as Message;
    } catch {
      return;
    }
    if (message.from === this.self) return;
    for (const jobId of message.jobs ?? []) for (const listener of this.jobListeners) listener(jobId);
  }

  private lost(client: Client): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    if (this.closed) return;
    this.logger?.log('warn', 'lost the change feed connection; reconnecting', {});
    const retry = () => {
      this.reconnecting = setTimeout(() => {
        if (this.closed) return;
        this.listen().catch(() => retry());
      }, RECONNECT_MS);
      this.reconnecting.unref();
    };
    client.end().catch(() => undefined);
    retry();
  }
}

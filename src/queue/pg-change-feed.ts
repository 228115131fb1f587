/**
 * The change feed (src/services/change-feed.ts) on PostgreSQL's LISTEN/NOTIFY
 * (https://www.postgresql.org/docs/current/sql-notify.html): one connection listens on a channel,
 * a pool sends. A notification is delivered to every listener when it is sent, outside any
 * transaction, so the writer tells the others after its write committed and before its own
 * client gets an answer. While the listening connection is down the feed is not `live` (the data
 * revision is then read from the database on every request) and it reconnects; on reconnecting it
 * reports a data change, since anything may have happened meanwhile.
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
  data?: true;
  jobs?: number[];
}

export class PgChangeFeed implements ChangeFeed {
  private readonly self = randomUUID();
  private listener: Client | undefined;
  private readonly dataListeners: (() => void)[] = [];
  private readonly jobListeners: ((jobId: number) => void)[] = [];
  private readonly pendingJobs = new Set<number>();
  private batch: NodeJS.Timeout | undefined;
  private reconnecting: NodeJS.Timeout | undefined;
  private closed = false;
  live = false;

  private constructor(
    private readonly url: string,
    private readonly pool: Pool,
    private readonly logger?: Logger,
  ) {}

  static async start(url: string, logger?: Logger): Promise<PgChangeFeed> {
    const feed = new PgChangeFeed(url, new Pool({ connectionString: url, max: 2 }), logger);
    await feed.listen();
    return feed;
  }

  async dataChanged(): Promise<void> {
    await this.send({ from: this.self, data: true });
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

  onData(listener: () => void): void {
    this.dataListeners.push(listener);
  }

  onJob(listener: (jobId: number) => void): void {
    this.jobListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.live = false;
    clearTimeout(this.reconnecting);
    clearTimeout(this.batch);
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  private async send(message: Message): Promise<void> {
    try {
      await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(message)]);
    } catch (error) {
      // The others will not hear of this write: their feed reconnects (and forgets) if the
      // database went away; a lone failed notification is logged.
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
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
    this.live = true;
    // anything may have changed while nobody listened
    for (const listener of this.dataListeners) listener();
  }

  private heard(payload: string | undefined): void {
    let message: Message;
    try {
      message = JSON.parse(payload ?? '') as Message;
    } catch {
      return;
    }
    if (message.from === this.self) return;
    if (message.data) for (const listener of this.dataListeners) listener();
    for (const jobId of message.jobs ?? []) for (const listener of this.jobListeners) listener(jobId);
  }

  private lost(client: Client): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.live = false;
    for (const listener of this.dataListeners) listener();
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

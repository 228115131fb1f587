/**
 * What several processes on one PostgreSQL share besides the store: the job queue (pg-boss), the
 * change feed (LISTEN/NOTIFY) and the providers' limits (advisory locks and a bucket table).
 * `src/app.ts` starts it when `PHYLOLM_DB` is a postgres:// URL (the store is then on PostgreSQL too).
 */
import type { Logger } from '../logger';
import { PgBossJobQueue } from './pg-boss-queue';
import { PgChangeFeed } from './pg-change-feed';
import { pgRateLimiters, type PgRateLimiters } from './pg-rate-limiter';

export interface ScaleOut {
  queue: PgBossJobQueue;
  feed: PgChangeFeed;
  limiters: PgRateLimiters;
  close(): Promise<void>;
}

export interface ScaleOutOptions {
  url: string;
  leaseMs: number;
  /** probing jobs run at once in this process */
  jobsAtOnce: number;
  /** provider requests in flight in this process at most (on top of each provider's global limit) */
  perProcess?: number;
  logger?: Logger;
}

export async function startScaleOut(options: ScaleOutOptions): Promise<ScaleOut> {
  const feed = await PgChangeFeed.start(options.url, options.logger);
  const limiters = await pgRateLimiters(options.url, { perProcess: options.perProcess });
  const queue = await PgBossJobQueue.start(options);
  return {
    queue,
    feed,
    limiters,
    async close() {
      await feed.close();
      await limiters.close();
    },
  };
}

/**
 * Job changes other processes must hear about at once, when several processes serve one database:
 * a subscription to a job (`watch`) is served by an API process while the job runs in a worker,
 * and a job cancelled through one API process must stop in the worker running it now, not a
 * lease renewal later. On PostgreSQL this is LISTEN/NOTIFY (src/queue/pg-change-feed.ts); one
 * process alone needs none.
 *
 * Writes to user data need no feed: every request reads the store's data revision (one indexed
 * row), which keys the response cache, and computation caches are keyed on the revisions the
 * request read (docs/architecture.md, "Caching"). A notification arrives asynchronously, so a
 * revision kept in memory and forgotten on notification could still serve one stale answer to a
 * client that writes through one process and reads through another at once (test/e2e/scale-out.test.ts
 * caught exactly that); reading the revision cannot.
 */
export interface ChangeFeed {
  /** This process changed a job's row (told to the others shortly, a batch at a time). */
  jobChanged(jobId: number): void;
  /** Another process changed this job's row. */
  onJob(listener: (jobId: number) => void): void;
  close(): Promise<void>;
}

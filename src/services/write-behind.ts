/**
 * Writes of derived results to the database, done just after the answer instead of before it.
 * A cached matrix of 1,000 models is 8 MB; storing it costs tens of milliseconds that the
 * client asking for it need not wait for. Losing a pending write to a crash loses only a cache
 * entry, which is recomputed on the next request. `flush()` waits for every pending write
 * (called at shutdown and by tests).
 */
import type { Logger } from '../logger';

export class WriteBehind {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger?: Logger) {}

  /** Runs `write` just after the current request; the promise settles when it has (never rejects). */
  schedule(label: string, write: () => Promise<void>): Promise<void> {
    const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(write)
      .catch((error: unknown) => this.logger?.log('warn', 'could not store a cached result', { label, error }))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
    return done;
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

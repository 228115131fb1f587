/**
 * One asynchronous read shared by every request that arrived before the read began.
 *
 * The response cache's key includes the store's data revision, so every request needs it; under
 * 1,000 concurrent cached queries reading it per request was the server's largest cost after
 * the socket writes and the collector (bench/load.bench.ts, CPU profile). A request may be
 * answered from any state the data had between its arrival and its answer (it is concurrent with
 * everything in that interval), so a read begun after it arrived is fresh enough: whatever a
 * client saw committed before sending the request was committed before the read began. Requests
 * queued for their turn (services/time-slice.ts) all arrived before a read begun now, so one read
 * serves the whole queue. A request that arrives later starts a new read, and a write made by
 * this process calls `invalidate`, so the next request reads again.
 */
export class SharedRead<T> {
  private current?: { began: bigint; value: Promise<T> };

  constructor(
    private readonly read: () => Promise<T>,
    private readonly now: () => bigint = process.hrtime.bigint,
  ) {}

  /** The value as read at or after `arrivedAt` (process.hrtime.bigint() of the request). */
  get(arrivedAt: bigint): Promise<T> {
    const current = this.current;
    if (current && current.began >= arrivedAt) return current.value;
    const began = this.now();
    const value = this.read();
    const entry = { began, value };
    this.current = entry;
    value.catch(() => {
      if (this.current === entry) this.current = undefined; // a failed read is never shared
    });
    return value;
  }

  invalidate(): void {
    this.current = undefined;
  }
}

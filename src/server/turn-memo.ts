/**
 * One asynchronous read shared by everything handled in the same event-loop turn.
 *
 * The response cache's key includes the store's data revision, so every request reads it; under
 * 1,000 concurrent cached queries that SQLite read was the largest cost after the socket writes
 * (bench/load.bench.ts). Requests handled in one turn are concurrent with each other, so one
 * read serves them all without reordering anything a client can observe: an answer written in
 * this turn reaches its client after the turn ends, so a request caused by it arrives in a later
 * turn, which reads again. A write made by this process within the turn calls `invalidate`.
 */
export class TurnMemo<T> {
  private pending?: Promise<T>;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.pending) return this.pending;
    const pending = this.read();
    this.pending = pending;
    const forget = () => {
      if (this.pending === pending) this.pending = undefined;
    };
    setImmediate(forget);
    pending.catch(forget); // a failed read is never handed to a later caller
    return pending;
  }

  invalidate(): void {
    this.pending = undefined;
  }
}

/**
 * A small size-bounded LRU map for derived results held in memory in front of the database
 * cache. Map iteration order is insertion order, so re-inserting on access keeps the least
 * recently used entry first.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private used = 0;

  constructor(
    private readonly capacity: number,
    private readonly sizeOf: (value: V) => number = () => 1,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const size = this.sizeOf(value);
    if (size > this.capacity) return;
    this.entries.set(key, { value, size });
    this.used += size;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.capacity) break;
      this.entries.delete(oldest);
      this.used -= entry.size;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.size;
  }

  /** Values from least to most recently used. */
  values(): V[] {
    return [...this.entries.values()].map((e) => e.value);
  }
}

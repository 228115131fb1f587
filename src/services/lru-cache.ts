/**
 * A small size-bounded LRU map for derived results held in memory in front of the database
 * cache. Map iteration order is insertion order, so re-inserting on access keeps the least
 * recently used entry first.
 *
 * One entry larger than the whole capacity may be kept too, beside the others (`largest`, issue
 * 10): a 10,000-model distance matrix is 800 MB, over the matrices' 256 MB, and without a place
 * in memory every request for it (each page of it too) read it back from the database again
 * (5 to 9 s). It neither counts against the capacity nor pushes the small entries out; a newer
 * large entry replaces it. The memory held is at most `capacity + largest`.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private used = 0;
  /** the key of the one entry larger than the capacity, if any */
  private large?: string;

  constructor(
    private readonly capacity: number,
    private readonly sizeOf: (value: V) => number = () => 1,
    /** the largest entry kept beyond `capacity`, one at a time; 0 keeps none */
    private readonly largest = 0,
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
    if (size > this.capacity) {
      if (size > this.largest) return;
      if (this.large !== undefined) this.delete(this.large);
      this.entries.set(key, { value, size });
      this.large = key;
      return;
    }
    this.entries.set(key, { value, size });
    this.used += size;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.capacity) break;
      if (oldest === this.large) continue;
      this.entries.delete(oldest);
      this.used -= entry.size;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    if (key === this.large) this.large = undefined;
    else this.used -= entry.size;
  }

  /** Values from least to most recently used. */
  values(): V[] {
    return [...this.entries.values()].map((e) => e.value);
  }
}

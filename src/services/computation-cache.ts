/**
 * Derived results (distance matrices, trees, predictions) cached in memory and in the database,
 * keyed by a fingerprint of every input. A key can never name a stale result: when a sample or
 * score changes, the inputs' revisions change, the key changes, and the old entry simply stops
 * being asked for (and is pruned by `prune`). Cached entries survive restarts through the store.
 */
import type { ComputationRow, Store } from '../db/store';
import type { Claim, ComputeClaims, Turn } from './compute-claims';
import { LruCache } from './lru-cache';
import { SingleFlight } from './single-flight';
import type { WriteBehind } from './write-behind';

/** (model id, revision) pairs a result was computed from, in the result's own order. */
export type Dependencies = readonly (readonly [modelId: number, revision: number])[];

export interface CachedEntry<T> {
  key: string;
  genomeId: number;
  dependencies: Dependencies;
  value: T;
}

export interface Codec<T> {
  encode(value: T): Buffer;
  decode(payload: Buffer): T;
  /** bytes held in memory, for the LRU bound */
  size(value: T): number;
}

/** What a computation made, for `getOrCompute` to cache: `put`'s arguments but the key. */
export interface MadeEntry<T> {
  genomeId: number;
  dependencies: Dependencies;
  value: T;
  /** model ids to their current revisions, so the entries this one makes stale are pruned */
  current: ReadonlyMap<number, number>;
  /** entries kept per genome (see `prune`) */
  keep?: number;
}

export class ComputationCache<T> {
  private readonly memory: LruCache<CachedEntry<T>>;
  private readonly flights = new SingleFlight();
  /** writes of entries put in this process and not yet stored, by key */
  private readonly storing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly kind: string,
    private readonly codec: Codec<T>,
    private readonly writes: WriteBehind,
    memoryBytes = 256 * 1024 * 1024,
    /** shared with the other processes on the database: without it, single flight only */
    private readonly claims?: ComputeClaims,
    /** one entry larger than `memoryBytes` kept in memory beside the others, up to this size (lru-cache.ts) */
    largestBytes = 0,
  ) {
    this.memory = new LruCache(memoryBytes, (entry) => this.codec.size(entry.value), largestBytes);
  }

  async get(key: string): Promise<CachedEntry<T> | undefined> {
    const hit = this.memory.get(key);
    if (hit) return hit;
    const row = await this.store.getComputation(key);
    if (!row) return undefined;
    const entry = this.fromRow(row);
    this.memory.set(key, entry);
    await this.store.touchComputation(key);
    return entry;
  }

  /**
   * The value under `key`, from memory, the database, or else from `make`, whose result is
   * cached (`put`). Concurrent callers with the same key share one computation (single flight),
   * which runs to the end even when they all went away, so a repeated request finds it cached.
   */
  async getOrCompute(key: string, make: () => Promise<MadeEntry<T>>): Promise<T> {
    const hit = await this.get(key);
    if (hit) return hit.value;
    return this.flights.run(key, async () => {
      const turn = await this.turn(key);
      if ('stored' in turn) return turn.stored.value;
      let made: MadeEntry<T>;
      try {
        made = await make();
      } catch (error) {
        turn.claimed.release();
        throw error;
      }
      this.put(
        { key, genomeId: made.genomeId, dependencies: made.dependencies, value: made.value },
        made.current,
        made.keep,
      );
      turn.claimed.release(this.pendingWrite(key));
      return made.value;
    });
  }

  /**
   * This process's turn to compute the cold entry `key` (compute-claims.ts): the entry when
   * another process stored it meanwhile, else a claim to release once the result is stored
   * (`pendingWrite`). Without shared claims, always a turn at once.
   */
  turn(key: string): Promise<Turn<CachedEntry<T>>> {
    if (!this.claims) return Promise.resolve({ claimed: NO_CLAIM });
    return this.claims.turn(key, () => this.get(key));
  }

  /** The write of `key` put in this process and not yet stored, if any. */
  pendingWrite(key: string): Promise<void> | undefined {
    return this.storing.get(key);
  }

  /**
   * Keeps the entry in memory now and stores it just after the current request; `current` maps
   * model ids to their revisions, so entries it makes stale are pruned in the same write.
   */
  put(entry: CachedEntry<T>, current: ReadonlyMap<number, number>, keep?: number): void {
    this.memory.set(entry.key, entry);
    const written = this.writes.schedule(this.kind, async () => {
      await this.store.putComputation({
        key: entry.key,
        kind: this.kind,
        genomeId: entry.genomeId,
        dependencies: JSON.stringify(entry.dependencies),
        payload: this.codec.encode(entry.value),
      });
      await this.prune(entry.genomeId, current, keep);
    });
    this.storing.set(entry.key, written);
    void written.then(() => {
      if (this.storing.get(entry.key) === written) this.storing.delete(entry.key);
    });
  }

  /**
   * Recently used entries on a genome: candidates whose still-valid parts can be reused. Entries
   * already in memory come first; the database is read only when memory has none (after a restart).
   */
  async recent(genomeId: number, limit: number): Promise<CachedEntry<T>[]> {
    const inMemory = this.memory
      .values()
      .reverse()
      .filter((entry) => entry.genomeId === genomeId)
      .slice(0, limit);
    if (inMemory.length > 0) return inMemory;
    const rows = await this.store.recentComputations(genomeId, this.kind, limit);
    return rows.map((row) => this.fromRow(row));
  }

  /**
   * Drops entries on a genome that depend on a model at an older revision than `current`: they
   * can never be asked for again. Entries beyond the newest `keep` are dropped too.
   */
  private async prune(genomeId: number, current: ReadonlyMap<number, number>, keep = 16): Promise<void> {
    const rows = await this.store.computationIndex(genomeId, this.kind);
    const stale = rows
      .filter((row, position) => {
        if (position >= keep) return true;
        const deps = JSON.parse(row.dependencies) as Dependencies;
        return deps.some(([modelId, revision]) => {
          const now = current.get(modelId);
          return now !== undefined && now !== revision;
        });
      })
      .map((row) => row.key);
    for (const key of stale) this.memory.delete(key);
    await this.store.deleteComputations(stale);
  }

  private fromRow(row: ComputationRow): CachedEntry<T> {
    return {
      key: row.key,
      genomeId: row.genomeId,
      dependencies: JSON.parse(row.dependencies) as Dependencies,
      value: this.codec.decode(row.payload),
    };
  }
}

const NO_CLAIM: Claim = { release: () => undefined };

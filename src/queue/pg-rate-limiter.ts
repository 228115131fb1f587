/**
 * Provider limits that hold across every process sharing one PostgreSQL: the same `RateLimiter`
 * as src/providers/rate-limiter.ts, with its state kept in the database.
 *
 * - Requests in flight: a provider has `maxConcurrency` slots, each a session-level advisory lock
 *   (`pg_try_advisory_lock(provider, slot)`, https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS)
 *   held on a pooled connection for the request's duration. A process that dies loses its
 *   connections, and PostgreSQL frees their locks: no slot leaks. When every slot is taken, the
 *   process's first waiting request tries again after a short, jittered wait; the others queue
 *   behind it in the process.
 * - Requests and tokens per minute: one token bucket (Turner 1986, as in the local limiter) per
 *   provider in a table row, refilled from the database's clock (machines' clocks may disagree)
 *   and drawn under `SELECT ... FOR UPDATE`.
 * - Optionally a cap per process in front (`perProcess`): a worker never has more than that in
 *   flight, whatever the global limit (the benchmark's "per-process concurrency cap").
 * - A slot is handed over: a request that ends while another request of this process waits for
 *   a slot passes its lock (and connection) on, as the local limiter hands over its slot, instead
 *   of freeing it and taking one again (two round trips per provider request, issue 10's workers
 *   bench). The global count is unchanged: the lock stays held by one request at a time. A slot
 *   goes back after `MAX_HANDOVERS` requests, so a busy process gives other processes a turn at it.
 */
import { Pool, type PoolClient } from 'pg';
import {
  createRateLimiter,
  runLimited,
  type RateLimiter,
  type RateLimiterFactory,
  type RateLimiterOptions,
} from '../providers/rate-limiter';

const SLOT_RETRY_MS = 20;
/** requests one slot serves in a row before it is freed and taken anew (see the head of this file) */
const MAX_HANDOVERS = 32;

/** a connection holding one of a provider's slots, and how many requests it served since taken */
interface HeldSlot {
  client: PoolClient;
  slot: number | null;
  uses: number;
}

export interface PgRateLimiters {
  factory: RateLimiterFactory;
  close(): Promise<void>;
}

/** Creates the buckets table if missing; limiters built by `factory` share state through `url`. */
export async function pgRateLimiters(url: string, options: { perProcess?: number } = {}): Promise<PgRateLimiters> {
  // one connection per request in flight here, bounded by the per-process cap when there is one
  const pool = new Pool({ connectionString: url, max: Math.min(options.perProcess ?? 64, 64) + 1 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS phylolm_rate_buckets (
       key text PRIMARY KEY,
       requests double precision,
       tokens double precision,
       at_ms double precision NOT NULL
     )`,
  );
  return {
    factory: (limits) => sharedLimiter(pool, limits, options.perProcess),
    close: () => pool.end(),
  };
}

function sharedLimiter(pool: Pool, limits: RateLimiterOptions, perProcess: number | undefined): RateLimiter {
  const key = limits.key ?? 'default';
  const slots = limits.maxConcurrency ?? Infinity;
  if (!(slots >= 1)) throw new RangeError('maxConcurrency must be >= 1');
  const lockClass = hash32(`phylolm-rate:${key}`);
  // In this process: at most the per-process cap, and never more than the global slots.
  const local = createRateLimiter({ maxConcurrency: Math.min(perProcess ?? Infinity, slots) });
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(done, ms);
      function done() {
        signal?.removeEventListener('abort', abort);
        resolve();
      }
      function abort() {
        clearTimeout(timer);
        reject(signal?.reason);
      }
      signal?.addEventListener('abort', abort, { once: true });
    });

  // One request at a time looks for a free slot (first come, first served): a process polls the
  // database once while several of its requests wait, not once per waiting request.
  let searching: Promise<unknown> = Promise.resolve();
  function takeSlot(signal?: AbortSignal): Promise<HeldSlot> {
    // a slot a request of this process has just finished with, handed over (see the head of this file)
    const spare = spares.pop();
    if (spare) return Promise.resolve(spare);
    const found = searching.then(() => findSlot(signal));
    searching = found.catch(() => undefined);
    return found;
  }

  /** Slots whose request ended, kept for a request of this process that waits for one. */
  const spares: HeldSlot[] = [];
  /**
   * The end of a request: its slot waits for the next request of this process, which the local
   * limiter lets in at once (in a microtask) when one waits; a slot nobody took by then goes back.
   */
  function handOver(held: HeldSlot): void {
    if (++held.uses >= MAX_HANDOVERS || local.waiting === 0) {
      void giveBack(held.client, held.slot);
      return;
    }
    spares.push(held);
    setImmediate(() => {
      const i = spares.indexOf(held);
      if (i < 0) return;
      spares.splice(i, 1);
      void giveBack(held.client, held.slot);
    });
  }

  /** A connection holding one of the provider's slots (or none held when the limit is unbounded). */
  async function findSlot(signal?: AbortSignal): Promise<HeldSlot> {
    signal?.throwIfAborted();
    const client = await pool.connect();
    watch(client);
    if (!Number.isFinite(slots)) return { client, slot: null, uses: 0 };
    try {
      for (;;) {
        signal?.throwIfAborted();
        // start at a random slot so processes do not all contend for slot 0
        const start = Math.floor(Math.random() * slots);
        for (let i = 0; i < slots; i++) {
          const slot = (start + i) % slots;
          const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
            lockClass,
            slot,
          ]);
          if (rows[0].ok) return { client, slot, uses: 0 };
        }
        await sleep(SLOT_RETRY_MS * (0.5 + Math.random()), signal);
      }
    } catch (error) {
      client.release();
      throw error;
    }
  }

  async function giveBack(client: PoolClient, slot: number | null): Promise<void> {
    try {
      if (slot !== null) await client.query('SELECT pg_advisory_unlock($1, $2)', [lockClass, slot]);
      client.release();
    } catch (error) {
      // a connection that cannot unlock is closed, which frees its locks
      client.release(error instanceof Error ? error : true);
    }
  }

  async function draw(client: PoolClient, tokens: number, signal?: AbortSignal): Promise<void> {
    if (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined) return;
    for (;;) {
      signal?.throwIfAborted();
      const wait = await drawBuckets(client, key, limits, tokens);
      if (wait === 0) return;
      await sleep(wait, signal);
    }
  }

  async function acquire(tokens = 0, signal?: AbortSignal) {
    if (!(tokens >= 0)) throw new RangeError('tokens must be >= 0');
    const releaseLocal = await local.acquire(0, signal);
    let held: HeldSlot | undefined;
    try {
      held = await takeSlot(signal);
      await draw(held.client, tokens, signal);
    } catch (error) {
      if (held) await giveBack(held.client, held.slot);
      releaseLocal();
      throw error;
    }
    const slot = held;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // the slot first: the request the local limiter lets in next takes it over
      handOver(slot);
      releaseLocal();
    };
  }

  return {
    acquire,
    run: (tokens, fn, signal) => runLimited(acquire, tokens, fn, signal),
    get inFlight() {
      return local.inFlight;
    },
    get waiting() {
      return local.waiting;
    },
  };
}

const watched = new WeakSet<PoolClient>();

/**
 * A connection lost while checked out (holding a slot) emits 'error', which the pool only handles
 * for idle connections: unheard, it would end the process. Its slot is freed with it by the
 * server; the next query on it fails, and `giveBack` then discards it.
 */
function watch(client: PoolClient): void {
  if (watched.has(client)) return;
  watched.add(client);
  client.on('error', () => undefined);
}

/**
 * Draws one request and `tokens` tokens from the provider's shared buckets, refilled at
 * limit/60,000 per ms since the row was last touched (by the database's clock). Returns 0 when
 * drawn, else the ms to wait before trying again (nothing drawn).
 */
export async function drawBuckets(
  client: PoolClient,
  key: string,
  limits: Pick<RateLimiterOptions, 'requestsPerMinute' | 'tokensPerMinute'>,
  tokens: number,
): Promise<number> {
  const rpm = finite(limits.requestsPerMinute);
  const tpm = finite(limits.tokensPerMinute);
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO phylolm_rate_buckets (key, requests, tokens, at_ms)
       VALUES ($1, $2, $3, extract(epoch from clock_timestamp()) * 1000) ON CONFLICT (key) DO NOTHING`,
      [key, rpm, tpm],
    );
    const { rows } = await client.query<{ requests: number | null; tokens: number | null; at: number; now: number }>(
      `SELECT requests, tokens, at_ms AS at, extract(epoch from clock_timestamp()) * 1000 AS now
         FROM phylolm_rate_buckets WHERE key = $1 FOR UPDATE`,
      [key],
    );
    const row = rows[0];
    const dt = Math.max(0, Number(row.now) - Number(row.at));
    const refill = (level: number | null, perMinute: number) =>
      Math.min(perMinute, (level ?? perMinute) + (dt * perMinute) / 60_000);
    const requests = rpm === null ? null : refill(row.requests, rpm);
    const want = tpm === null ? 0 : Math.min(tokens, tpm);
    const tokenLevel = tpm === null ? null : refill(row.tokens, tpm);
    let wait = 0;
    if (requests !== null && rpm !== null && requests < 1) wait = Math.max(wait, ((1 - requests) * 60_000) / rpm);
    if (tokenLevel !== null && tpm !== null && tokenLevel < want) {
      wait = Math.max(wait, ((want - tokenLevel) * 60_000) / tpm);
    }
    const drawn = wait === 0;
    await client.query(`UPDATE phylolm_rate_buckets SET requests = $2, tokens = $3, at_ms = $4 WHERE key = $1`, [
      key,
      requests === null ? null : drawn ? requests - 1 : requests,
      tokenLevel === null ? null : drawn ? tokenLevel - want : tokenLevel,
      Number(row.now),
    ]);
    await client.query('COMMIT');
    return Math.ceil(wait);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function finite(perMinute: number | undefined): number | null {
  if (perMinute === undefined || !Number.isFinite(perMinute)) return null;
  if (perMinute <= 0) throw new RangeError('rate limits must be > 0 per minute');
  return perMinute;
}

/** A stable signed 32-bit hash (FNV-1a) of a name, for an advisory lock's first key. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

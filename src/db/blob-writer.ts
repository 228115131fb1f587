/**
 * Writes, reads and lists cached computations from a worker thread with its own SQLite connection. The driver is
 * synchronous: storing a 2,000-model matrix (32 MB) held the event loop for about half a second,
 * long after the matrix itself was computed off it. Every computation write (store and drop)
 * goes through this one thread, so they queue behind each other there instead of one waiting
 * for another's lock on the event loop (`busy_timeout` sleeps the waiting thread). WAL lets this
 * connection write while the main one reads.
 *
 * Claims on computing a result (compute-claims.ts) are written here as well: on the main
 * connection such a write waited for this thread's lock while it stored a 32 MB matrix, and the
 * driver's busy wait held the event loop for 80 to 110 ms.
 *
 * Payloads are read here too, and moved to the main thread without a copy: reading a cached
 * 2,000-model matrix on the event loop (to reuse its pairs in a smaller matrix) held it for 140
 * ms, and the collection that followed for as long again (bench/responsiveness.bench.ts).
 *
 * The list of a kind's entries (for pruning) is read here as well: SQLite orders by `used_at`,
 * which a row stores after its payload, so listing a few cached matrices walks every page of
 * their payloads (170 ms for a 2,000-model matrix and its donors). Touching an entry rewrites
 * its whole row, payload included, so that is done here too.
 *
 * Payloads are stored and read in parts. Every statement run here is defined once, in
 * computation-parts.ts (`sqliteComputations`, whose own source this thread runs), and the
 * main connection of a database in memory runs the same.
 *
 * The worker is a few lines of JavaScript run from a string (`eval`), so it needs no compiled
 * file and runs the same under ts-jest as from dist/.
 */
import { Worker } from 'node:worker_threads';
import { partBounds, sqliteComputations } from './computation-parts';
import type { ComputationRow, NewComputation } from './store';

const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
${partBounds.toString()}
const db = new Database(workerData.path);
db.pragma('foreign_keys = ON');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const computations = (${sqliteComputations.toString()})(db, workerData.partBytes);
// rows go back with their payloads moved, not copied (a buffer the driver shares is copied first)
function answer(id, rows) {
  const moved = [];
  for (const row of rows) {
    const p = row.payload;
    const whole = p.byteOffset === 0 && p.byteLength === p.buffer.byteLength;
    row.payload = whole ? p.buffer : p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength);
    moved.push(row.payload);
  }
  parentPort.postMessage({ id, rows }, moved);
}
parentPort.on('message', ({ id, entry, usedAt, deleteKeys, indexOf, touchKey, getKey, recentOf, claimOf, releaseOf }) => {
  try {
    if (claimOf) {
      const won = computations.claim(claimOf.key, claimOf.owner, claimOf.now, claimOf.until);
      return parentPort.postMessage({ id, rows: won });
    }
    if (indexOf) return parentPort.postMessage({ id, rows: computations.index(indexOf.genomeId, indexOf.kind) });
    if (getKey !== undefined) return answer(id, [computations.get(getKey)].filter(Boolean));
    if (recentOf) return answer(id, computations.recent(recentOf.genomeId, recentOf.kind, recentOf.limit));
    if (releaseOf) computations.release(releaseOf.key, releaseOf.owner);
    else if (touchKey) computations.touch(touchKey, usedAt);
    else if (deleteKeys) computations.remove(deleteKeys);
    else computations.put(entry, usedAt);
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

/** A computation row as the blob thread reads it; the payload moved here, not copied. */
type ThreadRow = Omit<ComputationRow, 'payload'> & { payload: ArrayBuffer };

const withBuffer = (row: ThreadRow): ComputationRow => ({ ...row, payload: Buffer.from(row.payload) });

export interface BlobWriter {
  put(entry: NewComputation, usedAt: string): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  touch(key: string, usedAt: string): Promise<void>;
  /** keys and dependencies of a kind's entries on a genome, most recently used first */
  index(genomeId: number, kind: string): Promise<{ key: string; dependencies: string }[]>;
  /** a claim on computing `key` (Store.claimComputation), made on this thread */
  claim(key: string, owner: string, now: number, until: number): Promise<boolean>;
  release(key: string, owner: string): Promise<void>;
  /** one entry with its payload */
  get(key: string): Promise<ComputationRow | undefined>;
  /** a kind's entries on a genome with their payloads, most recently used first */
  recent(genomeId: number, kind: string, limit: number): Promise<ComputationRow[]>;
  close(): Promise<void>;
}

/** A writer for the database file at `path` (a file: an in-memory database has no second connection). */
export function createBlobWriter(path: string, partBytes: number): BlobWriter {
  let worker: Worker | undefined;
  let next = 0;
  const waiting = new Map<number, { resolve(rows: unknown): void; reject(error: Error): void }>();
  const started = (): Worker => {
    if (worker) return worker;
    const w = new Worker(SCRIPT, {
      eval: true,
      workerData: { path, partBytes, driver: require.resolve('better-sqlite3') },
    });
    w.on('message', ({ id, error, rows }: { id: number; error?: string; rows?: unknown }) => {
      const call = waiting.get(id);
      waiting.delete(id);
      if (error === undefined) call?.resolve(rows);
      else call?.reject(new Error(`cached computations (blob thread): ${error}`));
      if (waiting.size === 0) w.unref();
    });
    w.on('error', (error) => {
      for (const call of waiting.values()) call.reject(error);
      waiting.clear();
      worker = undefined;
    });
    worker = w;
    return w;
  };
  const send = <T = void>(message: object): Promise<T> => {
    const w = started();
    const id = next++;
    // held while a write is pending, so a process exit waits for it; let go when idle
    w.ref();
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (rows: unknown) => void, reject });
      // a payload in shared memory (a matrix from the compute pool) is shared, not copied
      w.postMessage({ id, ...message });
    });
  };
  return {
    put: (entry, usedAt) => send({ entry, usedAt }),
    delete: (keys) => send({ deleteKeys: [...keys] }),
    touch: (key, usedAt) => send({ touchKey: key, usedAt }),
    index: (genomeId, kind) => send({ indexOf: { genomeId, kind } }),
    claim: (key, owner, now, until) => send<boolean>({ claimOf: { key, owner, now, until } }),
    release: (key, owner) => send({ releaseOf: { key, owner } }),
    get: async (key) => (await send<ThreadRow[]>({ getKey: key })).map(withBuffer)[0],
    recent: async (genomeId, kind, limit) =>
      (await send<ThreadRow[]>({ recentOf: { genomeId, kind, limit } })).map(withBuffer),
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}

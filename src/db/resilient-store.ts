/**
 * The store as the services get it: every method of `SqliteStore` is retried while another
 * process holds the database's lock, and SQLite's storage faults become `StorageError`s that
 * are remembered for `/healthz`.
 *
 * Why retry here and not only with SQLite's busy_timeout: better-sqlite3 is synchronous, so
 * while SQLite's busy handler waits for a lock, this process's event loop is frozen (no HTTP, no
 * job lease renewal). client.ts keeps busy_timeout short (it absorbs the common wait of a few
 * milliseconds for another process's commit); a longer wait is spent here asynchronously, with
 * exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter", 2015), so two processes do not retry in lock-step and each keeps serving meanwhile.
 *
 * Retrying a whole method is safe because each one is a single transaction (store.ts) that
 * SQLite rolls back when it fails; write transactions start with BEGIN IMMEDIATE
 * (sqlite-store.ts), so contention shows up at their first statement, before any work is done.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from './store';
import { asStorageError, isContention, type FaultLog } from './storage-errors';

export interface ContentionRetry {
  /** attempts in all, the first included */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * 40 attempts, the n-th after a random wait of up to min(500 ms, 10 ms x 2^n), each attempt
 * blocking for at most busy_timeout: about 10 to 25 s in all before giving up, far longer than
 * another process normally holds the write lock (one transaction at a time, milliseconds for
 * ordinary writes).
 */
export const DEFAULT_CONTENTION_RETRY: ContentionRetry = { attempts: 40, baseDelayMs: 10, maxDelayMs: 500 };

/**
 * Methods that write: queued one at a time (unless `queueWrites` is off), and their success
 * shows that the storage accepts writes again. A write missing here still works, only without those two.
 */
const WRITES: ReadonlySet<keyof Store> = new Set<keyof Store>([
  'createModel',
  'deleteModel',
  'createGenome',
  'deleteGenome',
  'appendSamples',
  'setScores',
  'createJob',
  'updateJob',
  'claimJob',
  'renewJobLease',
  'releaseJob',
  'putSchedule',
  'updateSchedule',
  'claimScheduleRound',
  'deleteSchedule',
  'addDriftAlert',
  'putComputation',
  'touchComputation',
  'deleteComputations',
  'claimComputation',
  'releaseComputation',
]);

/**
 * Wraps every method of `store`. Contention past the retries, and every storage fault, reject
 * with a `StorageError`; other errors (a duplicate name, a bug) pass through unchanged.
 */
export function resilientStore<S extends Store>(
  store: S,
  faults: FaultLog,
  retry: ContentionRetry = DEFAULT_CONTENTION_RETRY,
  {
    queueWrites = true,
  }: {
    /**
     * SQLite (the default): writes of this process go one at a time. The connection runs them one
     * at a time anyway, and this way only one of them at a time may sit in SQLite's (blocking)
     * busy wait; the others wait here without blocking anything. PostgreSQL turns it off: each
     * write has a pooled connection of its own and locks only the rows it touches, so queueing
     * them would make a whole process write one transaction at a time (a worker process storing
     * answers for several jobs ran at one store per round-trip chain: the workers bench, issue 10).
     */
    queueWrites?: boolean;
  } = {},
): S {
  let writes: Promise<unknown> = Promise.resolve();
  return new Proxy(store, {
    get(target, name, receiver) {
      const member: unknown = Reflect.get(target, name, receiver);
      if (typeof member !== 'function') return member;
      const write = WRITES.has(name as keyof Store);
      const call = async (args: unknown[]) => {
        for (let attempt = 1; ; attempt++) {
          try {
            // `target` as `this`: a method calling another one does not retry twice
            const result: unknown = await (member as (...a: unknown[]) => unknown).apply(target, args);
            if (write) faults.writeSucceeded();
            return result;
          } catch (error) {
            if (isContention(error) && attempt < retry.attempts) {
              const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
              await sleep(Math.random() * ceiling);
              continue;
            }
            const storage = asStorageError(error);
            if (!storage) throw error;
            // contention is not a fault of the storage: /healthz stays ok
            if (!isContention(error)) faults.record(storage);
            throw storage;
          }
        }
      };
      if (!write || !queueWrites) return (...args: unknown[]) => call(args);
      return (...args: unknown[]) => {
        const result = writes.then(() => call(args));
        writes = result.catch(() => undefined);
        return result;
      };
    },
  });
}

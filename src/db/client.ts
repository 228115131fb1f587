/**
 * Opens the SQLite database, checks it, sets the pragmas the server relies on and applies the
 * migrations. WAL lets dashboards read while a probing job writes; foreign keys keep samples tied
 * to real genes and models.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { migrationsFolder } from '../paths';
import { createBlobWriter, type BlobWriter } from './blob-writer';
import { COMPUTATION_PART_BYTES, sqliteComputations, type SqliteComputations } from './computation-parts';
import * as schema from './schema';
import { asStorageError } from './storage-errors';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  db: Db;
  sqlite: Database.Database;
  /**
   * Cached computations and the claims on computing them: on their own thread and connection for
   * a file (blob-writer.ts), on the main connection for a database in memory (which has no
   * second one); the same statements either way (computation-parts.ts).
   */
  computations: BlobWriter;
  close(): void;
}

export interface DatabaseOptions {
  /** parts of cached computations; small in tests, so that a payload of a few KB has several */
  computationPartBytes?: number;
}

/**
 * How long SQLite itself waits for another connection's lock before failing with SQLITE_BUSY.
 * Short on purpose: better-sqlite3 is synchronous, so this wait freezes the whole process (HTTP,
 * job leases). It covers the usual wait for another process's commit (a few ms); longer waits
 * are retried asynchronously with backoff by resilient-store.ts, so the process keeps serving.
 */
export const BUSY_TIMEOUT_MS = 200;

/** Refused at start-up: the file is not a usable database (the message names it). */
export class DatabaseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseFileError';
  }
}

export function openDatabase(path: string, options: DatabaseOptions = {}): DatabaseHandle {
  const computationPartBytes = options.computationPartBytes ?? COMPUTATION_PART_BYTES;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path);
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    checkIntegrity(sqlite, path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose the
    // last transactions), and several times faster than FULL for bulk sample imports.
    sqlite.pragma('synchronous = NORMAL');
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder });
    const opened = sqlite;
    const computations =
      path === ':memory:'
        ? onThisConnection(sqliteComputations(opened, computationPartBytes))
        : createBlobWriter(path, computationPartBytes);
    return {
      db,
      sqlite: opened,
      computations,
      close: () => {
        void computations.close();
        opened.close();
      },
    };
  } catch (error) {
    sqlite?.close();
    if (error instanceof DatabaseFileError) throw error;
    const storage = asStorageError(error);
    if (!storage) throw error;
    const remedy = storage.lasting ? '; restore it from a backup, or move it away to start with an empty database' : '';
    throw new DatabaseFileError(
      `the database file ${path} cannot be used: ${storage.message} (${storage.code})${remedy}`,
    );
  }
}

/**
 * `PRAGMA quick_check` (https://www.sqlite.org/pragma.html#pragma_quick_check): the integrity
 * check without the index-content cross-check, linear in the file's size (about a second per
 * GB). Run before anything else touches the file, so a damaged database stops the server at
 * start-up with a message naming the file, instead of a server whose `/healthz` says ok while
 * its queries fail. Damage appearing later is reported by `/healthz` (resilient-store.ts).
 */
function checkIntegrity(sqlite: Database.Database, path: string): void {
  const rows = sqlite.pragma('quick_check(5)') as { quick_check: string }[];
  if (rows.length === 1 && rows[0].quick_check === 'ok') return;
  // one line for the log: a finding may hold several lines, led by "*** in database main ***"
  const findings = rows
    .flatMap((r) => r.quick_check.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('***'));
  throw new DatabaseFileError(
    `the database file ${path} is corrupt (PRAGMA quick_check: ${findings.join('; ')}); ` +
      'restore it from a backup, or move it away to start with an empty database',
  );
}

/** The computation statements of the main connection behind the blob thread's interface. */
function onThisConnection(computations: SqliteComputations): BlobWriter {
  return {
    put: async (entry, usedAt) => computations.put(entry, usedAt),
    delete: async (keys) => computations.remove(keys),
    touch: async (key, usedAt) => computations.touch(key, usedAt),
    index: async (genomeId, kind) => computations.index(genomeId, kind),
    claim: async (key, owner, now, until) => computations.claim(key, owner, now, until),
    release: async (key, owner) => computations.release(key, owner),
    get: async (key) => computations.get(key),
    recent: async (genomeId, kind, limit) => computations.recent(genomeId, kind, limit),
    close: async () => undefined,
  };
}

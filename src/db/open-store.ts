/**
 * Opens the store the configuration names: SQLite (a file, or `:memory:`) by default, or
 * PostgreSQL when `PHYLOLM_DB` is a `postgres://` URL. Either way the services get the same
 * `Store`, wrapped by resilient-store.ts (contention retried, storage faults reported).
 */
import { openDatabase, type DatabaseHandle } from './client';
import { openPostgres, type PostgresHandle } from './postgres-client';
import { PostgresStore } from './postgres-store';
import { resilientStore } from './resilient-store';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

/** The engine behind the store, for what only it can do (tests simulating faults, a job queue on PostgreSQL). */
export type OpenedDatabase = { kind: 'sqlite'; handle: DatabaseHandle } | { kind: 'postgres'; handle: PostgresHandle };

export interface OpenedStore {
  store: Store;
  database: OpenedDatabase;
  /** where the data lives, for logs: the file, or the URL without its password */
  location: string;
  close(): Promise<void>;
}

export interface StoreLocation {
  /** the SQLite file (or `:memory:`), used when `postgresUrl` is not set */
  dbPath: string;
  postgresUrl?: string;
  /** PostgreSQL connections at most in this process */
  pgPoolSize?: number;
}

export async function openStore(location: StoreLocation): Promise<OpenedStore> {
  if (location.postgresUrl !== undefined) {
    // An idle connection's error (server restart) is not recorded as a fault: health() asks the
    // server itself, so /healthz says ok again as soon as it answers, even on a process that
    // never writes.
    const handle = await openPostgres(location.postgresUrl, { poolSize: location.pgPoolSize });
    const opened = new PostgresStore(handle);
    return {
      // writes at once: each takes a pooled connection (resilient-store.ts, queueWrites)
      store: resilientStore(opened, opened.faults, undefined, { queueWrites: false }),
      database: { kind: 'postgres', handle },
      location: handle.safeUrl,
      close: () => opened.close(),
    };
  }
  const handle = openDatabase(location.dbPath);
  const sqliteStore = new SqliteStore(handle);
  return {
    // retries while another process holds the lock; storage faults become StorageError
    store: resilientStore(sqliteStore, sqliteStore.faults),
    database: { kind: 'sqlite', handle },
    location: location.dbPath,
    close: async () => handle.close(),
  };
}

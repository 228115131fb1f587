/**
 * Opens the SQLite database, sets the pragmas the server relies on and applies the migrations.
 * WAL lets dashboards read while a probing job writes; foreign keys keep samples tied to real
 * genes and models.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { migrationsFolder } from '../paths';
import { createBlobWriter, type BlobWriter } from './blob-writer';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  db: Db;
  sqlite: Database.Database;
  /** writes large cached computations off the event loop; none for an in-memory database */
  blobWriter?: BlobWriter;
  close(): void;
}

export function openDatabase(path: string): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose the
  // last transactions), and several times faster than FULL for bulk sample imports.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  const blobWriter = path === ':memory:' ? undefined : createBlobWriter(path);
  return {
    db,
    sqlite,
    blobWriter,
    close: () => {
      void blobWriter?.close();
      sqlite.close();
    },
  };
}

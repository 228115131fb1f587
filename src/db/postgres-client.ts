/**
 * Opens a PostgreSQL database: a node-postgres connection pool, drizzle on top of it, and the
 * migrations of `migrations/pg/` applied at start-up.
 *
 * Several processes may start at once against one database (API and workers): the migrations
 * run on one connection holding a session-level advisory lock
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS), so the others
 * wait for it and then find every migration applied.
 */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Pool } from 'pg';
import { pgMigrationsFolder } from '../paths';
import { COMPUTATION_PART_BYTES } from './computation-parts';
import * as schema from './pg-schema';
import { asStorageError } from './storage-errors';

export type PgDb = NodePgDatabase<typeof schema>;

export interface PostgresHandle {
  db: PgDb;
  pool: Pool;
  /** the URL without its password, for logs */
  safeUrl: string;
  /** the largest part a cached computation's payload is stored and read in (computation-parts.ts) */
  computationPartBytes: number;
  close(): Promise<void>;
}

/** An arbitrary constant naming "the migrations lock" among advisory locks ('phylo' in ASCII). */
const MIGRATION_LOCK = 0x7068796c6f;

/** Refused at start-up: the server cannot be used (the message names it, never the password). */
export class DatabaseServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseServerError';
  }
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL with its password masked: what logs and error messages may show. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export interface PostgresOptions {
  /** connections at most in this process's pool */
  poolSize?: number;
  /** parts of cached computations; small in tests, so that a payload of a few KB has several */
  computationPartBytes?: number;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresHandle> {
  const safeUrl = redactUrl(url);
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    application_name: 'phylolm',
  });
  // without a listener, an idle connection's error (server restart) would end the process; the
  // pool drops that connection and opens another when needed
  pool.on('error', () => undefined);
  // likewise for a connection lost while checked out (its backend terminated mid-transaction):
  // its query fails with the error, and the pool discards it when it comes back (not queryable)
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder: pgMigrationsFolder });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    const storage = asStorageError(error);
    if (!storage) throw error;
    throw new DatabaseServerError(`the database ${safeUrl} cannot be used: ${storage.message} (${storage.code})`);
  }
  const db = drizzle(pool, { schema });
  let closed: Promise<void> | undefined;
  return {
    db,
    pool,
    safeUrl,
    computationPartBytes: options.computationPartBytes ?? COMPUTATION_PART_BYTES,
    close: () => (closed ??= pool.end()),
  };
}

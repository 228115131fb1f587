/**
 * What the database engines' errors mean for the server. Two families matter:
 *
 * - contention: another connection holds a lock; the operation is safe to retry because every
 *   store method is one transaction, rolled back on error;
 * - storage faults (full disk, read-only database, corruption, I/O error, a database that cannot
 *   be opened or reached): no retry helps; clients get `STORAGE_UNAVAILABLE` and `/healthz`
 *   reports it.
 *
 * SQLite: better-sqlite3 throws `SqliteError` with the extended result code as `code` (e.g.
 * SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE); see https://www.sqlite.org/rescode.html.
 * PostgreSQL: node-postgres throws `DatabaseError` with the five-character SQLSTATE as `code`
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html), and Node's socket errors
 * (ECONNREFUSED, ...) when the server cannot be reached; drizzle wraps both in a
 * `DrizzleQueryError` whose `cause` is the driver's error.
 */

/** Why a SQLite storage fault makes the store unusable, by primary result code. */
const SQLITE_FAULTS: Record<string, string> = {
  SQLITE_FULL: 'the disk holding the database is full',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'the database file is not a SQLite database (or its header is damaged)',
  SQLITE_IOERR: 'an I/O error occurred on the database file',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
};

/** The same for PostgreSQL, by SQLSTATE (exact code first, then its two-character class). */
const PG_FAULTS: Record<string, string> = {
  '53100': 'the disk holding the database is full',
  '53200': 'the database server is out of memory',
  '53300': 'the database server refuses more connections',
  '25006': 'the database is read-only',
  XX001: 'the database is corrupt (data)',
  XX002: 'the database is corrupt (an index)',
  '58030': 'an I/O error occurred on the database server',
  '57P01': 'the database server is shutting down',
  '57P02': 'the database server is shutting down',
  '57P03': 'the database server is starting up or shutting down',
  '3D000': 'the database does not exist on the server',
  '28000': 'the database server refused the credentials',
  '28P01': 'the database server refused the credentials',
  // class 08: connection exceptions
  '08': 'the connection to the database server failed',
};

/** Node's socket errors and node-postgres's own messages for a server it cannot talk to. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH']);
const UNREACHABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error/,
  /Cannot use a pool after calling end on the pool/,
];

const UNREACHABLE = 'the database server cannot be reached';

/** Faults that no later success undoes: the data stays damaged until an operator acts. */
const LASTING = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'XX001', 'XX002']);

/** PostgreSQL's lock and serialization conflicts: a retry of the whole transaction can succeed. */
const PG_CONTENTION = new Set(['40001', '40P01', '55P03']);

/** The driver's error under drizzle's wrapper. */
function driverError(error: unknown): unknown {
  let at = error;
  for (let depth = 0; depth < 4; depth++) {
    const cause = (at as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null || (at as { code?: unknown }).code !== undefined) return at;
    at = cause;
  }
  return at;
}

function codeOf(error: unknown): string | undefined {
  const code = (driverError(error) as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function sqlitePrimaryCode(error: unknown): string | undefined {
  const code = codeOf(error);
  if (code === undefined || !code.startsWith('SQLITE_')) return undefined;
  // extended codes add a suffix to the primary one: SQLITE_BUSY_SNAPSHOT -> SQLITE_BUSY
  return /^SQLITE_[A-Z]+/.exec(code)?.[0];
}

/** A PostgreSQL SQLSTATE, only from an error the server sent (node-postgres sets `severity`). */
function sqlState(error: unknown): string | undefined {
  const inner = driverError(error) as { code?: unknown; severity?: unknown } | null;
  if (typeof inner?.severity !== 'string' || typeof inner.code !== 'string') return undefined;
  return /^[0-9A-Z]{5}$/.test(inner.code) ? inner.code : undefined;
}

function unreachable(error: unknown): string | undefined {
  const inner = driverError(error) as { code?: unknown; message?: unknown } | null;
  if (typeof inner?.code === 'string' && UNREACHABLE_CODES.has(inner.code)) return inner.code;
  const message = typeof inner?.message === 'string' ? inner.message : '';
  return UNREACHABLE_MESSAGES.some((m) => m.test(message)) ? 'CONNECTION' : undefined;
}

/** True for errors a retry can cure: another connection held the database. */
export function isContention(error: unknown): boolean {
  const code = sqlitePrimaryCode(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true;
  const state = sqlState(error);
  return state !== undefined && PG_CONTENTION.has(state);
}

/** True for a PostgreSQL unique-constraint violation (SQLSTATE 23505) or SQLite's. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || sqlState(error) === '23505';
}

/**
 * The storage is not usable (or too busy to use) right now. Services let it through; the GraphQL
 * layer shows it as `STORAGE_UNAVAILABLE` with this message, which never carries SQL, paths or
 * connection strings.
 */
export class StorageError extends Error {
  constructor(
    message: string,
    /** the engine's code behind it (SQLITE_FULL, SQLSTATE 53100, ECONNREFUSED), for logs */
    readonly code: string,
    /** true when it will not go away by itself (a corrupt file) */
    readonly lasting: boolean,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** The `StorageError` for a storage fault or exhausted contention, or undefined for anything else. */
export function asStorageError(error: unknown): StorageError | undefined {
  if (error instanceof StorageError) return error;
  if (isContention(error)) {
    return new StorageError(
      'the database is busy (another process holds its lock); try again',
      codeOf(error) ?? 'BUSY',
      false,
    );
  }
  const sqlite = sqlitePrimaryCode(error);
  if (sqlite !== undefined) {
    const reason = SQLITE_FAULTS[sqlite];
    return reason === undefined ? undefined : new StorageError(reason, codeOf(error)!, LASTING.has(sqlite));
  }
  const state = sqlState(error);
  if (state !== undefined) {
    const reason = PG_FAULTS[state] ?? PG_FAULTS[state.slice(0, 2)];
    return reason === undefined ? undefined : new StorageError(reason, state, LASTING.has(state));
  }
  const socket = unreachable(error);
  if (socket !== undefined) return new StorageError(UNREACHABLE, socket, false);
  return undefined;
}

/** The last storage fault seen, until a write succeeds again (or for good, for a corrupt file). */
export class FaultLog {
  private fault: { error: StorageError; at: string } | undefined;

  record(error: StorageError): void {
    if (this.fault?.error.lasting && !error.lasting) return;
    this.fault = { error, at: new Date().toISOString() };
  }

  writeSucceeded(): void {
    if (this.fault && !this.fault.error.lasting) this.fault = undefined;
  }

  /**
   * Clears a standing "cannot be reached" fault: called once the server answered again, so a
   * process that only reads is not reported unhealthy until its next write.
   */
  reachedAgain(): void {
    if (this.fault?.error.message === UNREACHABLE) this.fault = undefined;
  }

  /** A sentence for `/healthz`, or undefined when no fault is standing. */
  current(): string | undefined {
    if (!this.fault) return undefined;
    const { error, at } = this.fault;
    return `${error.message} (${error.code}, seen at ${at})`;
  }
}

/**
 * What SQLite's error codes mean for the server. better-sqlite3 throws `SqliteError` with the
 * extended result code as `code` (e.g. SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE); see
 * https://www.sqlite.org/rescode.html. Two families matter:
 *
 * - contention (SQLITE_BUSY*, SQLITE_LOCKED*): another connection holds the lock; the operation
 *   is safe to retry because every store method is one transaction, rolled back on error;
 * - storage faults (full disk, read-only file, corruption, I/O error, file that cannot be
 *   opened): no retry helps; clients get `STORAGE_UNAVAILABLE` and `/healthz` reports it.
 */

/** Why a storage fault makes the store unusable, by primary result code. */
const FAULTS: Record<string, string> = {
  SQLITE_FULL: 'the disk holding the database is full',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'the database file is not a SQLite database (or its header is damaged)',
  SQLITE_IOERR: 'an I/O error occurred on the database file',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
};

/** Faults that no later success undoes: the file stays damaged until an operator acts. */
const LASTING = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

function primaryCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  // extended codes add a suffix to the primary one: SQLITE_BUSY_SNAPSHOT -> SQLITE_BUSY
  const match = /^SQLITE_[A-Z]+/.exec(code);
  return match?.[0];
}

/** True for errors a retry can cure: another connection held the database. */
export function isContention(error: unknown): boolean {
  const code = primaryCode(error);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/**
 * The storage is not usable (or too busy to use) right now. Services let it through; the GraphQL
 * layer shows it as `STORAGE_UNAVAILABLE` with this message, which never carries SQL or paths.
 */
export class StorageError extends Error {
  constructor(
    message: string,
    /** the SQLite result code behind it (e.g. SQLITE_FULL), for logs */
    readonly sqliteCode: string,
    /** true when it will not go away by itself (a corrupt file) */
    readonly lasting: boolean,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** The `StorageError` for a SQLite fault or exhausted contention, or undefined for anything else. */
export function asStorageError(error: unknown): StorageError | undefined {
  if (error instanceof StorageError) return error;
  const code = primaryCode(error);
  if (code === undefined) return undefined;
  const fullCode = (error as { code: string }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StorageError('the database is busy (another process holds its lock); try again', fullCode, false);
  }
  const reason = FAULTS[code];
  return reason === undefined ? undefined : new StorageError(reason, fullCode, LASTING.has(code));
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

  /** A sentence for `/healthz`, or undefined when no fault is standing. */
  current(): string | undefined {
    if (!this.fault) return undefined;
    const { error, at } = this.fault;
    return `${error.message} (${error.sqliteCode}, seen at ${at})`;
  }
}

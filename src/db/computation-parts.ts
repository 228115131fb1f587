/**
 * Cached computations stored in parts (issue 10). A 10,000-model distance matrix is 800 MB, more
 * than one database value can carry here: better-sqlite3 refuses to bind a buffer over about
 * 512 MB ("The bound string, buffer, or bigint is too big"), and node-postgres reads `bytea`
 * only as hex text, so a value over about 256 MB became a string longer than V8 allows
 * (ERR_STRING_TOO_LONG, thrown from the socket's callback: the process ended).
 *
 * So a payload is cut into parts of at most `partBytes`: part 0 stays in `computations.payload`
 * (a small entry, most of them, is one row as before, and rows written before the parts read
 * the same), parts 1, 2, ... go to `computation_parts`, removed with their entry by the foreign
 * key's cascade and replaced with it in one transaction. A reader sums the parts' lengths first
 * (SQLite's `length()` of a blob and PostgreSQL's `octet_length()` of an out-of-line value read
 * the value's header only), makes the whole buffer once and copies each part into it as it
 * comes, so an 800 MB entry needs 800 MB and one part, not twice 800 MB. On PostgreSQL the parts
 * come as raw bytes through a binary COPY (pg-copy-out.ts), not as hex text.
 */
import type { Database } from 'better-sqlite3';
import type { ComputationRow, NewComputation } from './store';

/**
 * 1 MB: far below every limit, and the fastest part size measured here (scratch runs on a busy
 * 2-core machine): 64 MB of float64s stored on PostgreSQL in 2.2-2.6 s in 32 MB parts, 0.8-1 s in
 * 4 MB parts, 0.5 s in 1 MB parts; 100 MB on SQLite stored in 1.9-2.1 s in 32 MB parts and 0.75 s
 * in 1 MB parts, read back in 1-1.7 s and 0.45-0.6 s; 256 KB and 4 MB read no faster on
 * PostgreSQL. A large value costs more than its bytes: fresh memory for each (and node-postgres
 * grows its buffer for one message by doubling).
 */
export const COMPUTATION_PART_BYTES = 1024 * 1024;

/** Where part `part` (0 is the row's own payload) of a payload of `size` bytes starts and ends. */
export function partBounds(size: number, partBytes: number): { start: number; end: number }[] {
  const bounds = [{ start: 0, end: Math.min(size, partBytes) }];
  for (let start = partBytes; start < size; start += partBytes) {
    bounds.push({ start, end: Math.min(size, start + partBytes) });
  }
  return bounds;
}

export interface SqliteComputations {
  /** stores `entry` (replacing an entry under its key, parts and all) in one transaction */
  put(entry: NewComputation, usedAt: string): void;
  get(key: string): ComputationRow | undefined;
  recent(genomeId: number, kind: string, limit: number): ComputationRow[];
  /** keys and dependencies of a kind's entries on a genome, most recently used first */
  index(genomeId: number, kind: string): { key: string; dependencies: string }[];
  touch(key: string, usedAt: string): void;
  /** drops the entries (their parts go by the cascade) in one transaction */
  remove(keys: readonly string[]): void;
  /** Store.claimComputation: one write transaction, so SQLite's single writer makes check and claim atomic */
  claim(key: string, owner: string, now: number, until: number): boolean;
  release(key: string, owner: string): void;
}

/**
 * Every statement on cached computations (and the claims on computing them) on SQLite, for a
 * connection `db`: the one definition, used on the main connection (a database in memory) and
 * on the blob thread (blob-writer.ts), which runs this function's own source: so it uses
 * nothing but its arguments and globals (`partBounds` is defined there as well).
 */
export function sqliteComputations(db: Database, partBytes: number): SqliteComputations {
  const columns = 'key, kind, genome_id AS genomeId, dependencies, payload, created_at AS createdAt, used_at AS usedAt';
  const upsert = db.prepare(
    'INSERT INTO computations (key, kind, genome_id, dependencies, payload, used_at) VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET payload = excluded.payload, used_at = excluded.used_at',
  );
  const dropParts = db.prepare('DELETE FROM computation_parts WHERE key = ?');
  const insertPart = db.prepare('INSERT INTO computation_parts (key, part, data) VALUES (?, ?, ?)');
  const partSizes = db.prepare('SELECT length(data) AS bytes FROM computation_parts WHERE key = ? ORDER BY part');
  const partData = db.prepare('SELECT data FROM computation_parts WHERE key = ? ORDER BY part').pluck();
  const one = db.prepare('SELECT ' + columns + ' FROM computations WHERE key = ?');
  const recent = db.prepare(
    'SELECT ' + columns + ' FROM computations WHERE genome_id = ? AND kind = ? ORDER BY used_at DESC LIMIT ?',
  );
  // the row's payload followed by its parts, as one buffer of its own (so it can be moved)
  const whole = (row: ComputationRow): ComputationRow => {
    const sizes = (partSizes.all(row.key) as { bytes: number }[]).map((p) => p.bytes);
    if (sizes.length === 0) return row;
    const out = Buffer.allocUnsafeSlow(sizes.reduce((sum, bytes) => sum + bytes, row.payload.length));
    let at = row.payload.copy(out, 0);
    for (const data of partData.iterate(row.key) as IterableIterator<Buffer>) at += data.copy(out, at);
    return { ...row, payload: out };
  };
  const put = db.transaction((entry: NewComputation, usedAt: string) => {
    // a payload posted to a thread arrives as a Uint8Array
    const p = entry.payload;
    const payload = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    const parts = partBounds(payload.length, partBytes).map(({ start, end }) => payload.subarray(start, end));
    upsert.run(entry.key, entry.kind, entry.genomeId, entry.dependencies, parts[0], usedAt);
    dropParts.run(entry.key);
    for (let part = 1; part < parts.length; part++) insertPart.run(entry.key, part, parts[part]);
  });
  // a read transaction: the row and its parts from one snapshot, whatever another connection writes
  const get = db.transaction((key: string) => {
    const row = one.get(key) as ComputationRow | undefined;
    return row && whole(row);
  });
  const recentRows = db.transaction((genomeId: number, kind: string, limit: number) =>
    (recent.all(genomeId, kind, limit) as ComputationRow[]).map(whole),
  );
  const index = db.prepare(
    'SELECT key, dependencies FROM computations WHERE genome_id = ? AND kind = ? ORDER BY used_at DESC',
  );
  const touch = db.prepare('UPDATE computations SET used_at = ? WHERE key = ?');
  const drop = db.prepare('DELETE FROM computations WHERE key = ?');
  const remove = db.transaction((keys: readonly string[]) => {
    for (const key of keys) drop.run(key);
  });
  const expireClaims = db.prepare('DELETE FROM computation_claims WHERE until < ?');
  const upsertClaim = db.prepare(
    'INSERT INTO computation_claims (key, owner, until) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE ' +
      'SET owner = excluded.owner, until = excluded.until ' +
      'WHERE computation_claims.owner = excluded.owner OR computation_claims.until < ? RETURNING key',
  );
  const claim = db.transaction((key: string, owner: string, now: number, until: number) => {
    expireClaims.run(now);
    return upsertClaim.all(key, owner, until, now).length === 1;
  });
  const unclaim = db.prepare('DELETE FROM computation_claims WHERE key = ? AND owner = ?');
  return {
    put: (entry, usedAt) => put.immediate(entry, usedAt),
    get: (key) => get(key),
    recent: (genomeId, kind, limit) => recentRows(genomeId, kind, limit),
    index: (genomeId, kind) => index.all(genomeId, kind) as { key: string; dependencies: string }[],
    touch: (key, usedAt) => void touch.run(usedAt, key),
    remove: (keys) => remove.immediate(keys),
    claim: (key, owner, now, until) => claim.immediate(key, owner, now, until),
    release: (key, owner) => void unclaim.run(key, owner),
  };
}

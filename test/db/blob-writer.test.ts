/**
 * Cached computations (a 2,000-model matrix is 32 MB) are stored and dropped from a worker
 * thread with its own connection, so the event loop keeps turning while SQLite writes them, and
 * the main connection reads back exactly the bytes stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const MB = 1024 * 1024;
import { openDatabase, type DatabaseHandle } from '../../src/db/client';
import { SqliteStore } from '../../src/db/sqlite-store';

let dir: string;
let database: DatabaseHandle;
let store: SqliteStore;
let genomeId: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phylolm-blob-'));
  database = openDatabase(join(dir, 'store.db'));
  store = new SqliteStore(database);
  genomeId = (await store.createGenome({ name: 'g', fingerprint: 'f', genes: ['a', 'b'] })).id;
});

afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Whether `write` was still pending once the microtasks queued with it had run, i.e. it waited
 * for something outside this thread (a synchronous SQLite call is done by then).
 */
async function loopTurnedDuring(write: () => Promise<void>): Promise<boolean> {
  let settled = false;
  const done = write().then(() => {
    settled = true;
  });
  for (let i = 0; i < 10; i++) await null;
  const pending = !settled;
  await done;
  return pending;
}

it('stores a large payload off the event loop and reads it back byte for byte, then replaces it', async () => {
  const matrix = new Float64Array(new SharedArrayBuffer(2 * MB));
  for (let i = 0; i < matrix.length; i++) matrix[i] = Math.sqrt(i);
  const payload = Buffer.from(matrix.buffer, matrix.byteOffset, matrix.byteLength);
  const entry = { key: 'big', kind: 'nei-similarity/v1', genomeId, dependencies: '[[1,2]]', payload };
  expect(await loopTurnedDuring(() => store.putComputation(entry))).toBe(true);
  const row = await store.getComputation('big');
  expect(row).toMatchObject({ kind: 'nei-similarity/v1', genomeId, dependencies: '[[1,2]]' });
  expect(Buffer.compare(row!.payload, payload)).toBe(0);

  const again = Buffer.alloc(MB, 7);
  await store.putComputation({ ...entry, payload: again });
  expect(Buffer.compare((await store.getComputation('big'))!.payload, again)).toBe(0);
});

it('drops computations off the event loop too, and a small one is stored like a large one', async () => {
  const payload = Buffer.from('{"tree":1}');
  await store.putComputation({ key: 'small', kind: 'tree/v1', genomeId, dependencies: '[]', payload });
  expect((await store.getComputation('small'))!.payload.toString()).toBe('{"tree":1}');
  expect(await loopTurnedDuring(() => store.deleteComputations(['small']))).toBe(true);
  expect(await store.getComputation('small')).toBeUndefined();
});

it('lists and touches entries off the event loop: the most recently used comes first', async () => {
  const put = (key: string) =>
    store.putComputation({ key, kind: 'k', genomeId, dependencies: `["${key}"]`, payload: Buffer.alloc(MB) });
  await put('a');
  await put('b');
  expect((await store.computationIndex(genomeId, 'k')).map((r) => r.key)).toEqual(['b', 'a']);
  await new Promise((resolve) => setTimeout(resolve, 5)); // used_at has millisecond resolution
  expect(await loopTurnedDuring(() => store.touchComputation('a'))).toBe(true);
  let rows: { key: string; dependencies: string }[] = [];
  expect(await loopTurnedDuring(async () => void (rows = await store.computationIndex(genomeId, 'k')))).toBe(true);
  expect(rows).toEqual([
    { key: 'a', dependencies: '["a"]' },
    { key: 'b', dependencies: '["b"]' },
  ]);
});

it('reports a write the database refuses (no such genome)', async () => {
  const payload = Buffer.alloc(MB);
  await expect(
    store.putComputation({ key: 'orphan', kind: 'k', genomeId: genomeId + 99, dependencies: '[]', payload }),
  ).rejects.toThrow(/FOREIGN KEY/);
});

it('reads payloads off the event loop, byte for byte, with every column as the main connection has it', async () => {
  const payload = Buffer.alloc(4 * MB);
  for (let i = 0; i < payload.length; i += 4096) payload[i] = i % 251;
  await store.putComputation({ key: 'read', kind: 'k', genomeId, dependencies: '[[3,4]]', payload });
  let row: Awaited<ReturnType<SqliteStore['getComputation']>>;
  expect(await loopTurnedDuring(async () => void (row = await store.getComputation('read')))).toBe(true);
  expect(Buffer.compare(row!.payload, payload)).toBe(0);
  expect(row).toMatchObject({ key: 'read', kind: 'k', genomeId, dependencies: '[[3,4]]' });
  expect(row!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(row!.usedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(await store.getComputation('absent')).toBeUndefined();
});

it('reads the most recently used entries of a kind off the event loop, small payloads too', async () => {
  for (const key of ['x', 'y', 'z']) {
    await store.putComputation({ key, kind: 'r', genomeId, dependencies: '[]', payload: Buffer.from(key) });
    await new Promise((resolve) => setTimeout(resolve, 5)); // used_at has millisecond resolution
  }
  let rows: Awaited<ReturnType<SqliteStore['recentComputations']>> = [];
  expect(await loopTurnedDuring(async () => void (rows = await store.recentComputations(genomeId, 'r', 2)))).toBe(true);
  expect(rows.map((r) => [r.key, r.payload.toString()])).toEqual([
    ['z', 'z'],
    ['y', 'y'],
  ]);
});

it('claims and releases computations off the event loop, one live claim per key', async () => {
  let won = false;
  expect(await loopTurnedDuring(async () => void (won = await store.claimComputation('c', 'p1', 1000, 5000)))).toBe(
    true,
  );
  expect(won).toBe(true);
  expect(await store.claimComputation('c', 'p2', 2000, 6000)).toBe(false);
  expect(await loopTurnedDuring(() => store.releaseComputation('c', 'p1'))).toBe(true);
  expect(await store.claimComputation('c', 'p2', 2000, 6000)).toBe(true);
});

/**
 * The store's answer to another process holding the write lock (resilient-store.ts): it waits
 * without freezing the event loop, and gives up with a clear StorageError only after its bounded
 * retries, without reporting the storage as faulty. "Another process" is a second connection
 * to the same file, which is what SQLite sees either way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type DatabaseHandle } from '../../src/db/client';
import { resilientStore } from '../../src/db/resilient-store';
import { SqliteStore } from '../../src/db/sqlite-store';
import { StorageError } from '../../src/db/storage-errors';

let dir: string;
let handle: DatabaseHandle;
let other: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'phylolm-busy-'));
  handle = openDatabase(join(dir, 'db.sqlite'));
  other = new Database(join(dir, 'db.sqlite'));
});

afterEach(() => {
  if (other.inTransaction) other.exec('ROLLBACK');
  other.close();
  handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const model = (name: string) => ({
  name,
  provider: 'external',
  mode: 'CHAT' as const,
  temperature: 0.7,
  topP: 1,
  maxTokens: 5,
});

it('a write waits for a lock another connection holds, while the event loop keeps running, then succeeds', async () => {
  const sqlite = new SqliteStore(handle);
  const store = resilientStore(sqlite, sqlite.faults);
  other.exec('BEGIN IMMEDIATE');
  other
    .prepare(
      `INSERT INTO models (name, provider, mode, temperature, top_p, max_tokens) VALUES ('held', 'external', 'CHAT', 0.7, 1, 5)`,
    )
    .run();

  // The lock is released by a timer: it can only fire if waiting for the lock leaves the event
  // loop free (SQLite's own busy wait would block it, and fail after busy_timeout).
  let timerRan = false;
  setTimeout(() => {
    timerRan = true;
    other.exec('COMMIT');
  }, 500);
  const created = await store.createModel(model('waiting'));

  expect(timerRan).toBe(true);
  expect(created.name).toBe('waiting');
  expect((await store.listModels({}, null, 10)).map((m) => m.name)).toEqual(['held', 'waiting']);
  expect(await store.health()).toEqual({ ok: true });
});

it('a read-then-write (appendSamples) is not broken by a commit from another connection', async () => {
  const sqlite = new SqliteStore(handle);
  const store = resilientStore(sqlite, sqlite.faults);
  const genome = await store.createGenome({ name: 'g', fingerprint: 'f', genes: ['a', 'b'] });
  const m = await store.createModel(model('m'));
  const appendOne = (text: string) =>
    store.appendSamples({
      modelId: m.id,
      genomeId: genome.id,
      source: 'IMPORTED',
      samples: [{ gene: 0, text }],
      updatePopulation: () => ({ counts: '{}', alleleLength: 4 }),
    });
  // Interleave: the other connection commits while our appends are queued behind its lock.
  other.exec('BEGIN IMMEDIATE');
  other
    .prepare(
      `INSERT INTO models (name, provider, mode, temperature, top_p, max_tokens) VALUES ('other', 'external', 'CHAT', 0.7, 1, 5)`,
    )
    .run();
  const appends = Array.from({ length: 20 }, (_, i) => appendOne(`text ${i}`));
  setTimeout(() => other.exec('COMMIT'), 300);
  const results = await Promise.all(appends);
  expect(results.map((r) => r.accepted)).toEqual(results.map(() => 1));
  const indices = (await store.listSamples({ modelId: m.id, genomeId: genome.id }, null, 100)).map(
    (s) => s.sampleIndex,
  );
  expect(indices.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
});

it('a lock held past the retries gives a StorageError that says the database is busy, and /healthz stays ok', async () => {
  const sqlite = new SqliteStore(handle);
  const store = resilientStore(sqlite, sqlite.faults, { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 });
  other.exec('BEGIN IMMEDIATE');
  const failure = await store.createModel(model('never')).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(StorageError);
  expect((failure as StorageError).message).toMatch(/busy/);
  expect((failure as StorageError).code).toBe('SQLITE_BUSY');
  expect(await store.health()).toEqual({ ok: true });
  other.exec('ROLLBACK');
  expect((await store.createModel(model('later'))).name).toBe('later');
});

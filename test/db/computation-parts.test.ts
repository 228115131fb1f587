/**
 * Cached computations past what one database value carried (issue 10), on the stores the server
 * opens: before the parts, SQLite refused a payload over about 512 MB ("The bound string, buffer,
 * or bigint is too big") and reading a payload over about 256 MB back from PostgreSQL ended the
 * process (hex text longer than V8's longest string, thrown from a socket callback). Also what
 * only the tables show: parts go with their entry, and a row stored whole before the parts reads
 * back the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/client';
import { openPostgres, type PostgresHandle } from '../../src/db/postgres-client';
import { PostgresStore } from '../../src/db/postgres-store';
import { SqliteStore } from '../../src/db/sqlite-store';
import type { Store } from '../../src/db/store';
import { createTestDatabase, describeWithPostgres, emptyAllTables, type TestDatabase } from '../helpers/postgres';
import { TEST_COMPUTATION_PART_BYTES } from './store-contract';

const MB = 1024 * 1024;

/** `bytes` bytes repeating a 251-byte pattern: a part (a power of two) out of place shows. */
function large(bytes: number): Buffer {
  const pattern = Buffer.alloc(251);
  for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 13) % 256;
  return Buffer.alloc(bytes, pattern);
}

const entry = (key: string, genomeId: number, payload: Buffer) => ({
  key,
  kind: 'nei-similarity/v1',
  genomeId,
  dependencies: '[[1,1]]',
  payload,
});

async function storesAndReadsBack(store: Store, bytes: number): Promise<void> {
  const genome = await store.createGenome({ name: 'big', fingerprint: 'big', genes: ['a'] });
  const payload = large(bytes);
  await store.putComputation(entry('big', genome.id, payload));
  const row = await store.getComputation('big');
  expect(row!.payload.length).toBe(bytes);
  expect(row!.payload.equals(payload)).toBe(true);
}

/**
 * Parts are dropped with their entry (deleted, its genome deleted) or when a shorter payload
 * replaces it; `parts()` counts the rows of `computation_parts`.
 */
async function partsGoWithTheirEntry(store: Store, parts: () => Promise<number>): Promise<void> {
  const genome = await store.createGenome({ name: 'g', fingerprint: 'g', genes: ['a'] });
  const P = TEST_COMPUTATION_PART_BYTES;
  await store.putComputation(entry('a', genome.id, large(5 * P)));
  await store.putComputation(entry('b', genome.id, large(3 * P + 1)));
  expect(await parts()).toBe(4 + 3);
  await store.putComputation(entry('b', genome.id, large(P + 1)));
  expect(await parts()).toBe(4 + 1);
  await store.deleteComputations(['a']);
  expect(await parts()).toBe(1);
  await store.deleteGenome(genome.id);
  expect(await parts()).toBe(0);
}

describe('SQLite file', () => {
  let dir: string;
  let database: DatabaseHandle;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'phylolm-parts-'));
  });
  afterEach(() => {
    database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores and reads back a payload larger than one SQLite value could be (600 MB)', async () => {
    database = openDatabase(join(dir, 'store.db'));
    await storesAndReadsBack(new SqliteStore(database), 600 * MB);
  });

  it('drops the parts with their entry, and reads a row stored whole before the parts', async () => {
    database = openDatabase(join(dir, 'store.db'), { computationPartBytes: TEST_COMPUTATION_PART_BYTES });
    const store = new SqliteStore(database);
    const count = database.sqlite.prepare('SELECT count(*) AS n FROM computation_parts').pluck();
    await partsGoWithTheirEntry(store, async () => count.get() as number);

    const genome = await store.createGenome({ name: 'old', fingerprint: 'old', genes: ['a'] });
    const whole = large(4 * TEST_COMPUTATION_PART_BYTES + 3);
    database.sqlite
      .prepare(
        "INSERT INTO computations (key, kind, genome_id, dependencies, payload, used_at) VALUES ('old', 'k', ?, '[]', ?, 'x')",
      )
      .run(genome.id, whole);
    expect((await store.getComputation('old'))!.payload.equals(whole)).toBe(true);
  });
});

describeWithPostgres('PostgreSQL', () => {
  let database: TestDatabase;
  let handle: PostgresHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
    await (await openPostgres(database.url)).close(); // the migrations, before the tables are emptied
  });
  beforeEach(() => emptyAllTables(database.url));
  afterEach(() => handle?.close());
  afterAll(() => database?.drop());

  it("stores and reads back a payload whose hex text would pass V8's longest string (300 MB)", async () => {
    handle = await openPostgres(database.url);
    await storesAndReadsBack(new PostgresStore(handle), 300 * MB);
  });

  it('reads back a 300 MB row stored whole before the parts, which ended the process', async () => {
    handle = await openPostgres(database.url);
    const store = new PostgresStore(handle);
    const genome = await store.createGenome({ name: 'old', fingerprint: 'old', genes: ['a'] });
    const whole = large(300 * MB);
    await handle.pool.query(
      "INSERT INTO computations (key, kind, genome_id, dependencies, payload, used_at) VALUES ('old', 'k', $1, '[]', $2, 'x')",
      [genome.id, whole],
    );
    expect((await store.getComputation('old'))!.payload.equals(whole)).toBe(true);
  });

  it('drops the parts with their entry', async () => {
    handle = await openPostgres(database.url, { computationPartBytes: TEST_COMPUTATION_PART_BYTES });
    const counter = new Pool({ connectionString: database.url, max: 1 });
    try {
      await partsGoWithTheirEntry(new PostgresStore(handle), async () => {
        const { rows } = await counter.query('SELECT count(*)::int AS n FROM computation_parts');
        return rows[0].n as number;
      });
    } finally {
      await counter.end();
    }
  });
});

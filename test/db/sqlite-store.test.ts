/**
 * The store contract on SQLite, in memory (what unit tests use) and on a file behind the retrying
 * wrapper (what the server uses: WAL, migrations applied to a new file, `resilientStore`), plus what only a file can show: data outlives
 * the connection, and two connections to one file share the job queue.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client';
import { resilientStore } from '../../src/db/resilient-store';
import { SqliteStore } from '../../src/db/sqlite-store';
import { describeStoreContract, modelInput, TEST_COMPUTATION_PART_BYTES } from './store-contract';

describeStoreContract('SQLite in memory', async () => {
  const database = openDatabase(':memory:', { computationPartBytes: TEST_COMPUTATION_PART_BYTES });
  return { store: new SqliteStore(database), close: () => database.close() };
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'phylolm-store-'));
}

describeStoreContract('SQLite file, through the retrying store the server uses', async () => {
  const dir = tempDir();
  const database = openDatabase(join(dir, 'nested', 'store.db'), { computationPartBytes: TEST_COMPUTATION_PART_BYTES });
  const sqlite = new SqliteStore(database);
  return {
    store: resilientStore(sqlite, sqlite.faults),
    close: () => {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite file store across connections', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a reopened file has the same data and data revision', async () => {
    const path = join(dir, 'store.db');
    const first = openDatabase(path);
    const store = new SqliteStore(first);
    const model = await store.createModel(modelInput('kept'));
    const genome = await store.createGenome({ name: 'g', fingerprint: 'fp', genes: ['a', 'b'] });
    const revision = await store.dataRevision();
    first.close();

    const second = openDatabase(path);
    try {
      const reopened = new SqliteStore(second);
      expect(await reopened.getModelByName('kept')).toEqual(model);
      expect(await reopened.geneTexts(genome.id)).toEqual(['a', 'b']);
      expect(await reopened.dataRevision()).toBe(revision);
    } finally {
      second.close();
    }
  });

  it('two connections to one file see one job queue: a live lease held by one blocks the other', async () => {
    const path = join(dir, 'shared.db');
    const a = openDatabase(path);
    const b = openDatabase(path);
    try {
      const storeA = new SqliteStore(a);
      const storeB = new SqliteStore(b);
      const model = await storeA.createModel(modelInput('m'));
      const genome = await storeA.createGenome({ name: 'g', fingerprint: 'fp', genes: ['a'] });
      const job = await storeA.createJob({
        modelId: model.id,
        genomeId: genome.id,
        samplesPerGene: 1,
        maxTokens: 4,
        status: 'QUEUED',
        completed: 0,
        total: 1,
      });
      expect(await storeA.claimJob(job.id, 'A', 1_000, 2_000)).toMatchObject({ owner: 'A' });
      expect(await storeB.claimJob(job.id, 'B', 1_500, 2_500)).toBeUndefined();
      expect(await storeB.dataRevision()).toBe(await storeA.dataRevision());
      await storeA.releaseJob(job.id, 'A');
      expect(await storeB.claimJob(job.id, 'B', 1_600, 2_600)).toMatchObject({ owner: 'B' });
      expect(await storeA.renewJobLease(job.id, 'A', 3_000)).toBe(false);
    } finally {
      a.close();
      b.close();
    }
  });
});

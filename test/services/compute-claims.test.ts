/**
 * Issue 10: no two processes compute the same cold result at once. Two applications on one
 * database (two API processes, as far as the store can tell: each has its own pool, caches and
 * single flight) are asked for the same cold matrix and tree at the same moment; the tasks run by
 * both, counted by their observed Compute, show it was computed once. Runs on PostgreSQL and on
 * one SQLite file shared by both. And a claim left by a process that died holds the others up
 * for its lifetime only.
 */
import { openDatabase } from '../../src/db/client';
import { ComputeClaims } from '../../src/services/compute-claims';
import { SqliteStore } from '../../src/db/sqlite-store';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../helpers/postgres';

async function populate(app: TestApp): Promise<{ genome: string; models: string[] }> {
  const s = app.services;
  const created = await s.genomes.create({ name: 'g', genes: Array.from({ length: 16 }, (_, i) => `gene ${i}`) });
  const models: string[] = [];
  for (let m = 0; m < 12; m++) {
    const model = await s.models.register({ name: `m${m}`, provider: 'external' });
    const completions = Array.from({ length: 16 * 4 }, (_, k) => ({
      gene: k % 16,
      text: ` ${(k * (m + 3)) % (m + 2)}${m % 2} x`,
    }));
    await s.samples.importCompletions({ model: String(model.id), genome: String(created.id), completions });
    models.push(String(model.id));
  }
  return { genome: String(created.id), models };
}

/** Tasks of one kind run by both applications together. */
const runs = (apps: TestApp[], task: 'similarity' | 'tree') =>
  apps.reduce((sum, app) => sum + app.services.compute.stats()[task].runs, 0);

function sharedComputation(open: () => Promise<[TestApp, TestApp]>, close: () => Promise<void>) {
  let apps: [TestApp, TestApp];
  let data: { genome: string; models: string[] };
  beforeAll(async () => {
    apps = await open();
    data = await populate(apps[0]);
  });
  afterAll(async () => {
    await Promise.all((apps ?? []).map((app) => app?.stopAndClean()));
    await close();
  });

  it('the same cold matrix asked of both at once is computed by one of them; both answer it', async () => {
    const before = runs(apps, 'similarity');
    const [a, b] = await Promise.all(
      apps.map(async (app) => {
        const genome = await app.services.genomes.get(data.genome);
        const models = await app.services.models.selected(data.models);
        return app.services.distances.similarity(genome, models);
      }),
    );
    expect(runs(apps, 'similarity') - before).toBe(1);
    expect(Array.from(b.similarity)).toEqual(Array.from(a.similarity));
    expect(b.modelIds).toEqual(a.modelIds);
  });

  it('the same cold tree asked of both at once: one matrix and one tree between them', async () => {
    const before = { similarity: runs(apps, 'similarity'), tree: runs(apps, 'tree') };
    const request = { genome: data.genome, models: data.models.slice(1), method: 'NJ' as const, bootstrap: 0 };
    const [a, b] = await Promise.all(apps.map((app) => app.services.trees.build({ ...request, root: 'NONE' })));
    expect(b.newick).toBe(a.newick);
    expect(runs(apps, 'similarity') - before.similarity).toBe(1);
    expect(runs(apps, 'tree') - before.tree).toBe(1);
  });
}

describeWithPostgres('two applications on one PostgreSQL', () => {
  let database: TestDatabase;
  sharedComputation(
    async () => {
      database = await createTestDatabase();
      const first = await startTestApp({ postgresUrl: database.url });
      return [first, await startTestApp({ postgresUrl: database.url })];
    },
    () => database?.drop(),
  );
});

describe('two applications on one SQLite file', () => {
  sharedComputation(
    async () => {
      const first = await startTestApp();
      return [first, await startTestApp({ dbPath: first.dbPath })];
    },
    async () => undefined,
  );
});

describe('ComputeClaims', () => {
  let store: SqliteStore;
  let close: () => void;
  beforeEach(() => {
    const handle = openDatabase(':memory:');
    store = new SqliteStore(handle);
    close = () => handle.close();
  });
  afterEach(() => close());

  it("a dead process's claim delays the others for its lifetime, then one of them computes", async () => {
    await store.claimComputation('key', 'dead process', Date.now(), Date.now() + 400);
    const claims = new ComputeClaims(store, { claimMs: 10_000, pollMs: 20 });
    const start = Date.now();
    const turn = await claims.turn('key', async () => undefined);
    expect('claimed' in turn).toBe(true);
    expect(Date.now() - start).toBeGreaterThanOrEqual(350);
    expect(Date.now() - start).toBeLessThan(5_000);
    // and now it holds the claim: another process waits for it in turn
    expect(await store.claimComputation('key', 'someone else', Date.now(), Date.now() + 1_000)).toBe(false);
  });

  it('a database refusing the claim (full, read-only) does not fail the computation: it runs unclaimed', async () => {
    const refusing = Object.create(store) as SqliteStore;
    refusing.claimComputation = () => Promise.reject(new Error('the database is read-only'));
    const turn = await new ComputeClaims(refusing).turn('key', async () => undefined);
    expect('claimed' in turn).toBe(true);
  });

  it('a waiting process takes the stored result as soon as it appears, and its claim is let go after the write', async () => {
    const first = new ComputeClaims(store, { pollMs: 20 });
    const second = new ComputeClaims(store, { pollMs: 20 });
    let stored: string | undefined;
    const lookup = async () => stored;
    const mine = await first.turn('key', lookup);
    if (!('claimed' in mine)) throw new Error('the first process should have the claim');
    const waiting = second.turn('key', lookup);
    let write!: () => void;
    const written = new Promise<void>((resolve) => (write = resolve));
    mine.claimed.release(written);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // released only after the write: the claim still stands
    expect(await store.claimComputation('key', 'third', Date.now(), Date.now() + 1_000)).toBe(false);
    stored = 'the result';
    write();
    expect(await waiting).toEqual({ stored: 'the result' });
  });
});

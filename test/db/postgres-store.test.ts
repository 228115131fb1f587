/**
 * The store contract on PostgreSQL, through the retrying store the server uses, on a database of
 * this file's own (test/helpers/postgres.ts); plus what only a server shared by several
 * connections can show.
 */
import { Client, Pool } from 'pg';
import { openPostgres, type PostgresHandle } from '../../src/db/postgres-client';
import { PostgresStore } from '../../src/db/postgres-store';
import { openStore } from '../../src/db/open-store';
import { resilientStore } from '../../src/db/resilient-store';
import { asStorageError, StorageError } from '../../src/db/storage-errors';
import { UnstorableTextError } from '../../src/db/store';
import { createTestDatabase, describeWithPostgres, emptyAllTables, type TestDatabase } from '../helpers/postgres';
import { describeStoreContract, modelInput, TEST_COMPUTATION_PART_BYTES } from './store-contract';

describeWithPostgres('PostgreSQL store', () => {
  let database: TestDatabase;
  let handle: PostgresHandle;
  let store: PostgresStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await openPostgres(database.url, { computationPartBytes: TEST_COMPUTATION_PART_BYTES });
    store = new PostgresStore(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  describeStoreContract('PostgreSQL, through the retrying store the server uses', async () => {
    await emptyAllTables(database.url);
    return { store: resilientStore(store, store.faults, undefined, { queueWrites: false }), close: () => undefined };
  });

  describe('across connections', () => {
    let second: PostgresHandle;
    beforeEach(() => emptyAllTables(database.url));
    afterEach(() => second?.close());

    it('opening an up-to-date database again applies nothing and keeps the data', async () => {
      const model = await store.createModel(modelInput('kept'));
      second = await openPostgres(database.url);
      const reopened = new PostgresStore(second);
      expect(await reopened.getModelByName('kept')).toEqual(model);
      expect(await reopened.dataRevision()).toBe(await store.dataRevision());
    });

    it('two pools see one job queue: a live lease held by one blocks the other', async () => {
      second = await openPostgres(database.url);
      const other = new PostgresStore(second);
      const model = await store.createModel(modelInput('m'));
      const genome = await store.createGenome({ name: 'g', fingerprint: 'fp', genes: ['a'] });
      const job = await store.createJob({
        modelId: model.id,
        genomeId: genome.id,
        samplesPerGene: 1,
        maxTokens: 4,
        status: 'QUEUED',
        completed: 0,
        total: 1,
      });
      const claims = await Promise.all([
        store.claimJob(job.id, 'A', 1_000, 2_000),
        other.claimJob(job.id, 'B', 1_000, 2_000),
      ]);
      expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
      const winner = claims[0] ? store : other;
      const loser = claims[0] ? other : store;
      const [winnerName, loserName] = claims[0] ? ['A', 'B'] : ['B', 'A'];
      expect(await loser.claimJob(job.id, loserName, 1_500, 2_500)).toBeUndefined();
      await winner.releaseJob(job.id, winnerName);
      expect(await loser.claimJob(job.id, loserName, 1_600, 2_600)).toMatchObject({ owner: loserName });
    });

    it('appends to one population from two pools at once lose no sample and no count', async () => {
      second = await openPostgres(database.url);
      const other = new PostgresStore(second);
      const model = await store.createModel(modelInput('m'));
      const genome = await store.createGenome({ name: 'g', fingerprint: 'fp', genes: ['a', 'b'] });
      const count = (previous: { counts: string } | null, inserted: readonly unknown[]) => ({
        counts: String(Number(previous?.counts ?? 0) + inserted.length),
        alleleLength: 1,
      });
      const writes = Array.from({ length: 20 }, (_, k) =>
        (k % 2 ? store : other).appendSamples({
          modelId: model.id,
          genomeId: genome.id,
          source: 'IMPORTED',
          samples: [
            { gene: 0, text: `x${k}` },
            { gene: 1, text: `y${k}` },
          ],
          updatePopulation: count,
        }),
      );
      await Promise.all(writes);
      const [population] = await store.getPopulations(genome.id);
      expect(population).toMatchObject({ sampleCount: 40, counts: '40' });
      const stats = await store.geneSampleStats(model.id, genome.id);
      expect(Object.fromEntries(stats)).toEqual({ 0: { count: 20, nextIndex: 20 }, 1: { count: 20, nextIndex: 20 } });
      const ids = (await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 100)).map((s) => s.id);
      expect(population.revision).toBe(Math.max(...ids));
    });

    it("the server's store runs a process's writes at once: a write waiting for a lock holds up no other", async () => {
      // What a worker process needs to keep its concurrency busy (issue 10, workers bench): on
      // SQLite the resilient store queues a process's writes (one connection, a blocking busy
      // wait); on PostgreSQL each write has its own pooled connection and row locks.
      const opened = await openStore({ dbPath: 'unused.db', postgresUrl: database.url, pgPoolSize: 4 });
      const holder = new Pool({ connectionString: database.url, max: 1 });
      const held = await holder.connect();
      try {
        const server = opened.store;
        const model = await server.createModel(modelInput('m'));
        const genomes = await Promise.all(
          ['g1', 'g2'].map((name) => server.createGenome({ name, fingerprint: name, genes: ['a'] })),
        );
        const input = (genomeId: number) => ({
          modelId: model.id,
          genomeId,
          source: 'IMPORTED' as const,
          samples: [{ gene: 0, text: 'x' }],
          updatePopulation: () => ({ counts: '{}', alleleLength: 1 }),
        });
        // another connection holds the first population's append lock (postgres-store.ts)
        await held.query('BEGIN');
        await held.query('SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [model.id, genomes[0].id]);
        const blocked = server.appendSamples(input(genomes[0].id));
        await waitForLockWaiters(held, 1);
        // the second population's append and a job write finish while the first one waits
        await expect(server.appendSamples(input(genomes[1].id))).resolves.toMatchObject({ accepted: 1 });
        await expect(server.createJob({ ...jobOf(model.id, genomes[1].id) })).resolves.toMatchObject({
          status: 'QUEUED',
        });
        await held.query('COMMIT');
        await expect(blocked).resolves.toMatchObject({ accepted: 1 });
      } finally {
        held.release();
        await holder.end();
        await opened.close();
      }
    });

    it('appends waiting for one population wait in the process, not on pooled connections: other populations go on', async () => {
      second = await openPostgres(database.url, { poolSize: 2 });
      const small = new PostgresStore(second);
      const holder = new Pool({ connectionString: database.url, max: 1 });
      const held = await holder.connect();
      try {
        const model = await small.createModel(modelInput('m'));
        const [busy, free] = await Promise.all(
          ['g1', 'g2'].map((name) => small.createGenome({ name, fingerprint: name, genes: ['a'] })),
        );
        const input = (genomeId: number, text: string) => ({
          modelId: model.id,
          genomeId,
          source: 'IMPORTED' as const,
          samples: [{ gene: 0, text }],
          updatePopulation: (previous: { counts: string } | null) => ({
            counts: String(Number(previous?.counts ?? 0) + 1),
            alleleLength: 1,
          }),
        });
        await held.query('BEGIN');
        await held.query('SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [model.id, busy.id]);
        // three answers of one job arrive while its population is locked: more than the pool holds
        const waiting = ['x', 'y', 'z'].map((text) => small.appendSamples(input(busy.id, text)));
        await waitForLockWaiters(held, 1);
        await expect(small.appendSamples(input(free.id, 'w'))).resolves.toMatchObject({ accepted: 1 });
        await held.query('COMMIT');
        const done = await Promise.all(waiting);
        // in arrival order, each on the population the one before left
        expect(done.map((d) => d.population?.counts)).toEqual(['1', '2', '3']);
      } finally {
        held.release();
        await holder.end();
      }
    });

    it('a model deleted while an append to it is under way takes those samples too (samples have no foreign keys)', async () => {
      const model = await store.createModel(modelInput('m'));
      const genome = await store.createGenome({ name: 'g', fingerprint: 'fp', genes: ['a', 'b'] });
      const input = (text: string) => ({
        modelId: model.id,
        genomeId: genome.id,
        source: 'IMPORTED' as const,
        samples: [{ gene: 1, text }],
        updatePopulation: () => ({ counts: '{}', alleleLength: 1 }),
      });
      await store.appendSamples(input('first'));
      // A third connection holds the population row, so the next append stops after inserting its
      // samples, at its population upsert, holding its KEY SHARE lock on the model.
      const holder = new Pool({ connectionString: database.url, max: 1 });
      const held = await holder.connect();
      try {
        await held.query('BEGIN');
        await held.query('SELECT 1 FROM populations WHERE model_id = $1 FOR UPDATE', [model.id]);
        const appending = store.appendSamples(input('second'));
        await waitForLockWaiters(held, 1);
        const deleting = store.deleteModel(model.id);
        await waitForLockWaiters(held, 2);
        await held.query('COMMIT');
        await appending;
        await deleting;
      } finally {
        held.release();
        await holder.end();
      }
      const { rows } = await handle.pool.query('SELECT count(*)::int AS n FROM samples WHERE model_id = $1', [
        model.id,
      ]);
      expect(rows[0].n).toBe(0);
      // and an append to the deleted model is refused, not stored without its model
      await expect(store.appendSamples(input('third'))).rejects.toThrow(`there is no model ${model.id}`);
    });

    describe('probing answers stored at once go in one transaction per group (group commit, pg-append-group.ts)', () => {
      /** answer k of a job: `n` samples from fixed index `offset`, with its request record */
      const answer = (
        modelId: number,
        genomeId: number,
        jobId: number,
        gene: number,
        offset: number,
        cost: number,
      ) => ({
        modelId,
        genomeId,
        source: 'PROBED' as const,
        jobId,
        samples: [0, 1].map((k) => ({ gene, text: `t${gene}.${offset + k}`, sampleIndex: offset + k })),
        request: { jobId, gene, samples: 2, promptTokens: 3, completionTokens: 5, costUsd: cost },
        updatePopulation: (previous: { counts: string } | null, inserted: readonly { gene: number }[]) => ({
          counts: String(Number(previous?.counts ?? 0) + inserted.length),
          alleleLength: 1,
        }),
      });
      const transactions = (query: jest.SpyInstance) =>
        query.mock.calls.filter(([q]) => /^begin/i.test(typeof q === 'string' ? q : (q?.text ?? ''))).length;

      async function setUp(models: number) {
        const genome = await store.createGenome({ name: 'g', fingerprint: 'fp', genes: ['a', 'b', 'c', 'd'] });
        const made = [];
        for (let m = 0; m < models; m++) {
          const model = await store.createModel(modelInput(`m${m}`));
          made.push({ model, job: await store.createJob(jobOf(model.id, genome.id)) });
        }
        return { genome, made };
      }

      it('24 answers of 3 jobs: a few transactions, and exactly what storing them one by one gives', async () => {
        const { genome, made } = await setUp(3);
        // costs whose floating-point sum depends on the order they are added in
        const costs = [0.1, 0.2, 0.3, 0.7];
        const answers = Array.from({ length: 24 }, (_, k) => {
          const { model, job } = made[k % 3];
          // the last two repeat an earlier answer's fixed indices: stored once, the first kept
          const at = k >= 22 ? k - 21 : k;
          return answer(model.id, genome.id, job.id, Math.floor(at / 3) % 4, 2 * Math.floor(at / 12), costs[k % 4]);
        });
        const query = jest.spyOn(Client.prototype, 'query');
        let results;
        try {
          results = await Promise.all(answers.map((a) => store.appendSamples(a)));
          // one by one: 24 transactions
          expect(transactions(query)).toBeLessThanOrEqual(3);
        } finally {
          query.mockRestore();
        }
        expect(results.map((r) => r.accepted)).toEqual(answers.map((_, k) => (k >= 22 ? 0 : 2)));
        for (const [m, { model, job }] of made.entries()) {
          const mine = answers.map((a, k) => ({ a, r: results[k], k })).filter(({ a }) => a.modelId === model.id);
          // each answer's population is the one the answers before it left (its own updatePopulation)
          let stored = 0;
          for (const { r } of mine) {
            stored += r.accepted;
            expect(r.population).toMatchObject({ sampleCount: stored, counts: String(stored) });
          }
          const [population] = (await store.getPopulations(genome.id)).filter((p) => p.modelId === model.id);
          expect(population).toMatchObject({ sampleCount: stored, counts: String(stored) });
          const ids = (await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 100)).map((s) => s.id);
          expect(ids).toHaveLength(stored);
          expect(population.revision).toBe(Math.max(...ids));
          const row = (await store.getJob(job.id))!;
          const cost = mine.reduce((sum, { a }) => sum + a.request.costUsd, 0);
          expect(row).toMatchObject({ completed: stored, requests: mine.length, promptTokens: 3 * mine.length });
          expect(row.completionTokens).toBe(5 * mine.length);
          expect(row.costUsd).toBe(cost);
          void m;
        }
        const { rows } = await handle.pool.query('SELECT job_id, gene_index FROM probe_requests ORDER BY id');
        expect(rows.map((r) => [r.job_id, r.gene_index])).toEqual(
          answers.map((a) => [a.request.jobId, a.request.gene]),
        );
      });

      it('an answer for a model deleted meanwhile fails alone: the others of its group are stored', async () => {
        const { genome, made } = await setUp(2);
        await store.deleteModel(made[1].model.id);
        const answers = [0, 1, 2, 3].map((k) => answer(made[k % 2].model.id, genome.id, made[0].job.id, k, 0, 0.5));
        const settled = await Promise.allSettled(answers.map((a) => store.appendSamples(a)));
        expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
        expect(String((settled[1] as PromiseRejectedResult).reason)).toContain(`there is no model ${made[1].model.id}`);
        const [population] = await store.getPopulations(genome.id);
        expect(population).toMatchObject({ modelId: made[0].model.id, sampleCount: 4 });
        expect(await store.getJob(made[0].job.id)).toMatchObject({ completed: 4, requests: 2 });
      });

      it('a group whose transaction dies mid-way stores none of it; each answer is then stored once', async () => {
        const { genome, made } = await setUp(1);
        const { model, job } = made[0];
        await store.appendSamples(answer(model.id, genome.id, job.id, 0, 0, 1));
        // another connection holds the population row: the group stops at its last statement
        const holder = new Pool({ connectionString: database.url, max: 1 });
        const held = await holder.connect();
        let killed = 0;
        try {
          await held.query('BEGIN');
          await held.query('SELECT 1 FROM populations WHERE model_id = $1 FOR UPDATE', [model.id]);
          const answers = [1, 2, 3].map((gene) => answer(model.id, genome.id, job.id, gene, 0, 1));
          const writes = answers.map((a) => store.appendSamples(a));
          await waitForLockWaiters(held, 1);
          // the group's connection dies, as when its server is killed: its transaction is rolled back
          const { rows } = await held.query(
            "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          );
          killed = rows.length;
          await held.query('COMMIT');
          await Promise.allSettled(writes);
        } finally {
          held.release();
          await holder.end();
        }
        expect(killed).toBe(1);
        // what the dead transaction held is gone; asking again (as the job's next turn does) stores each once
        const again = [1, 2, 3].map((gene) => answer(model.id, genome.id, job.id, gene, 0, 1));
        await Promise.all(again.map((a) => store.appendSamples(a)));
        const stats = await store.geneSampleStats(model.id, genome.id);
        expect([...stats.values()].map((s) => s.count)).toEqual([2, 2, 2, 2]);
        const [population] = await store.getPopulations(genome.id);
        expect(population).toMatchObject({ sampleCount: 8, counts: '8' });
        const row = (await store.getJob(job.id))!;
        expect(row.completed).toBe(8);
        const { rows } = await handle.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM probe_requests WHERE job_id = $1',
          [job.id],
        );
        // a request is recorded with its samples or not at all
        expect(row.requests).toBe(rows[0].n);
      });
    });

    it('a read-only database gives StorageErrors on writes, reads go on, and health() says why', async () => {
      // one connection, so that the session made read-only below is the one every write uses
      second = await openPostgres(database.url, { poolSize: 1 });
      const other = new PostgresStore(second);
      const wrapped = resilientStore(other, other.faults);
      await store.createModel(modelInput('before'));
      await second.pool.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
      const failure = await wrapped.createModel(modelInput('after')).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StorageError);
      expect((failure as StorageError).message).toBe('the database is read-only');
      expect((failure as StorageError).code).toBe('25006');
      expect(await wrapped.countModels({})).toBe(1);
      expect(await wrapped.health()).toEqual({ ok: false, reason: expect.stringContaining('read-only') });
    });

    it('a text holding U+0000, which PostgreSQL cannot store, is refused with what holds it, and nothing is written', async () => {
      const model = await store.createModel(modelInput('m'));
      const genome = await store.createGenome({ name: 'g', fingerprint: 'fp', genes: ['a'] });
      const revision = await store.dataRevision();
      const failure = await store
        .appendSamples({
          modelId: model.id,
          genomeId: genome.id,
          source: 'IMPORTED',
          samples: [
            { gene: 0, text: 'fine' },
            { gene: 0, text: 'not\u0000fine' },
          ],
          updatePopulation: () => ({ counts: '{}', alleleLength: 4 }),
        })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UnstorableTextError);
      expect((failure as Error).message).toMatch(/^completion 1: .*U\+0000/);
      await expect(store.createModel(modelInput('a\u0000b'))).rejects.toBeInstanceOf(UnstorableTextError);
      await expect(store.createGenome({ name: 'h', fingerprint: 'h', genes: ['x', '\u0000'] })).rejects.toThrow(
        /^gene 1: /,
      );
      expect(await store.sampleTexts(model.id, genome.id)).toEqual([]);
      expect(await store.dataRevision()).toBe(revision);
    });

    it('health() says when the server cannot be reached, and ok again once it answers', async () => {
      const unreachable = new URL(database.url);
      unreachable.port = '1';
      const pool = new Pool({ connectionString: unreachable.toString(), connectionTimeoutMillis: 2_000 });
      const lost = new PostgresStore({ ...handle, pool, close: () => pool.end() });
      expect(await lost.health()).toEqual({
        ok: false,
        reason: 'the database server cannot be reached (ECONNREFUSED)',
      });
      await pool.end();
      // a read that failed while the server was away left a fault; the server answering clears it
      store.faults.record(asStorageError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))!);
      expect(await store.health()).toEqual({ ok: true });
      // a full disk is not cleared by the server answering: only a successful write clears it
      store.faults.record(asStorageError(Object.assign(new Error('full'), { code: '53100', severity: 'ERROR' }))!);
      expect(await store.health()).toEqual({ ok: false, reason: expect.stringContaining('disk') });
      store.faults.writeSucceeded();
    });

    it('a server that cannot be reached is a StorageError at start-up naming the URL without its password', async () => {
      const url = new URL(database.url);
      url.password = 'secret-password';
      url.port = '1';
      const failure = await openPostgres(url.toString()).catch((e: unknown) => e);
      expect((failure as Error).message).toMatch(/cannot be used: the database server cannot be reached/);
      expect((failure as Error).message).not.toContain('secret-password');
    });
  });
});

/** Waits until `count` other sessions of this database wait for a lock (at most 10 s). */
async function waitForLockWaiters(client: { query: Pool['query'] }, count: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} sessions waited for a lock`);
}

const jobOf = (modelId: number, genomeId: number) => ({
  modelId,
  genomeId,
  samplesPerGene: 1,
  maxTokens: 4,
  status: 'QUEUED' as const,
  completed: 0,
  total: 1,
});

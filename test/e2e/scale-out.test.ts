/**
 * Must-be-true 2 of issue 10: two API processes and three worker processes (the compiled server,
 * `PHYLOLM_ROLE=api|worker`) on one PostgreSQL probe 20 models through the OpenAI plugin against
 * a local fake OpenAI server (the real `openai` SDK over HTTP). One worker is killed with SIGKILL
 * while it holds jobs. Every job must end SUCCEEDED with exactly N samples per gene and no
 * duplicate; the fake must never see more requests in flight than the provider's concurrency
 * limit, counted over all workers; a query to the second API process must see the first one's
 * writes at once, even a query its response cache answered just before; a subscription served by
 * an API process follows a job that runs in a worker to its end.
 */
import { Client } from 'pg';
import { dataOf, postGraphQL } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../helpers/postgres';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { wsClient } from '../helpers/ws';

const MODELS = 20;
const G = 4;
const N = 4;
/** the provider's limit: requests in flight over all workers */
const CONCURRENCY = 3;

describeWithPostgres('two API processes and three workers on one PostgreSQL', () => {
  let db: TestDatabase;
  let fake: FakeServer;
  const processes: ServerProcess[] = [];

  const start = async (role: 'api' | 'worker') => {
    const server = await startServerProcess(
      {
        PHYLOLM_DB: db.url,
        PHYLOLM_ROLE: role,
        PHYLOLM_WORKERS: '0',
        PHYLOLM_PROBE_CONCURRENCY: String(CONCURRENCY),
        // a killed worker's jobs move on within a few leases (src/queue/pg-boss-queue.ts)
        PHYLOLM_JOB_LEASE_MS: '1000',
        PHYLOLM_WORKER_JOBS: '4',
        OPENAI_API_KEY: 'sk-scale-out-test-000000',
        OPENAI_BASE_URL: fake.baseURL,
      },
      process.cwd(),
    );
    processes.push(server);
    return server;
  };

  beforeAll(async () => {
    db = await createTestDatabase('phylolm_scale');
    fake = await startFakeOpenAI({
      fallback: { kind: 'ok', delayMs: 150 },
      text: (i, body) => ` ${String(body.prompt).length % 5}${i % 3} x`,
    });
  });

  afterAll(async () => {
    for (const p of processes) await p.stop();
    await fake?.close();
    await db?.drop();
  });

  it('probes 20 models exactly, within the provider limit, through a worker crash', async () => {
    // the first process applies the migrations; the others start on the migrated database
    const api1 = await start('api');
    const [api2, w1] = await Promise.all([start('api'), start('worker'), start('worker'), start('worker')]).then(
      (all) => [all[0], all[1]],
    );
    const gql = (server: ServerProcess, query: string, variables?: Record<string, unknown>) =>
      postGraphQL<any>(server.url, query, variables).then(dataOf);

    const genes = Array.from({ length: G }, (_, g) => `Gene number ${g} says`);
    const genome = (
      await gql(api1, `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
        input: { name: 'scale', genes },
      })
    ).createGenome.id;

    const COUNT = `{ models { totalCount } }`;
    const models: string[] = [];
    for (let m = 0; m < MODELS; m++) {
      // api2 answers the count twice (the second from its response cache), then api1 writes
      expect((await gql(api2, COUNT)).models.totalCount).toBe(m);
      expect((await gql(api2, COUNT)).models.totalCount).toBe(m);
      const created = await gql(
        api1,
        `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`,
        {
          input: {
            name: `gpt-${m}`,
            provider: 'openai',
            providerModel: 'davinci-002',
            mode: 'COMPLETION',
            maxTokens: 5,
          },
        },
      );
      models.push(created.registerModel.id);
      // ... and api2 sees the write at once
      expect((await gql(api2, COUNT)).models.totalCount).toBe(m + 1);
    }

    const jobs: string[] = [];
    for (const [i, model] of models.entries()) {
      const started = await gql(
        i % 2 ? api2 : api1,
        `mutation ($input: StartProbingInput!) { startProbing(input: $input) { id } }`,
        {
          input: { model, genome, samplesPerGene: N },
        },
      );
      jobs.push(started.startProbing.id);
    }

    // An API process never runs a job: its subscription hears of the worker's changes (LISTEN/NOTIFY).
    const ws = wsClient(api1.url);
    const followed = (async () => {
      const seen: string[] = [];
      const updates = ws.iterate<{ jobProgress: { status: string } }>({
        query: `subscription ($id: ID!) { jobProgress(id: $id) { status completed } }`,
        variables: { id: jobs[jobs.length - 1] },
      });
      for await (const update of updates) seen.push(update.data!.jobProgress.status);
      return seen;
    })();

    // Kill the first worker while it holds jobs (its pid is in their claims).
    const pid = w1.process.pid!;
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const heldBy = async () =>
        Number(
          (
            await pg.query(`SELECT count(*) AS n FROM probe_jobs WHERE status = 'RUNNING' AND owner LIKE $1`, [
              `%:${pid}:%`,
            ])
          ).rows[0].n,
        );
      while ((await heldBy()) === 0 || fake.requests.length < 10) await new Promise((r) => setTimeout(r, 20));
      w1.process.kill('SIGKILL');
      await w1.exited;
      expect(await heldBy()).toBeGreaterThan(0);

      // Every job ends SUCCEEDED (the killed worker's jobs through the others).
      const STATUS = `query ($id: ID!) { job(id: $id) { status completed total error } }`;
      for (const id of jobs) {
        for (;;) {
          const job = (await gql(api2, STATUS, { id })).job;
          expect(job.status).not.toBe('FAILED');
          if (job.status === 'SUCCEEDED') {
            expect(job).toMatchObject({ completed: G * N, total: G * N, error: null });
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }

      // Exactly N samples per (model, gene), at indices 0..N-1, none twice.
      const { rows } = await pg.query(
        `SELECT model_id, gene_index, count(*)::int AS n, count(DISTINCT sample_index)::int AS distinct_n,
                min(sample_index)::int AS lo, max(sample_index)::int AS hi
           FROM samples GROUP BY model_id, gene_index`,
      );
      expect(rows).toHaveLength(MODELS * G);
      for (const row of rows) expect(row).toMatchObject({ n: N, distinct_n: N, lo: 0, hi: N - 1 });
      const seen = await followed;
      expect(seen.length).toBeGreaterThan(1);
      expect(seen[seen.length - 1]).toBe('SUCCEEDED');
    } finally {
      await pg.end();
      await ws.dispose();
    }
    // The provider's limit held over the three workers together.
    expect(fake.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
    expect(fake.maxInFlight).toBeGreaterThan(1);
    // generous: five servers on a busy machine (the run takes well under a minute on an idle one)
  }, 180_000);
});

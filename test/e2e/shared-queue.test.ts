/**
 * Two server processes sharing one database (here two apps on one SQLite file, each with its
 * own provider endpoint so their requests can be told apart): a job runs in exactly one of them,
 * and when that one stops, the other takes the job over and finishes it without duplicates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';

const GENES = Array.from({ length: 8 }, (_, g) => `Gene ${g} goes`);
const N = 4;

let dir: string;
let fakeA: FakeServer;
let fakeB: FakeServer;
let a: TestApp;
let b: TestApp;
let aClosed = false;

const appWith = (fake: FakeServer) =>
  startTestApp(
    {
      jobLeaseMs: 600,
      probeConcurrency: 1,
      providers: {
        openaiCompatible: {
          endpoints: [{ name: 'shared', baseURL: fake.baseURL, models: ['m'], maxSamplesPerRequest: 2 }],
        },
      },
    },
    dir,
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phylolm-shared-'));
  fakeA = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: 120 } });
  fakeB = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: 10 } });
  a = await appWith(fakeA);
  b = await appWith(fakeB);
});

afterAll(async () => {
  await b?.close();
  if (!aClosed) await a?.close();
  await fakeA?.close();
  await fakeB?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('one process runs a job while the other waits, then takes it over when the first stops', async () => {
  const genome = dataOf(
    await a.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'g', genes: GENES },
    }),
  ).createGenome.id;
  const model = dataOf(
    await a.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
      input: { name: 'shared', provider: 'openai-compatible:shared', providerModel: 'm', mode: 'COMPLETION' },
    }),
  ).registerModel.id;
  const id = dataOf(
    await a.gql(`mutation ($input: StartProbingInput!) { startProbing(input: $input) { id } }`, {
      input: { model, genome, samplesPerGene: N },
    }),
  ).startProbing.id;

  // B looks for work while A runs: A's live lease keeps it out.
  await b.services.jobs.resume();
  while (fakeA.requests.length < 4) await new Promise((r) => setTimeout(r, 20));
  expect(fakeB.requests).toHaveLength(0);

  // A stops (gracefully: it gives the job back); B's poller takes it within half a lease.
  await a.close();
  aClosed = true;
  for (let i = 0; i < 400; i++) {
    const job = dataOf(await b.gql(`query ($id: ID!) { job(id: $id) { status } }`, { id })).job;
    if (job.status === 'SUCCEEDED') break;
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(dataOf(await b.gql(`query ($id: ID!) { job(id: $id) { status completed total } }`, { id })).job).toEqual({
    status: 'SUCCEEDED',
    completed: GENES.length * N,
    total: GENES.length * N,
  });
  expect(fakeB.requests.length).toBeGreaterThan(0);
  // Every request, from either process, asked for samples not yet stored: 2 per request, 32 in all.
  const asked = [...fakeA.requests, ...fakeB.requests].reduce((sum, r) => sum + (r.body.n ?? 1), 0);
  expect(asked).toBeLessThanOrEqual(GENES.length * N + 2);
  const db = new Database(b.dbPath, { readonly: true });
  const perGene = db.prepare('SELECT count(*) AS n FROM samples GROUP BY gene_index').all() as { n: number }[];
  db.close();
  expect(perGene.map((r) => r.n)).toEqual(GENES.map(() => N));
});

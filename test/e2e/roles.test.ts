/**
 * PHYLOLM_ROLE on the embedded store (two apps sharing one SQLite file, each with its own
 * provider endpoint so that their requests can be told apart): an `api` process stores and
 * enqueues jobs but never probes; a `worker` process takes them and serves only /healthz and
 * /metrics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../src/config';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';

const GENES = Array.from({ length: 6 }, (_, g) => `Gene ${g} goes`);
const N = 4;

let dir: string;
let apiFake: FakeServer;
let workerFake: FakeServer;
const apps: TestApp[] = [];

const appAs = async (role: Role, fake: FakeServer) => {
  const app = await startTestApp(
    {
      role,
      jobLeaseMs: 600,
      providers: {
        openaiCompatible: {
          endpoints: [{ name: 'shared', baseURL: fake.baseURL, models: ['m'], maxSamplesPerRequest: 2 }],
        },
      },
    },
    dir,
  );
  apps.push(app);
  return app;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phylolm-roles-'));
  apiFake = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: 5 } });
  workerFake = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: 5 } });
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await apiFake?.close();
  await workerFake?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('an api process enqueues without probing; a worker process runs the job', async () => {
  const api = await appAs('api', apiFake);
  const genome = dataOf(
    await api.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'g', genes: GENES },
    }),
  ).createGenome.id;
  const model = dataOf(
    await api.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
      input: { name: 'shared', provider: 'openai-compatible:shared', providerModel: 'm', mode: 'COMPLETION' },
    }),
  ).registerModel.id;
  const id = dataOf(
    await api.gql(`mutation ($input: StartProbingInput!) { startProbing(input: $input) { id status } }`, {
      input: { model, genome, samplesPerGene: N },
    }),
  ).startProbing.id;
  // the api looks for jobs to run at start-up and after: it must not take this one
  await api.services.jobs.resume();
  expect(dataOf(await api.gql(`query ($id: ID!) { job(id: $id) { status } }`, { id })).job.status).toBe('QUEUED');

  await appAs('worker', workerFake);
  let status = 'QUEUED';
  while (status !== 'SUCCEEDED') {
    status = dataOf(await api.gql(`query ($id: ID!) { job(id: $id) { status } }`, { id })).job.status;
    expect(['QUEUED', 'RUNNING', 'SUCCEEDED']).toContain(status);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(apiFake.requests).toHaveLength(0);
  expect(workerFake.requests.length).toBe((GENES.length * N) / 2);
});

it('a worker serves /healthz and /metrics, and no GraphQL', async () => {
  const worker = apps.find((app) => app.server.url !== apps[0].server.url)!;
  const base = worker.server.url.replace(/\/graphql$/, '');
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const metrics = await fetch(`${base}/metrics`);
  expect(metrics.status).toBe(200);
  expect(await metrics.text()).toContain('phylolm_');
  const graphql = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ models { totalCount } }' }),
  });
  expect(graphql.status).toBe(404);
  const body = (await graphql.json()) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
  expect(body.errors[0].message).toContain('PHYLOLM_ROLE=worker');
});

/**
 * Crash safety: the real server runs as a child process (the compiled `npm start` entry point),
 * probes through the OpenAI plugin against a slow local fake, is killed with SIGKILL halfway, and
 * is started again on the same database. The job must resume by itself and end with exactly
 * G x N samples per gene, none duplicated, none lost, without asking again for stored samples.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dataOf, postGraphQL } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';

const root = join(__dirname, '..', '..');
const G = 40;
const N = 32;
const CONCURRENCY = 4;

let dir: string;
let fake: FakeServer;

interface Child {
  process: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts `node dist/src/main.js` and waits for its "ready" log line to learn its URL. */
function startServer(dbPath: string): Promise<Child> {
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      PHYLOLM_DB: dbPath,
      PHYLOLM_DEMO: '0',
      PHYLOLM_PROBE_CONCURRENCY: String(CONCURRENCY),
      // the killed process's claim on the job lapses after this; the restarted one then takes it
      PHYLOLM_JOB_LEASE_MS: '1500',
      OPENAI_API_KEY: 'sk-kill-test-key-000000',
      OPENAI_BASE_URL: fake.baseURL,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const ready = seen
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { message: string; url?: string })
        .find((entry) => entry.message === 'PhyloLM server ready');
      if (ready?.url) resolve({ process: child, url: ready.url, exited });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before it was ready: ${seen}`)));
  });
}

async function job(url: string, id: string) {
  return dataOf(
    await postGraphQL<any>(url, `query ($id: ID!) { job(id: $id) { status completed total error } }`, { id }),
  ).job;
}

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  dir = mkdtempSync(join(tmpdir(), 'phylolm-kill-'));
}, 120_000);

afterAll(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('a probing job killed with SIGKILL halfway resumes after a restart and ends with exactly G x N samples', async () => {
  fake = await startFakeOpenAI({
    fallback: { kind: 'ok', delayMs: 150 },
    text: (i, body) => ` ${body.prompt.length % 7}${i % 5} x`,
  });
  const dbPath = join(dir, 'phylolm.db');
  const first = await startServer(dbPath);
  const genes = Array.from({ length: G }, (_, g) => `Gene number ${g} says`);
  const genome = dataOf(
    await postGraphQL<any>(first.url, `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'k', genes },
    }),
  ).createGenome.id;
  const model = dataOf(
    await postGraphQL<any>(
      first.url,
      `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`,
      {
        input: { name: 'gpt', provider: 'openai', providerModel: 'davinci-002', mode: 'COMPLETION', maxTokens: 5 },
      },
    ),
  ).registerModel.id;
  const id = dataOf(
    await postGraphQL<any>(
      first.url,
      `mutation ($input: StartProbingInput!) { startProbing(input: $input) { id total } }`,
      {
        input: { model, genome, samplesPerGene: N },
      },
    ),
  ).startProbing.id;

  // Kill once about half of the samples are stored.
  for (;;) {
    const state = await job(first.url, id);
    if (state.completed >= (G * N) / 2) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  first.process.kill('SIGKILL');
  await first.exited;
  const requestsBeforeKill = fake.requests.length;
  const storedAtKill = new Database(dbPath, { readonly: true }).prepare('SELECT count(*) AS n FROM samples').get() as {
    n: number;
  };
  expect(storedAtKill.n).toBeGreaterThan(0);
  expect(storedAtKill.n).toBeLessThan(G * N);

  const second = await startServer(dbPath);
  try {
    let state = await job(second.url, id);
    for (let i = 0; i < 1000 && !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state.status); i++) {
      await new Promise((r) => setTimeout(r, 25));
      state = await job(second.url, id);
    }
    expect(state).toMatchObject({ status: 'SUCCEEDED', completed: G * N, total: G * N, error: null });
  } finally {
    second.process.kill('SIGTERM');
    await second.exited;
  }

  const db = new Database(dbPath, { readonly: true });
  const perGene = db
    .prepare(
      'SELECT gene_index AS gene, count(*) AS n, count(DISTINCT sample_index) AS distinct_n FROM samples GROUP BY gene_index',
    )
    .all() as { gene: number; n: number; distinct_n: number }[];
  db.close();
  expect(perGene).toHaveLength(G);
  for (const row of perGene) expect(row).toMatchObject({ n: N, distinct_n: N });
  // Only what was missing was asked for again: at most the requests in flight at the kill were lost
  // (OpenAI's `n` takes a gene's 32 samples in one request).
  const samplesAskedAfter = fake.requests.slice(requestsBeforeKill).reduce((sum, r) => sum + (r.body.n ?? 1), 0);
  expect(samplesAskedAfter).toBe(G * N - storedAtKill.n);
  expect(requestsBeforeKill * N - storedAtKill.n).toBeLessThanOrEqual(CONCURRENCY * N);
  expect(samplesAskedAfter).toBeGreaterThanOrEqual(G * N - storedAtKill.n);
}, 120_000);

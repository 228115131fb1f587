/**
 * Two real server processes on one SQLite file (issue 7, finding 4): 16 writers spread over both
 * send mutations (importCompletions, setScores, registerModel) for PHYLOLM_STRESS_SECONDS
 * (default 10; the figure is 30), while 6 probing jobs, 3 started on each process, sample
 * a fake OpenAI endpoint. No request may fail, every job must succeed, and every sample the
 * provider answered (and was paid for) must be stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dataOf, postGraphQL, type GraphQLAnswer } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import { buildServer, startServerProcess, type ServerProcess } from '../helpers/server-process';

const SECONDS = Number(process.env.PHYLOLM_STRESS_SECONDS ?? 10);
const WRITERS = 16;
const JOBS = 6;
const GENES = 100;
const SAMPLES_PER_GENE = 8;

let dir: string;
let fake: FakeServer;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'phylolm-two-'));
  fake = await startFakeOpenAI({
    fallback: { kind: 'ok', delayMs: 20 },
    text: (i, body) => ` ${(body.prompt.length + i) % 9} x`,
  });
  const env = {
    PHYLOLM_DB: join(dir, 'shared.db'),
    PHYLOLM_PROBE_CONCURRENCY: '2',
    // info: the URL is read from the "ready" line
    PHYLOLM_LOG_LEVEL: 'info',
    OPENAI_API_KEY: 'sk-two-processes-000000',
    OPENAI_BASE_URL: fake.baseURL,
  };
  // One after the other: the first creates the file and applies the migrations.
  servers.push(await startServerProcess(env, dir));
  servers.push(await startServerProcess(env, dir));
}, 180_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Tally {
  requests: number;
  failed: number;
  errors: Map<string, number>;
  imported: number;
}

async function send(tally: Tally, url: string, query: string, variables: Record<string, unknown>) {
  tally.requests++;
  let answer: GraphQLAnswer<any>;
  try {
    answer = await postGraphQL<any>(url, query, variables);
  } catch (error) {
    answer = { status: 0, errors: [{ message: String(error) }] };
  }
  if (answer.status !== 200 || answer.errors?.length) {
    tally.failed++;
    const key = `${answer.status} ${answer.errors?.map((e) => e.extensions?.code ?? e.message).join(',')}`;
    tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
    return undefined;
  }
  return answer.data;
}

it(`16 writers and 6 probing jobs over two processes on one file lose nothing (${SECONDS} s)`, async () => {
  const [a, b] = servers;
  const urlOf = (i: number) => servers[i % 2].url;
  const genes = Array.from({ length: GENES }, (_, g) => `Gene ${g} of the shared genome says`);
  const genome = dataOf(
    await postGraphQL<any>(a.url, `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'shared', genes },
    }),
  ).createGenome.id as string;
  const register = async (url: string, input: Record<string, unknown>) =>
    dataOf(
      await postGraphQL<any>(url, `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
        input,
      }),
    ).registerModel.id as string;
  const jobModels: string[] = [];
  for (let j = 0; j < JOBS; j++) {
    jobModels.push(
      await register(urlOf(j), {
        name: `probed-${j}`,
        provider: 'openai',
        providerModel: 'davinci-002',
        mode: 'COMPLETION',
        maxTokens: 5,
      }),
    );
  }
  const writerModels: string[] = [];
  for (let w = 0; w < WRITERS; w++)
    writerModels.push(await register(urlOf(w), { name: `writer-${w}`, provider: 'external' }));

  const tally: Tally = { requests: 0, failed: 0, errors: new Map(), imported: 0 };
  const jobIds: string[] = [];
  const started = Promise.all(
    jobModels.map(async (model, j) => {
      const data = await send(
        tally,
        urlOf(j),
        `mutation ($input: StartProbingInput!) { startProbing(input: $input) { id } }`,
        { input: { model, genome, samplesPerGene: SAMPLES_PER_GENE } },
      );
      if (data) jobIds.push(data.startProbing.id);
    }),
  );

  const deadline = Date.now() + SECONDS * 1000;
  const writer = async (w: number) => {
    const url = urlOf(w);
    for (let k = 0; Date.now() < deadline; k++) {
      if (k % 3 === 0) {
        // no sample index: the store picks the next free ones (a read, then the writes)
        const completions = Array.from({ length: 16 }, (_, c) => ({ gene: (k + c) % GENES, text: ` w${w} ${c % 4}` }));
        const data = await send(
          tally,
          url,
          `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`,
          { input: { model: writerModels[w], genome, completions } },
        );
        if (data) tally.imported += data.importCompletions.accepted;
      } else if (k % 3 === 1) {
        await send(tally, url, `mutation ($input: [ScoreInput!]!) { setScores(input: $input) { value } }`, {
          input: [
            { model: writerModels[w], benchmark: 'ARC', value: (k % 100) / 100 },
            { model: writerModels[w], benchmark: 'MMLU', value: (k % 50) / 50 },
          ],
        });
      } else {
        await send(tally, url, `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
          input: { name: `extra-${w}-${k}`, provider: 'external' },
        });
      }
    }
  };
  await Promise.all([started, ...Array.from({ length: WRITERS }, (_, w) => writer(w))]);

  // Wait for every job to end (bounded by count, not by the clock).
  const statuses = new Map<string, { status: string; completed: number; total: number; error: string | null }>();
  for (let i = 0; i < 3000; i++) {
    for (const id of jobIds) {
      const job = dataOf(
        await postGraphQL<any>(b.url, `query ($id: ID!) { job(id: $id) { status completed total error } }`, { id }),
      ).job;
      statuses.set(id, job);
    }
    if ([...statuses.values()].every((j) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.status))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(servers.map((s) => s.stop()));

  const completionRequests = fake.requests.filter((r) => r.path.startsWith('/v1/completions'));
  const answeredSamples = completionRequests.reduce((sum, r) => sum + (r.body?.n ?? 1), 0);
  const db = new Database(join(dir, 'shared.db'), { readonly: true });
  const count = (source: string) =>
    (db.prepare('SELECT count(*) AS n FROM samples WHERE source = ?').get(source) as { n: number }).n;
  const storedProbed = count('PROBED');
  const storedImported = count('IMPORTED');
  db.close();
  const jobs = [...statuses.values()];
  const figures = {
    seconds: SECONDS,
    requests: tally.requests,
    failed: tally.failed,
    errors: Object.fromEntries(tally.errors),
    jobs: jobs.length,
    jobsSucceeded: jobs.filter((j) => j.status === 'SUCCEEDED').length,
    jobsFailed: jobs.filter((j) => j.status === 'FAILED').length,
    providerRequests: completionRequests.length,
    samplesAnsweredByFake: answeredSamples,
    samplesStored: storedProbed,
    imported: tally.imported,
    importedStored: storedImported,
  };
  console.log(`two processes: ${JSON.stringify(figures)}`);

  expect(tally.failed).toBe(0);
  expect(jobs).toHaveLength(JOBS);
  for (const job of jobs)
    expect(job).toEqual({
      status: 'SUCCEEDED',
      completed: GENES * SAMPLES_PER_GENE,
      total: GENES * SAMPLES_PER_GENE,
      error: null,
    });
  expect(storedProbed).toBe(answeredSamples);
  expect(storedProbed).toBe(JOBS * GENES * SAMPLES_PER_GENE);
  expect(storedImported).toBe(tally.imported);
}, 300_000);

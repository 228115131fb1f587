/**
 * Probing through provider batch APIs (issue 13, "Batch APIs"): `startProbing(input: { batch:
 * true })` against local fake OpenAI Batch and Anthropic Message Batches servers, spoken to by
 * the real `openai` and `@anthropic-ai/sdk` clients over HTTP. Every case ends with the exact
 * sample count, each sample stored under the index its batch line asked for.
 */
import { rm } from 'node:fs/promises';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { httpRequest } from '../helpers/http';
import { createTestDatabase, describeWithPostgres } from '../helpers/postgres';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus';
import {
  completeAtOnce,
  startFakeAnthropicBatch,
  startFakeOpenAIBatch,
  type BatchPolicy,
  type FakeBatchServer,
} from '../helpers/fake-batch';

const GENES = ['The cat sat on', 'def fib(n):', 'Once upon a'];
const N = 4;
const JOB = `query ($id: ID!) { job(id: $id) { id status error completed total batch batchId costUsd warnings } }`;
const START = `mutation ($input: StartProbingInput!) { startProbing(input: $input) { id status batch } }`;

interface Setup {
  app: TestApp;
  fake: FakeBatchServer;
  genome: string;
  model: string;
}

const PROVIDERS = [
  { provider: 'openai', providerModel: 'gpt-4o-mini', start: startFakeOpenAIBatch },
  { provider: 'anthropic', providerModel: 'claude-3-5-haiku-20241022', start: startFakeAnthropicBatch },
] as const;

type ProviderCase = (typeof PROVIDERS)[number];

const open: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function appFor(
  pc: ProviderCase,
  fake: FakeBatchServer,
  dir?: string,
  more: Parameters<typeof startTestApp>[0] = {},
  timeoutMs = 5000,
): Promise<TestApp> {
  return startTestApp(
    {
      ...more,
      probeBatchPollMs: 20,
      probeRetryBaseMs: 1,
      providers: { [pc.provider]: { apiKey: 'sk-batch-test-key', baseURL: fake.baseURL, timeoutMs } },
    },
    dir,
  );
}

async function setUp(pc: ProviderCase, policy: BatchPolicy): Promise<Setup> {
  const fake = await pc.start(policy);
  open.push(fake);
  const app = await appFor(pc, fake);
  open.push({ close: () => app.stopAndClean() });
  const ids = await register(app, pc);
  return { app, fake, ...ids };
}

async function register(app: TestApp, pc: ProviderCase): Promise<{ genome: string; model: string }> {
  const genome = dataOf(
    await app.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'g', genes: GENES },
    }),
  ).createGenome.id;
  const model = dataOf(
    await app.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
      input: { name: `m-${pc.provider}`, provider: pc.provider, providerModel: pc.providerModel, mode: 'CHAT' },
    }),
  ).registerModel.id;
  return { genome, model };
}

async function startBatch(s: Pick<Setup, 'app' | 'genome' | 'model'>): Promise<string> {
  const job = dataOf(
    await s.app.gql(START, { input: { model: s.model, genome: s.genome, samplesPerGene: N, batch: true } }),
  ).startProbing;
  expect(job.batch).toBe(true);
  return job.id;
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 800; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function finished(app: TestApp, id: string) {
  return until(`job ${id} to finish`, async () => {
    const job = dataOf(await app.gql(JOB, { id })).job;
    return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status) ? job : undefined;
  });
}

/** Every stored sample as (gene, index, text), sorted. */
async function samplesOf(s: Pick<Setup, 'app' | 'genome' | 'model'>) {
  const nodes = dataOf(
    await s.app.gql(
      `query ($m: ID!, $g: ID!) { samples(model: $m, genome: $g, first: 1000) { nodes { geneIndex sampleIndex text } } }`,
      { m: s.model, g: s.genome },
    ),
  ).samples.nodes as { geneIndex: number; sampleIndex: number; text: string }[];
  return nodes.sort((a, b) => a.geneIndex - b.geneIndex || a.sampleIndex - b.sampleIndex);
}

/**
 * Checks that every gene has exactly samples 0..N-1, each holding the text of the batch line
 * that asked for it: the fake answers choice k of line `t<tag>-g<gene>-o<offset>-n<n>` with
 * ` t<tag>-g<gene>-o<offset>-n<n> s<k>`, which must be sample offset + k.
 */
function expectExactSamples(samples: { geneIndex: number; sampleIndex: number; text: string }[]): void {
  expect(samples).toHaveLength(GENES.length * N);
  for (const sample of samples) {
    const match = sample.text.match(/^ t[0-9a-f]{16}-g(\d+)-o(\d+)-n(\d+) s(\d+)$/);
    expect(match).not.toBeNull();
    const [, gene, offset, , k] = match!.map(Number);
    expect(gene).toBe(sample.geneIndex);
    expect(offset + k).toBe(sample.sampleIndex);
  }
  for (let gene = 0; gene < GENES.length; gene++) {
    expect(samples.filter((s) => s.geneIndex === gene).map((s) => s.sampleIndex)).toEqual([0, 1, 2, 3]);
  }
}

/** A line's custom id without its submission tag (`t<tag>-`), which differs from batch to batch. */
const untagged = (customId: string) => customId.replace(/^t[0-9a-f]+-/, '');
const linesOf = (batch: { lines: { customId: string }[] }) => batch.lines.map((l) => untagged(l.customId)).sort();

describe.each(PROVIDERS)('batch probing through $provider', (pc) => {
  it('sends one batch, no direct request, stores exact samples and records half the price', async () => {
    const s = await setUp(pc, completeAtOnce);
    const job = await finished(s.app, await startBatch(s));
    expect(job).toMatchObject({ status: 'SUCCEEDED', completed: GENES.length * N, total: GENES.length * N });
    expect(s.fake.batches).toHaveLength(1);
    expect(s.fake.directRequests).toBe(0);
    expectExactSamples(await samplesOf(s));
    // every line asked with the reference settings, as one sample each (Anthropic) or n (OpenAI)
    const body = s.fake.batches[0].lines[0].body;
    expect(body).toMatchObject({ model: pc.providerModel, temperature: 0.7 });
    // the fakes' usage is 7 prompt tokens per line and 5 completion tokens per sample
    const price = pc.provider === 'openai' ? { in: 0.15, out: 0.6 } : { in: 0.8, out: 4 };
    const full = (7 * s.fake.batches[0].lines.length * price.in + 5 * GENES.length * N * price.out) / 1e6;
    expect(job.costUsd).toBeCloseTo(full / 2, 12);
  });

  it('the cost estimate shows the batch discount', async () => {
    const s = await setUp(pc, completeAtOnce);
    const query = `query ($input: StartProbingInput!) { probingEstimate(input: $input) { costUsd batchDiscountUsd requests } }`;
    const direct = dataOf(
      await s.app.gql(query, { input: { model: s.model, genome: s.genome, samplesPerGene: N } }),
    ).probingEstimate;
    const batched = dataOf(
      await s.app.gql(query, { input: { model: s.model, genome: s.genome, samplesPerGene: N, batch: true } }),
    ).probingEstimate;
    expect(direct.costUsd).toBeGreaterThan(0);
    expect(batched.costUsd).toBeCloseTo(direct.costUsd / 2, 12);
    expect(batched.batchDiscountUsd).toBeCloseTo(direct.costUsd / 2, 12);
    expect(batched.requests).toBe(direct.requests);
  });

  it('retries per-line errors in a new batch holding only the failed lines', async () => {
    const failing = (id: string) => untagged(id).startsWith('g1-');
    const s = await setUp(pc, (batch) =>
      batch.id.endsWith('_1') ? { outcome: 'completed', lineError: failing } : { outcome: 'completed' },
    );
    const job = await finished(s.app, await startBatch(s));
    expect(job.status).toBe('SUCCEEDED');
    expect(s.fake.batches).toHaveLength(2);
    expect(linesOf(s.fake.batches[1])).toEqual(linesOf(s.fake.batches[0]).filter(failing));
    expect(job.warnings.join('\n')).toMatch(/failed in batch .*; retried in a new batch/);
    expectExactSamples(await samplesOf(s));
    // each batch line is one provider request in /metrics, as a direct request is
    const families = parsePrometheusText((await httpRequest(s.app.url, { path: '/metrics' })).text);
    const requests = (outcome: string) =>
      sampleValue(families, 'phylolm_provider_requests_total', 'phylolm_provider_requests_total', {
        provider: pc.provider,
        outcome,
      });
    const failed = linesOf(s.fake.batches[0]).filter(failing).length;
    expect(failed).toBeGreaterThan(0);
    expect(requests('error')).toBe(failed);
    expect(requests('ok')).toBe(s.fake.batches[0].lines.length - failed + s.fake.batches[1].lines.length);
  });

  it('an expired batch: the answered lines are kept and the rest go into a new batch', async () => {
    const answered = (id: string) => untagged(id).startsWith('g0-') || untagged(id).startsWith('g2-');
    const s = await setUp(pc, (batch) =>
      batch.id.endsWith('_1') ? { outcome: 'expired', answered } : { outcome: 'completed' },
    );
    const job = await finished(s.app, await startBatch(s));
    expect(job.status).toBe('SUCCEEDED');
    expect(s.fake.batches).toHaveLength(2);
    expect(linesOf(s.fake.batches[1])).toEqual(linesOf(s.fake.batches[0]).filter((id) => !answered(id)));
    expect(job.warnings.join('\n')).toMatch(/expired/);
    expectExactSamples(await samplesOf(s));
  });

  it('per-line errors in every batch: the job fails after its batch rounds, keeping what it got', async () => {
    const s = await setUp(pc, () => ({ outcome: 'completed', lineError: (id) => untagged(id).startsWith('g2-') }));
    const job = await finished(s.app, await startBatch(s));
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(/still missing after 3 batches/);
    expect(s.fake.batches).toHaveLength(3);
    const samples = await samplesOf(s);
    expect(samples).toHaveLength(2 * N);
    expect(job.completed).toBe(2 * N);
  });

  /**
   * Starts a batch job in one process and stops that process once the provider holds the batch
   * (`lostAnswer`: before the submit's answer came back, so no batch id was stored); a second
   * process on the same data finishes the job. Returns the finished job, the fake and the ids.
   */
  async function jobAcrossRestart(lostAnswer: boolean) {
    let release = false;
    const fake = await pc.start(() => (release ? { outcome: 'completed' } : undefined));
    open.push(fake);
    if (lostAnswer) fake.holdCreates = 1; // the batch is created, its id never comes back
    const first = await appFor(pc, fake);
    const dir = first.dir;
    open.push({ close: () => rm(dir, { recursive: true, force: true }) });
    const ids = await register(first, pc);
    const id = await startBatch({ app: first, ...ids });
    await until('the provider to hold the batch', () =>
      lostAnswer ? fake.batches.length === 1 : fake.batches[0]?.polls > 0,
    );
    const running = dataOf(await first.gql(JOB, { id })).job;
    expect(running).toMatchObject({ status: 'RUNNING', batchId: lostAnswer ? null : fake.batches[0].id });
    await first.close(); // a stop: the job stays RUNNING, with its batch id stored or not

    const second = await appFor(pc, fake, dir);
    open.push(second);
    release = true;
    const job = await finished(second, id);
    return { job, fake, samples: await samplesOf({ app: second, ...ids }) };
  }

  it('survives a restart mid-batch: the new process polls the stored batch and never submits again', async () => {
    const { job, fake, samples } = await jobAcrossRestart(false);
    expect(job.status).toBe('SUCCEEDED');
    expect(fake.batches).toHaveLength(1);
    expectExactSamples(samples);
  });

  it('a process stopped after the provider accepted a batch but before it stored the id: the next one finds that batch and never submits again', async () => {
    const { job, fake, samples } = await jobAcrossRestart(true);
    expect(job.status).toBe('SUCCEEDED');
    expect(fake.batches).toHaveLength(1);
    expect(fake.directRequests).toBe(0);
    expectExactSamples(samples);
  });

  it('a submit whose answer times out is not sent again: the retry finds the accepted batch', async () => {
    const fake = await pc.start(completeAtOnce);
    open.push(fake);
    fake.holdCreates = 1;
    const app = await appFor(pc, fake, undefined, {}, 500);
    open.push({ close: () => app.stopAndClean() });
    const ids = await register(app, pc);
    const job = await finished(app, await startBatch({ app, ...ids }));
    expect(job.status).toBe('SUCCEEDED');
    expect(fake.batches).toHaveLength(1);
    expectExactSamples(await samplesOf({ app, ...ids }));
  });

  it.each([
    ['', false],
    [', even while its submit has not answered', true],
  ])('cancelJob cancels the batch at the provider%s', async (_, held) => {
    const s = await setUp(pc, () => undefined);
    if (held) s.fake.holdCreates = 1;
    const id = await startBatch(s);
    await until('the batch to be submitted', () => (held ? s.fake.batches.length === 1 : s.fake.batches[0]?.polls > 0));
    const cancelled = dataOf(
      await s.app.gql(`mutation ($id: ID!) { cancelJob(id: $id) { status } }`, { id }),
    ).cancelJob;
    expect(cancelled.status).toBe('CANCELLED');
    await until('the provider to hear the cancellation', () => s.fake.batches[0].cancelled);
    expect((await finished(s.app, id)).status).toBe('CANCELLED');
    expect(s.fake.batches).toHaveLength(1);
  });
});

describe('batch restarts and failures', () => {
  it('a result download that fails is read again, recording each answer once', async () => {
    // OpenAI: the output file (download 1) is stored, then the error file (download 2) fails
    const s = await setUp(PROVIDERS[0], (batch) =>
      batch.id === 'batch_1'
        ? { outcome: 'completed', lineError: (id) => untagged(id).startsWith('g1-') }
        : { outcome: 'completed' },
    );
    s.fake.failDownloads = [2];
    const job = await finished(s.app, await startBatch(s));
    expect(job.status).toBe('SUCCEEDED');
    expect(s.fake.downloads).toBeGreaterThanOrEqual(5); // 1, 2 (500), 1 and 2 again, then batch 2
    expect(s.fake.batches).toHaveLength(2);
    expectExactSamples(await samplesOf(s));
    const recorded = dataOf(await s.app.gql(`query ($id: ID!) { job(id: $id) { requests } }`, { id: job.id })).job;
    expect(recorded.requests).toBe(GENES.length); // one line per gene, each recorded once
  });

  it('a restart while reading results stores the rest once, recording each answer once', async () => {
    const pc = PROVIDERS[1]; // Anthropic streams results line by line, so a read can stop halfway
    const fake = await pc.start(completeAtOnce);
    open.push(fake);
    fake.stallResultsAfter = 5;
    const first = await appFor(pc, fake);
    const dir = first.dir;
    open.push({ close: () => rm(dir, { recursive: true, force: true }) });
    const ids = await register(first, pc);
    const id = await startBatch({ app: first, ...ids });
    await until('five answers to be stored', async () => (await samplesOf({ app: first, ...ids })).length === 5);
    await first.close();

    const second = await appFor(pc, fake, dir);
    open.push(second);
    const job = await finished(second, id);
    expect(job.status).toBe('SUCCEEDED');
    expect(fake.batches).toHaveLength(1);
    expectExactSamples(await samplesOf({ app: second, ...ids }));
    // one recorded request per line, not 5 more for the lines read twice
    const recorded = dataOf(
      await second.gql(`query ($id: ID!) { job(id: $id) { requests promptTokens } }`, { id }),
    ).job;
    expect(recorded).toEqual({ requests: GENES.length * N, promptTokens: 7 * GENES.length * N });
  });

  it('a failed OpenAI batch fails the job with the provider message, without a second batch', async () => {
    const s = await setUp(PROVIDERS[0], () => ({ outcome: 'failed' }));
    const job = await finished(s.app, await startBatch(s));
    expect(job.status).toBe('FAILED');
    expect(job.error).toContain('fake batch validation failed');
    expect(s.fake.batches).toHaveLength(1);
    expect(await samplesOf(s)).toHaveLength(0);
  });

  it('a provider without a batch API refuses batch: true and creates no job', async () => {
    const app = await startTestApp({});
    open.push({ close: () => app.stopAndClean() });
    const genome = dataOf(
      await app.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
        input: { name: 'g', genes: GENES },
      }),
    ).createGenome.id;
    const providers = dataOf(await app.gql(`{ providers { id models { id mode } } }`)).providers;
    const [simulated] = providers.find((p: { id: string }) => p.id === 'simulated').models;
    const model = dataOf(
      await app.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
        input: { name: 'sim', provider: 'simulated', providerModel: simulated.id, mode: simulated.mode },
      }),
    ).registerModel.id;
    for (const query of [START, `query ($input: StartProbingInput!) { probingEstimate(input: $input) { costUsd } }`]) {
      const answer = await app.gql(query, { input: { model, genome, batch: true } });
      expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0].message).toMatch(/provider "simulated" has no batch API/);
    }
    expect(dataOf(await app.gql(`{ jobs(first: 10) { nodes { id } } }`)).jobs.nodes).toHaveLength(0);
  });
});

describeWithPostgres('batch probing on PostgreSQL (pg-boss turns)', () => {
  it('polls across time slices and survives a restart without a second batch', async () => {
    const database = await createTestDatabase();
    open.push({ close: () => database.drop() });
    const pc = PROVIDERS[0];
    let release = false;
    const fake = await pc.start((batch) => (release && batch.polls > 1 ? { outcome: 'completed' } : undefined));
    open.push(fake);
    // a short lease makes pg-boss end a turn every 2 x 300 ms: the batch outlives several turns
    const settings = { postgresUrl: database.url, jobLeaseMs: 300 };
    const first = await appFor(pc, fake, undefined, settings);
    const ids = await register(first, pc);
    const id = await startBatch({ app: first, ...ids });
    await until('the batch to be polled for a while', () => fake.batches[0]?.polls > 60);
    await first.stopAndClean();

    const second = await appFor(pc, fake, undefined, settings);
    open.push({ close: () => second.stopAndClean() });
    release = true;
    const job = await finished(second, id);
    expect(job.status).toBe('SUCCEEDED');
    expect(fake.batches).toHaveLength(1);
    expectExactSamples(await samplesOf({ app: second, ...ids }));
  });
});

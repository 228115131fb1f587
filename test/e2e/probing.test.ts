/**
 * Probing through the real server: jobs run by the provider plugins (the simulated zoo, and the
 * real OpenAI SDK against a local fake server), progress, top-up, failure, cancel, the collapse
 * guard, cost estimates, the progress subscription, and secrets that never leak.
 */
import { readFileSync } from 'node:fs';
import { createLogger } from '../../src/logger';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { startFakeAnthropic } from '../helpers/fake-anthropic';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import { wsClient } from '../helpers/ws';

const SECRET = 'sk-test-SECRET-4f1d9a7c2b';
const GENES = ['The cat sat on', 'In 1905, Einstein', 'def fib(n):', 'Let x be a real', '# Chapter 1', 'SELECT * FROM'];
const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`;
const START = `mutation ($input: StartProbingInput!) { startProbing(input: $input) { id status total completed } }`;
const JOB = `query ($id: ID!) { job(id: $id) { id status completed total error warnings collapsed requests promptTokens completionTokens costUsd } }`;

let fake: FakeServer;
let app: TestApp;
let genome: string;
const logs: string[] = [];

async function waitForJob(
  on: TestApp | string,
  idOrDone?: string | ((status: string) => boolean),
  maybeDone?: (status: string) => boolean,
) {
  const [target, id, done] =
    typeof on === 'string'
      ? [app, on, (idOrDone as ((s: string) => boolean) | undefined) ?? finished]
      : [on, idOrDone as string, maybeDone ?? finished];
  for (let i = 0; i < 600; i++) {
    const job = dataOf(await target.gql(JOB, { id })).job;
    if (done(job.status)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

const finished = (s: string) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(s);

/** A server of its own whose only endpoint is a fake OpenAI-compatible server, with a genome and a model. */
async function withLocalEndpoint(
  options: Parameters<typeof startFakeOpenAI>[0],
  run: (local: TestApp, genome: string, model: string, endpoint: FakeServer) => Promise<void>,
): Promise<void> {
  const endpoint = await startFakeOpenAI(options);
  const local = await startTestApp({
    probeMaxAttempts: 2,
    probeRetryBaseMs: 1,
    probeConcurrency: 1,
    providers: {
      openaiCompatible: { endpoints: [{ name: 'local', baseURL: endpoint.baseURL, models: ['local-model'] }] },
    },
  });
  try {
    const g = dataOf(
      await local.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
        input: { name: 'g', genes: GENES.concat(GENES.map((x) => `${x}!`)) },
      }),
    ).createGenome.id;
    const model = dataOf(
      await local.gql(REGISTER, {
        input: { name: 'local', provider: 'openai-compatible:local', providerModel: 'local-model', mode: 'COMPLETION' },
      }),
    ).registerModel.id;
    await run(local, g, model, endpoint);
  } finally {
    await local.stopAndClean();
    await endpoint.close();
  }
}

async function register(name: string, provider: string, providerModel: string, mode = 'COMPLETION') {
  return dataOf(await app.gql(REGISTER, { input: { name, provider, providerModel, mode } })).registerModel.id as string;
}

async function perGeneCounts(model: string): Promise<number[]> {
  const counts = new Array(GENES.length).fill(0);
  let after: string | null = null;
  for (;;) {
    const page: any = dataOf(
      await app.gql(
        `query ($m: ID!, $g: ID!, $after: String) { samples(model: $m, genome: $g, first: 10000, after: $after) { nodes { geneIndex sampleIndex source } pageInfo { hasNextPage endCursor } } }`,
        {
          m: model,
          g: genome,
          after,
        },
      ),
    ).samples;
    for (const s of page.nodes) counts[s.geneIndex]++;
    if (!page.pageInfo.hasNextPage) return counts;
    after = page.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  fake = await startFakeOpenAI({ text: (i, body) => `${i % 3 === 0 ? ' the' : ' a'} ${body.model} ${i % 2}` });
  app = await startTestApp(
    {
      logLevel: 'debug',
      probeMaxAttempts: 3,
      probeRetryBaseMs: 1,
      providers: {
        openai: { apiKey: SECRET, baseURL: fake.baseURL, timeoutMs: 2000 },
      },
    },
    undefined,
    createLogger('debug', (line) => logs.push(line)),
  );
  genome = dataOf(
    await app.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'p', genes: GENES },
    }),
  ).createGenome.id;
});

afterAll(async () => {
  await app.stopAndClean();
  await fake.close();
});

describe('probing with the simulated zoo', () => {
  it('a job reaches SUCCEEDED with exactly G x N samples, and starting it again tops up instead of duplicating', async () => {
    const model = await register('sim-llama', 'simulated', 'llama-3-8b');
    const started = dataOf(await app.gql(START, { input: { model, genome, samplesPerGene: 8 } })).startProbing;
    expect(started).toMatchObject({ total: GENES.length * 8, completed: 0 });
    const job = await waitForJob(started.id);
    expect(job).toMatchObject({ status: 'SUCCEEDED', completed: GENES.length * 8, error: null });
    expect(await perGeneCounts(model)).toEqual(GENES.map(() => 8));

    const topUp = dataOf(await app.gql(START, { input: { model, genome, samplesPerGene: 10 } })).startProbing;
    expect(topUp.completed).toBe(GENES.length * 8);
    expect((await waitForJob(topUp.id)).status).toBe('SUCCEEDED');
    expect(await perGeneCounts(model)).toEqual(GENES.map(() => 10));

    const again = dataOf(await app.gql(START, { input: { model, genome, samplesPerGene: 10 } })).startProbing;
    const finished = await waitForJob(again.id);
    expect(finished).toMatchObject({ status: 'SUCCEEDED', requests: 0 });
    expect(await perGeneCounts(model)).toEqual(GENES.map(() => 10));
  });

  it('probed samples feed distances like imported ones', async () => {
    const other = await register('sim-mistral', 'simulated', 'mistral-7b');
    const third = await register('sim-gemma', 'simulated', 'gemma-7b');
    for (const model of [other, third]) {
      await waitForJob(dataOf(await app.gql(START, { input: { model, genome, samplesPerGene: 8 } })).startProbing.id);
    }
    const tree = dataOf(
      await app.gql(`query ($g: ID!) { tree(genome: $g) { nodes { model { name } } } }`, { g: genome }),
    ).tree;
    expect(tree.nodes.filter((n: { model: unknown }) => n.model).length).toBeGreaterThanOrEqual(3);
  });
});

describe('probing through the OpenAI plugin (real SDK, local fake server)', () => {
  it('sends the reference request with n and records usage and cost', async () => {
    const model = await register('gpt-inst', 'openai', 'gpt-3.5-turbo-instruct');
    const before = fake.requests.length;
    const job = await waitForJob(
      dataOf(await app.gql(START, { input: { model, genome, samplesPerGene: 4 } })).startProbing.id,
    );
    expect(job).toMatchObject({ status: 'SUCCEEDED', completed: GENES.length * 4, requests: GENES.length });
    const bodies = fake.requests.slice(before).map((r) => r.body);
    expect(bodies).toHaveLength(GENES.length);
    expect(bodies.map((b) => b.prompt).sort()).toEqual([...GENES].sort());
    for (const body of bodies) {
      expect(body).toMatchObject({ model: 'gpt-3.5-turbo-instruct', temperature: 0.7, top_p: 1, max_tokens: 5, n: 4 });
      expect(body.seed).toBeUndefined();
    }
    expect(job.promptTokens).toBe(7 * GENES.length);
    expect(job.completionTokens).toBe(5 * 4 * GENES.length);
    expect(job.costUsd).toBeGreaterThan(0);
  });

  it('probingEstimate counts requests, tokens and dollars of what is missing', async () => {
    const model = await register('gpt-est', 'openai', 'gpt-3.5-turbo-instruct');
    const estimate = dataOf(
      await app.gql(
        `query ($input: StartProbingInput!) { probingEstimate(input: $input) { samplesNeeded requests promptTokens completionTokens costUsd priced } }`,
        {
          input: { model, genome, samplesPerGene: 32 },
        },
      ),
    ).probingEstimate;
    expect(estimate).toMatchObject({
      samplesNeeded: GENES.length * 32,
      requests: GENES.length,
      completionTokens: GENES.length * 32 * 5,
      priced: true,
    });
    expect(estimate.costUsd).toBeGreaterThan(0);
  });

  it('a provider that keeps failing ends the job FAILED with its message, keeping what it got', async () => {
    // two requests answered, then every request fails
    await withLocalEndpoint(
      { script: [{ kind: 'ok' }, { kind: 'ok' }], fallback: { kind: 'status', status: 500 } },
      async (local, g, model) => {
        const id = dataOf(await local.gql(START, { input: { model, genome: g, samplesPerGene: 4 } })).startProbing.id;
        const job = await waitForJob(local, id);
        expect(job.status).toBe('FAILED');
        expect(job.error).toContain('500');
        expect(job.completed).toBe(8);
        const stored = dataOf(
          await local.gql(`query ($m: ID!, $g: ID!) { samples(model: $m, genome: $g) { nodes { id } } }`, {
            m: model,
            g,
          }),
        ).samples;
        expect(stored.nodes).toHaveLength(8);
      },
    );
  });

  it('cancelJob stops a running job and keeps its samples', async () => {
    // the first request answers at once, the rest hang until cancelled
    await withLocalEndpoint(
      { script: [{ kind: 'ok' }], fallback: { kind: 'hang' } },
      async (local, g, model, endpoint) => {
        const id = dataOf(await local.gql(START, { input: { model, genome: g, samplesPerGene: 4 } })).startProbing.id;
        await waitForJob(local, id, () => endpoint.requests.length >= 2);
        const cancelled = dataOf(
          await local.gql(`mutation ($id: ID!) { cancelJob(id: $id) { status completed } }`, { id }),
        ).cancelJob;
        expect(cancelled).toEqual({ status: 'CANCELLED', completed: 4 });
        await local.services.jobs.settled(Number(id));
        const asked = endpoint.requests.length;
        await new Promise((r) => setTimeout(r, 100));
        expect(endpoint.requests.length).toBe(asked);
        expect(dataOf(await local.gql(JOB, { id })).job).toMatchObject({ status: 'CANCELLED', completed: 4 });
      },
    );
  });
});

describe('probing through the Anthropic plugin (real SDK, local fake server)', () => {
  it('sends one messages request per sample with the gene as the single user message', async () => {
    const anthropic = await startFakeAnthropic({ text: (k) => ` answer ${k % 3}` });
    const local = await startTestApp({
      probeRetryBaseMs: 1,
      providers: { anthropic: { apiKey: SECRET, baseURL: anthropic.baseURL, timeoutMs: 2000 } },
    });
    try {
      const g = dataOf(
        await local.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
          input: { name: 'g', genes: GENES.slice(0, 3) },
        }),
      ).createGenome.id;
      const model = dataOf(
        await local.gql(REGISTER, {
          input: { name: 'claude', provider: 'anthropic', providerModel: 'claude-3-5-haiku-latest', mode: 'CHAT' },
        }),
      ).registerModel.id;
      const id = dataOf(await local.gql(START, { input: { model, genome: g, samplesPerGene: 4 } })).startProbing.id;
      const job = await waitForJob(local, id);
      expect(job).toMatchObject({ status: 'SUCCEEDED', completed: 12, requests: 12 });
      expect(anthropic.requests).toHaveLength(12);
      for (const request of anthropic.requests) {
        expect(request.body).toMatchObject({
          model: 'claude-3-5-haiku-latest',
          max_tokens: 5,
          temperature: 0.7,
          messages: [{ role: 'user', content: expect.any(String) }],
        });
        expect(request.body.system).toBeUndefined();
        expect(GENES).toContain(request.body.messages[0].content);
      }
    } finally {
      await local.stopAndClean();
      await anthropic.close();
    }
  });
});

describe('deleting a model that is being probed', () => {
  it('stops its running job first, so nothing is written for it afterwards', async () => {
    await withLocalEndpoint(
      { script: [{ kind: 'ok' }], fallback: { kind: 'hang' } },
      async (local, g, model, endpoint) => {
        const id = dataOf(await local.gql(START, { input: { model, genome: g, samplesPerGene: 4 } })).startProbing.id;
        await waitForJob(local, id, () => endpoint.requests.length >= 2);
        const deleted = dataOf(await local.gql(`mutation ($id: ID!) { deleteModel(id: $id) { name } }`, { id: model }));
        expect(deleted.deleteModel.name).toBe('local');
        expect(dataOf(await local.gql(JOB, { id })).job).toBeNull();
        expect(await local.services.store.populationRevisions(Number(g))).toEqual([]);
      },
    );
  });
});

describe('guards against silently wrong data', () => {
  it('flags a job whose samples collapse to one allele per gene at temperature > 0, and never sends a seed', async () => {
    await withLocalEndpoint({ text: () => ' same answer' }, async (local, g, model, endpoint) => {
      const id = dataOf(await local.gql(START, { input: { model, genome: g, samplesPerGene: 4 } })).startProbing.id;
      const job = await waitForJob(local, id);
      expect(job.status).toBe('SUCCEEDED');
      expect(job.collapsed).toBe(true);
      expect(job.warnings.join(' ')).toContain('single allele');
      expect(endpoint.requests.length).toBeGreaterThan(0);
      expect(endpoint.requests.every((r) => r.body.seed === undefined)).toBe(true);
    });
  });
});

describe('jobProgress subscription', () => {
  it('streams progress over graphql-ws until the job succeeds', async () => {
    const model = await register('sim-sub', 'simulated', 'qwen-2-7b');
    const id = dataOf(await app.gql(START, { input: { model, genome, samplesPerGene: 16 } })).startProbing.id;
    const client = wsClient(app.url);
    const seen: { status: string; completed: number }[] = [];
    try {
      for await (const event of client.iterate<{ jobProgress: { status: string; completed: number } }>({
        query: `subscription ($id: ID!) { jobProgress(id: $id) { status completed total } }`,
        variables: { id },
      })) {
        if (event.errors) throw new Error(JSON.stringify(event.errors));
        seen.push(event.data!.jobProgress);
      }
    } finally {
      await client.dispose();
    }
    expect(seen.at(-1)).toMatchObject({ status: 'SUCCEEDED', completed: GENES.length * 16 });
    const completed = seen.map((s) => s.completed);
    expect(completed).toEqual([...completed].sort((a, b) => a - b));
  });
});

describe('secrets', () => {
  it('the API key never appears in the database, the logs or any GraphQL answer', async () => {
    const answers = [
      await app.gql(`{ providers { id name configured capabilities { maxSamplesPerRequest } models { id } } }`),
      await app.gql(`{ jobs(first: 1000) { nodes { id error warnings } } }`),
      await app.gql(`{ models(first: 1000) { nodes { name provider providerModel } } }`),
    ];
    await app.services.writes.flush();
    const db = ['', '-wal'].map((suffix) => {
      try {
        return readFileSync(app.dbPath + suffix).toString('latin1');
      } catch {
        return '';
      }
    });
    expect(fake.requests.some((r) => String(r.headers.authorization).includes(SECRET))).toBe(true); // it was used
    expect(logs.length).toBeGreaterThan(0);
    for (const text of [...answers.map((a) => JSON.stringify(a)), ...db, logs.join('\n')]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('SECRET-4f1d');
    }
  });
});

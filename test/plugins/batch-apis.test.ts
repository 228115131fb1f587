/**
 * The plugins' batch APIs (issue 13), through the real `openai` and `@anthropic-ai/sdk` clients
 * against the fake batch servers: each batch line carries exactly the body a direct request
 * would send, statuses map to running/ended, and results come back per line as samples or errors.
 * Providers without a batch API (openai-compatible, simulated) offer none.
 */
import { createAnthropicProvider } from '../../plugins/anthropic';
import { createOpenAIProvider } from '../../plugins/openai';
import { createOpenAICompatibleProvider } from '../../plugins/openai-compatible';
import { createSimulatedProvider } from '../../plugins/simulated';
import type { BatchApi, BatchLine, Provider, SampleRequest } from '../../src/providers/provider';
import { startFakeAnthropic } from '../helpers/fake-anthropic';
import { startFakeAnthropicBatch, startFakeOpenAIBatch, type BatchEnding } from '../helpers/fake-batch';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import { REFERENCE } from './provider-contract';

const KEY = 'sk-batch-plugin-test-0123456789';
const GENES = ['def fibonacci(n):', 'The cat sat on'];

const request = (model: string, mode: SampleRequest['mode'], prompt: string): Omit<SampleRequest, 'signal'> => ({
  model,
  mode,
  prompt,
  n: 3,
  ...REFERENCE,
});

async function collect(lines: AsyncIterable<BatchLine>): Promise<BatchLine[]> {
  const all: BatchLine[] = [];
  for await (const line of lines) all.push(line);
  return all.sort((a, b) => a.customId.localeCompare(b.customId));
}

/** The body the provider's doSample sends for `r`, seen by the plain fake. */
async function directBody(make: (baseURL: string) => Provider, start: () => Promise<FakeServer>, r: any) {
  const fake = await start();
  try {
    await make(fake.baseURL).doSample(r);
    return fake.requests[0].body;
  } finally {
    await fake.close();
  }
}

describe.each([
  {
    name: 'openai',
    model: 'gpt-4o-mini',
    modes: ['CHAT', 'COMPLETION'] as const,
    make: (baseURL: string) => createOpenAIProvider({ apiKey: KEY, baseURL, timeoutMs: 2000 }),
    startBatch: startFakeOpenAIBatch,
    startDirect: () => startFakeOpenAI(),
    samplesPerLine: 3,
  },
  {
    name: 'anthropic',
    model: 'claude-3-5-haiku-20241022',
    modes: ['CHAT'] as const,
    make: (baseURL: string) => createAnthropicProvider({ apiKey: KEY, baseURL, timeoutMs: 2000 }),
    startBatch: startFakeAnthropicBatch,
    startDirect: () => startFakeAnthropic(),
    samplesPerLine: 1,
  },
])('the $name batch API', (c) => {
  let ending: BatchEnding | undefined;
  let fake: Awaited<ReturnType<typeof startFakeOpenAIBatch>>;
  let api: BatchApi;
  beforeAll(async () => {
    fake = await c.startBatch(() => ending);
    api = c.make(fake.baseURL).batch!;
  });
  afterAll(() => fake.close());

  it('costs half the table price', () => {
    expect(api.priceFactor).toBe(0.5);
    expect(api.maxRequests).toBeGreaterThanOrEqual(50_000);
  });

  it.each(c.modes)('%s: each line is the direct request body; running until the provider ends it', async (mode) => {
    ending = undefined;
    const requests = GENES.map((gene, i) => ({ customId: `g${i}-o0-n3`, request: request(c.model, mode, gene) }));
    const id = await api.submit(requests, 'tag-lines');
    const batch = fake.batches.find((b) => b.id === id)!;
    if (c.name === 'openai') {
      expect(batch.endpoint).toBe(mode === 'CHAT' ? '/v1/chat/completions' : '/v1/completions');
    }
    for (const [i, line] of batch.lines.entries()) {
      expect(line.customId).toBe(requests[i].customId);
      const direct = await directBody(c.make, c.startDirect, requests[i].request);
      expect(line.body).toEqual(direct);
    }
    expect(await api.status(id)).toEqual({ state: 'running' });

    ending = { outcome: 'completed', lineError: (customId) => customId.startsWith('g1-') };
    expect(await api.status(id)).toEqual({ state: 'ended', outcome: 'completed' });
    const [ok, failed] = await collect(api.results(id));
    expect(ok).toEqual({
      customId: 'g0-o0-n3',
      result: {
        texts: Array.from({ length: c.samplesPerLine }, (_, k) => ` g0-o0-n3 s${k}`),
        usage: { promptTokens: 7, completionTokens: 5 * c.samplesPerLine, requests: 1 },
        warnings: [],
      },
    });
    expect(failed).toEqual({ customId: 'g1-o0-n3', error: expect.stringContaining('fake line error') });
  });

  it('an expired batch answers the lines done in time; the others come back as errors', async () => {
    ending = { outcome: 'expired', answered: (customId) => customId === 'a' };
    const id = await api.submit(
      ['a', 'b'].map((customId) => ({ customId, request: request(c.model, 'CHAT', 'x') })),
      'tag-expired',
    );
    expect(await api.status(id)).toEqual({ state: 'ended', outcome: 'expired' });
    const [a, b] = await collect(api.results(id));
    expect('result' in a).toBe(true);
    expect(b).toEqual({ customId: 'b', error: expect.stringMatching(/expired/) });
  });

  it('find() finds a submitted batch again by its tag, and none submitted before `since`', async () => {
    ending = undefined;
    const lines = (n: number) =>
      Array.from({ length: n }, (_, k) => ({ customId: `g${k}-o0-n3`, request: request(c.model, 'CHAT', 'x') }));
    const since = new Date();
    const id = await api.submit(lines(3), 'tag-find');
    await api.submit(lines(2), 'tag-other');
    expect(await api.find('tag-find', since, 3)).toBe(id);
    // OpenAI keeps the tag; Anthropic keeps none, so a batch of another size is not taken for it
    expect(await api.find('tag-never-sent', since, 4)).toBeUndefined();
    // batches created long before the submission was recorded are not looked at
    expect(await api.find('tag-find', new Date(Date.now() + 3_600_000), 3)).toBeUndefined();
  });

  it('cancel() cancels the batch at the provider', async () => {
    ending = undefined;
    const id = await api.submit([{ customId: 'a', request: request(c.model, 'CHAT', 'x') }], 'tag-cancel');
    await api.cancel(id);
    expect(fake.batches.find((b) => b.id === id)!.cancelled).toBe(true);
    expect(await api.status(id)).toEqual({ state: 'ended', outcome: 'cancelled' });
  });
});

it('providers without a batch API offer none', () => {
  const compatible = createOpenAICompatibleProvider({ name: 'local', baseURL: 'http://127.0.0.1:1/v1' });
  expect(compatible.batch).toBeUndefined();
  expect(createSimulatedProvider().batch).toBeUndefined();
});

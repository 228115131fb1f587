import { createOpenAIProvider } from '../../plugins/openai';
import { ProviderError } from '../../src/providers/errors';
import { withRetry } from '../../src/providers/retry';
import type { SampleRequest } from '../../src/providers/provider';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import { REFERENCE, defineProviderContractSuite } from './provider-contract';
import { rejectionOf } from '../helpers/rejection';

const KEY = 'sk-test-0123456789abcdefSECRET';
const GENE = 'In 1859 Charles Darwin published';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const provider = (over: Parameters<typeof createOpenAIProvider>[0] = {}) =>
  createOpenAIProvider({ apiKey: KEY, baseURL: fake.baseURL, timeoutMs: 2_000, ...over });

const req = (over: Partial<SampleRequest> = {}): SampleRequest => ({
  model: 'gpt-3.5-turbo-instruct',
  mode: 'COMPLETION',
  prompt: GENE,
  n: 32,
  ...REFERENCE,
  ...over,
});

const failure = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);

defineProviderContractSuite('openai (COMPLETION)', () => ({
  provider: provider(),
  model: 'gpt-3.5-turbo-instruct',
  mode: 'COMPLETION',
  secret: KEY,
}));
defineProviderContractSuite('openai (CHAT)', () => ({
  provider: provider(),
  model: 'gpt-4o-mini',
  mode: 'CHAT',
  secret: KEY,
}));

describe('createOpenAIProvider', () => {
  it('doSample(COMPLETION) posts exactly { model, prompt, temperature, top_p, max_tokens, n } to /v1/completions', async () => {
    const result = await provider().doSample(req());
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].path).toBe('/v1/completions');
    expect(fake.requests[0].body).toEqual({
      model: 'gpt-3.5-turbo-instruct',
      prompt: GENE,
      temperature: 0.7,
      top_p: 1,
      max_tokens: 5,
      n: 32,
    });
    expect(fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(result.texts).toHaveLength(32);
    expect(result.texts[3]).toBe(' sample 3');
    expect(result.usage).toEqual({ promptTokens: 7, completionTokens: 160, requests: 1 });
    expect(result.warnings).toEqual([]);
  });

  it('doSample(CHAT) sends the gene as the only user message: no system prompt, no stop', async () => {
    await provider().doSample(req({ model: 'gpt-4o-mini', mode: 'CHAT' }));
    expect(fake.requests[0].path).toBe('/v1/chat/completions');
    expect(fake.requests[0].body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: GENE }],
      temperature: 0.7,
      top_p: 1,
      max_tokens: 5,
      n: 32,
    });
  });

  it('doSample(CHAT) uses max_completion_tokens when chatMaxTokensParam says so', async () => {
    await provider({ chatMaxTokensParam: 'max_completion_tokens' }).doSample(req({ model: 'gpt-4o', mode: 'CHAT' }));
    expect(fake.requests[0].body.max_completion_tokens).toBe(5);
    expect(fake.requests[0].body).not.toHaveProperty('max_tokens');
  });

  it('doSample() caps n at maxSamplesPerRequest (128); the caller loops for the rest', async () => {
    const result = await provider().doSample(req({ n: 300 }));
    expect(fake.requests[0].body.n).toBe(128);
    expect(result.texts).toHaveLength(128);
  });

  it('doSample() sends a seed only when the request has one', async () => {
    await provider().doSample(req());
    await provider().doSample(req({ seed: 42 }));
    expect(fake.requests[0].body).not.toHaveProperty('seed');
    expect(fake.requests[1].body.seed).toBe(42);
  });

  it('doSample() returns choices in index order', async () => {
    fake.enqueue({ kind: 'ok', texts: ['a', 'b'] });
    const result = await provider().doSample(req({ n: 2 }));
    expect(result.texts).toEqual(['a', 'b']);
  });

  it('doSample() waits for a slow (100 ms) answer', async () => {
    fake.enqueue({ kind: 'ok', delayMs: 100 });
    const result = await provider().doSample(req({ n: 2 }));
    expect(result.texts).toHaveLength(2);
  });

  it('withRetry(doSample) waits the advised retry-after after a 429, then succeeds', async () => {
    fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '2' } });
    const sleep = jest.fn(async () => undefined);
    const p = provider();
    const result = await withRetry(() => p.doSample(req()), {
      maxAttempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 100,
      sleep,
      random: () => 0.5,
    });
    expect(sleep).toHaveBeenCalledTimes(1);
    expect(sleep).toHaveBeenCalledWith(2000, undefined);
    expect(fake.requests).toHaveLength(2);
    expect(result.texts).toHaveLength(32);
  });

  it('a 429 becomes a retryable ProviderError carrying retryAfterMs from retry-after-ms', async () => {
    fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after-ms': '1500' } });
    const error = await failure(provider().doSample(req()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      name: 'ProviderError',
      providerId: 'openai',
      statusCode: 429,
      isRetryable: true,
      retryAfterMs: 1500,
    });
    expect(fake.requests).toHaveLength(1); // the SDK's own retries are off
  });

  it.each([
    [500, true],
    [503, true],
    [408, true],
    [409, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
  ])('HTTP %i becomes ProviderError with isRetryable %s', async (status, retryable) => {
    fake.enqueue({ kind: 'status', status });
    const error = await failure(provider().doSample(req()));
    expect(error).toMatchObject({ statusCode: status, isRetryable: retryable, kind: 'http' });
  });

  it('a hung connection times out as a retryable ProviderError', async () => {
    fake.enqueue({ kind: 'hang' });
    const error = await failure(provider({ timeoutMs: 200 }).doSample(req()));
    expect(error).toMatchObject({ kind: 'timeout', isRetryable: true });
    expect(error.statusCode).toBeUndefined();
  });

  it('malformed JSON becomes a retryable ProviderError', async () => {
    fake.enqueue({ kind: 'malformed' });
    const error = await failure(provider().doSample(req()));
    expect(error).toMatchObject({ kind: 'malformed-response', isRetryable: true });
  });

  it.each([
    ['COMPLETION', 'gpt-3.5-turbo-instruct', 'empty'],
    ['CHAT', 'gpt-4o', 'empty'],
    ['COMPLETION', 'gpt-3.5-turbo-instruct', 'null-content'],
    ['CHAT', 'gpt-4o', 'null-content'],
  ] as const)('%s answer with %s choices becomes a retryable "empty choices" error', async (mode, model, kind) => {
    fake.enqueue({ kind });
    const error = await failure(provider().doSample(req({ mode, model })));
    expect(error).toMatchObject({ kind: 'empty-response', isRetryable: true });
    expect(error.message).toContain('empty choices');
  });

  it('an empty-string completion is a valid probe (the empty allele)', async () => {
    fake.enqueue({ kind: 'ok', texts: [''] });
    const result = await provider().doSample(req({ n: 1 }));
    expect(result.texts).toEqual(['']);
  });

  it('never puts the API key in an error message or in JSON.stringify(provider)', async () => {
    // OpenAI's real 401 body quotes the (partially masked) key; this fake quotes it whole.
    fake.enqueue({
      kind: 'status',
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error' } },
    });
    const p = provider();
    const error = await failure(p.doSample(req()));
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).not.toContain(KEY);
    expect(String(error.stack)).not.toContain(KEY);
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(JSON.stringify(p)).not.toContain(KEY);
    expect(Object.values(p).join(' ')).not.toContain(KEY);
  });

  it('without a key: configured is false and doSample fails without any request', async () => {
    const p = createOpenAIProvider({ baseURL: fake.baseURL });
    expect(p.configured).toBe(false);
    const error = await failure(p.doSample(req()));
    expect(error).toMatchObject({ kind: 'not-configured', isRetryable: false });
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(fake.requests).toHaveLength(0);
  });

  it('reads a key given as a function only when needed', async () => {
    const apiKey = jest.fn(() => KEY);
    const p = provider({ apiKey });
    expect(apiKey).not.toHaveBeenCalled();
    await p.doSample(req({ n: 1 }));
    expect(apiKey).toHaveBeenCalled();
    expect(fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('prices: config rows override and extend the defaults', () => {
    const p = provider({
      prices: { 'gpt-4o': { inputPerMTok: 1, outputPerMTok: 2 }, mine: { inputPerMTok: 0, outputPerMTok: 0 } },
    });
    expect(p.capabilities.prices['gpt-4o']).toEqual({ inputPerMTok: 1, outputPerMTok: 2 });
    expect(p.capabilities.prices.mine).toBeDefined();
    expect(p.capabilities.prices['gpt-4o-mini']).toBeDefined();
  });
});

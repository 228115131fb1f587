import { createAnthropicProvider, type AnthropicProviderOptions } from '../../plugins/anthropic';
import { ProviderError } from '../../src/providers/errors';
import { withRetry } from '../../src/providers/retry';
import type { SampleRequest } from '../../src/providers/provider';
import { startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic';
import { REFERENCE, defineProviderContractSuite } from './provider-contract';
import { rejectionOf } from '../helpers/rejection';

const KEY = 'sk-ant-api03-test-KEY-0123456789';
const GENE = 'def fibonacci(n):';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const provider = (over: AnthropicProviderOptions = {}) =>
  createAnthropicProvider({ apiKey: KEY, baseURL: fake.baseURL, timeoutMs: 2_000, ...over });

const req = (over: Partial<SampleRequest> = {}): SampleRequest => ({
  model: 'claude-3-haiku-20240307',
  mode: 'CHAT',
  prompt: GENE,
  n: 32,
  ...REFERENCE,
  ...over,
});

const failure = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);

defineProviderContractSuite('anthropic', () => ({
  provider: provider(),
  model: 'claude-3-haiku-20240307',
  mode: 'CHAT',
  secret: KEY,
}));

describe('createAnthropicProvider', () => {
  it('doSample() posts exactly { model, max_tokens, temperature, top_p, messages } and returns one sample', async () => {
    const result = await provider().doSample(req());
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].path).toBe('/v1/messages');
    expect(fake.requests[0].body).toEqual({
      model: 'claude-3-haiku-20240307',
      max_tokens: 5,
      temperature: 0.7,
      top_p: 1,
      messages: [{ role: 'user', content: GENE }],
    });
    expect(result.texts).toHaveLength(1);
    expect(result.texts[0]).toMatch(/^ sample \d+$/);
    expect(result.usage).toEqual({ promptTokens: 7, completionTokens: 5, requests: 1 });
  });

  it('pins anthropic-version 2023-06-01, the last version that accepts sampling parameters', async () => {
    await provider().doSample(req());
    expect(fake.requests[0].headers['anthropic-version']).toBe('2023-06-01');
    const sentKey = fake.requests[0].headers['x-api-key'] ?? fake.requests[0].headers.authorization;
    expect(String(sentKey)).toContain(KEY);
  });

  it("apiVersion '2026-10-21' sends no temperature/top_p and warns that probes are not reference probes", async () => {
    const result = await provider({ apiVersion: '2026-10-21' }).doSample(req());
    expect(fake.requests[0].headers['anthropic-version']).toBe('2026-10-21');
    expect(fake.requests[0].body).not.toHaveProperty('temperature');
    expect(fake.requests[0].body).not.toHaveProperty('top_p');
    expect(result.warnings.join(' ')).toContain('temperature and top_p not sent');
  });

  it("topP 'omit-when-1' drops top_p = 1 but keeps any other value", async () => {
    const p = provider({ topP: 'omit-when-1' });
    await p.doSample(req());
    await p.doSample(req({ topP: 0.9 }));
    expect(fake.requests[0].body).not.toHaveProperty('top_p');
    expect(fake.requests[1].body.top_p).toBe(0.9);
  });

  it('a seed is never sent; it becomes a warning', async () => {
    const result = await provider().doSample(req({ seed: 7 }));
    expect(fake.requests[0].body).not.toHaveProperty('seed');
    expect(result.warnings.join(' ')).toContain('seed');
  });

  it('withRetry(doSample) honours retry-after-ms on a 429', async () => {
    fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after-ms': '750' } });
    const sleep = jest.fn(async () => undefined);
    const p = provider();
    await withRetry(() => p.doSample(req()), { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100, sleep });
    expect(sleep).toHaveBeenCalledWith(750, undefined);
    expect(fake.requests).toHaveLength(2);
  });

  it.each([
    [500, true],
    [529, true],
    [429, true],
    [400, false],
    [401, false],
  ])('HTTP %i becomes ProviderError with isRetryable %s', async (status, retryable) => {
    fake.enqueue({ kind: 'status', status });
    const error = await failure(provider().doSample(req()));
    expect(error).toMatchObject({ providerId: 'anthropic', statusCode: status, isRetryable: retryable });
    expect(fake.requests).toHaveLength(1);
  });

  it('a hung connection times out as a retryable ProviderError', async () => {
    fake.enqueue({ kind: 'hang' });
    const error = await failure(provider({ timeoutMs: 200 }).doSample(req()));
    expect(error).toMatchObject({ kind: 'timeout', isRetryable: true });
  });

  it('malformed JSON and a message without content are retryable', async () => {
    fake.enqueue({ kind: 'malformed' }, { kind: 'null-content' });
    const first = await failure(provider().doSample(req()));
    const second = await failure(provider().doSample(req()));
    expect(first).toMatchObject({ kind: 'malformed-response', isRetryable: true });
    expect(second).toMatchObject({ kind: 'malformed-response', isRetryable: true });
  });

  it('an empty content array is a valid empty probe', async () => {
    fake.enqueue({ kind: 'empty' });
    const result = await provider().doSample(req());
    expect(result.texts).toEqual(['']);
  });

  it('never puts the API key in an error message or in JSON.stringify(provider)', async () => {
    fake.enqueue({
      kind: 'status',
      status: 401,
      body: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` } },
    });
    const p = provider();
    const error = await failure(p.doSample(req()));
    expect(error.message).toContain('invalid x-api-key');
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(p)).not.toContain(KEY);
  });

  it('without a key: configured is false and nothing is sent', async () => {
    const p = createAnthropicProvider({ baseURL: fake.baseURL });
    expect(p.configured).toBe(false);
    await expect(p.doSample(req())).rejects.toMatchObject({ kind: 'not-configured', isRetryable: false });
    expect(fake.requests).toHaveLength(0);
  });
});

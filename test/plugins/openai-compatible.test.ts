import { createOpenAICompatibleProvider, type OpenAICompatibleEndpoint } from '../../plugins/openai-compatible';
import type { SampleRequest } from '../../src/providers/provider';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import { REFERENCE, defineProviderContractSuite } from './provider-contract';

const KEY = 'sk-or-v1-compatible-KEY-987654321';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const endpoint = (over: Partial<OpenAICompatibleEndpoint> = {}) =>
  createOpenAICompatibleProvider({
    name: 'local',
    baseURL: fake.baseURL,
    models: ['llama-3-8b'],
    timeoutMs: 2_000,
    ...over,
  });

const req = (over: Partial<SampleRequest> = {}): SampleRequest => ({
  model: 'llama-3-8b',
  mode: 'COMPLETION',
  prompt: 'Once upon a time',
  n: 32,
  ...REFERENCE,
  ...over,
});

defineProviderContractSuite('openai-compatible (keyless)', () => ({
  provider: endpoint(),
  model: 'llama-3-8b',
  mode: 'COMPLETION',
}));
defineProviderContractSuite('openai-compatible (with key)', () => ({
  provider: endpoint({ apiKey: KEY }),
  model: 'llama-3-8b',
  mode: 'CHAT',
  secret: KEY,
}));

describe('createOpenAICompatibleProvider', () => {
  it("has id 'openai-compatible:<name>' and is configured without a key", () => {
    const p = endpoint();
    expect(p.id).toBe('openai-compatible:local');
    expect(p.configured).toBe(true);
    expect(p.capabilities.supportsSeed).toBe(false);
  });

  it('never sends a seed by default, and says so in warnings', async () => {
    const result = await endpoint().doSample(req({ seed: 1234 }));
    expect(fake.requests[0].body).toEqual({
      model: 'llama-3-8b',
      prompt: 'Once upon a time',
      temperature: 0.7,
      top_p: 1,
      max_tokens: 5,
      n: 32,
    });
    expect(result.warnings.join(' ')).toContain('seed not sent');
  });

  it('sends the seed when the endpoint is configured with sendSeed: true', async () => {
    const p = endpoint({ sendSeed: true });
    expect(p.capabilities.supportsSeed).toBe(true);
    const result = await p.doSample(req({ seed: 1234 }));
    expect(fake.requests[0].body.seed).toBe(1234);
    expect(result.warnings).toEqual([]);
  });

  it('sends no Authorization header without a key, and Bearer <key> with one', async () => {
    await endpoint().doSample(req({ n: 1 }));
    await endpoint({ apiKey: KEY }).doSample(req({ n: 1 }));
    expect(fake.requests[0].headers.authorization).toBeUndefined();
    expect(fake.requests[1].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('never forwards OPENAI_* credentials from the environment to the endpoint', async () => {
    const saved = { ...process.env };
    process.env.OPENAI_API_KEY = 'sk-env-should-not-leak-123456';
    process.env.OPENAI_ORG_ID = 'org-should-not-leak';
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:1/v1';
    try {
      await endpoint().doSample(req({ n: 1 }));
    } finally {
      process.env = saved;
    }
    expect(fake.requests).toHaveLength(1);
    expect(JSON.stringify(fake.requests[0].headers)).not.toContain('should-not-leak');
  });

  it('merges extraBody (e.g. vLLM ignore_eos) into every request', async () => {
    await endpoint({ extraBody: { ignore_eos: true } }).doSample(req());
    expect(fake.requests[0].body.ignore_eos).toBe(true);
    expect(fake.requests[0].body.n).toBe(32);
  });

  it('listModels() uses configured models (COMPLETION by default) or asks GET /models', async () => {
    expect(await endpoint().listModels()).toEqual([
      { id: 'llama-3-8b', family: null, parent: null, mode: 'COMPLETION' },
    ]);
    const remote = await endpoint({ models: undefined }).listModels();
    expect(remote.map((m) => m.id)).toEqual(['fake-model']);
    expect(fake.requests.at(-1)?.path).toBe('/v1/models');
  });

  it.each([
    [{ name: 'bad name' }, 'name must match'],
    [{ baseURL: 'ftp://x' }, 'baseURL'],
  ])('rejects invalid endpoint config %j', (over, fragment) => {
    expect(() => endpoint(over as Partial<OpenAICompatibleEndpoint>)).toThrow(fragment);
  });
});

/**
 * One contract suite that every provider plugin runs (house style "Tests"; the pattern of
 * drizzle's integration-tests/tests/sqlite/sqlite-common.ts). Each plugin's test file supplies a
 * context: the provider, a model it can sample and, for remote plugins, the key it was given.
 */
import { MODES, type Provider, type SampleRequest } from '../../src/providers/provider';
import { ProviderError, UnsupportedCapabilityError } from '../../src/providers/errors';

export interface ContractContext {
  provider: Provider;
  model: string;
  mode: SampleRequest['mode'];
  /** a key the provider holds, which must never leak */
  secret?: string;
}

/** method.md reference settings */
export const REFERENCE = { temperature: 0.7, topP: 1, maxTokens: 5 } as const;

export function defineProviderContractSuite(
  name: string,
  makeContext: () => Promise<ContractContext> | ContractContext,
): void {
  describe(`provider contract: ${name}`, () => {
    let ctx: ContractContext;
    const request = (over: Partial<SampleRequest> = {}): SampleRequest => ({
      model: ctx.model,
      mode: ctx.mode,
      prompt: 'The quick brown fox',
      n: 1,
      ...REFERENCE,
      ...over,
    });

    beforeAll(async () => {
      ctx = await makeContext();
    });

    it('declares specificationVersion v1, an id, a name and configured', () => {
      expect(ctx.provider.specificationVersion).toBe('v1');
      expect(typeof ctx.provider.id).toBe('string');
      expect(ctx.provider.id).not.toBe('');
      expect(typeof ctx.provider.name).toBe('string');
      expect(ctx.provider.configured).toBe(true);
    });

    it('declares capabilities as plain data with a default price', () => {
      const caps = ctx.provider.capabilities;
      expect(JSON.parse(JSON.stringify(caps))).toEqual(caps);
      expect(Number.isInteger(caps.maxSamplesPerRequest) && caps.maxSamplesPerRequest >= 1).toBe(true);
      expect(caps.modes.length).toBeGreaterThan(0);
      for (const m of caps.modes) expect(MODES).toContain(m);
      expect(caps.maxConcurrency).toBeGreaterThanOrEqual(1);
      expect(typeof caps.supportsSeed).toBe('boolean');
      expect(caps.prices['*'].inputPerMTok).toBeGreaterThanOrEqual(0);
      expect(caps.prices['*'].outputPerMTok).toBeGreaterThanOrEqual(0);
    });

    it('listModels() returns model infos with a known mode', async () => {
      const models = await ctx.provider.listModels();
      expect(models.length).toBeGreaterThan(0);
      for (const m of models) {
        expect(typeof m.id).toBe('string');
        expect(MODES).toContain(m.mode);
        expect(m.family === null || typeof m.family === 'string').toBe(true);
        expect(m.parent === null || typeof m.parent === 'string').toBe(true);
      }
    });

    it('doSample({ n: 1 }) returns one text, usage for one request and a warnings list', async () => {
      const result = await ctx.provider.doSample(request());
      expect(result.texts).toHaveLength(1);
      expect(typeof result.texts[0]).toBe('string');
      expect(result.usage.requests).toBe(1);
      expect(result.usage.promptTokens).toBeGreaterThanOrEqual(0);
      expect(result.usage.completionTokens).toBeGreaterThanOrEqual(0);
      expect(Array.isArray(result.warnings)).toBe(true);
    });

    it('doSample({ n: 32 }) returns between 1 and min(n, maxSamplesPerRequest) texts', async () => {
      const result = await ctx.provider.doSample(request({ n: 32 }));
      const cap = Math.min(32, ctx.provider.capabilities.maxSamplesPerRequest);
      expect(result.texts.length).toBeGreaterThanOrEqual(1);
      expect(result.texts.length).toBeLessThanOrEqual(cap);
    });

    it.each<[string, Partial<SampleRequest>, string]>([
      ['n = 0', { n: 0 }, 'n must be'],
      ['n = 1.5', { n: 1.5 }, 'n must be'],
      ['maxTokens = 0', { maxTokens: 0 }, 'maxTokens'],
      ['temperature < 0', { temperature: -0.1 }, 'temperature'],
      ['topP = 0', { topP: 0 }, 'topP'],
      ['unknown mode', { mode: 'EMBED' as never }, 'unknown mode'],
      ['empty model', { model: '' }, 'model'],
    ])('doSample() rejects %s before any request', async (_label, over, fragment) => {
      await expect(ctx.provider.doSample(request(over))).rejects.toThrow(fragment);
    });

    it('doSample() throws UnsupportedCapabilityError for a mode it lacks', async () => {
      const missing = MODES.find((m) => !ctx.provider.capabilities.modes.includes(m));
      if (!missing) return; // supports every mode: nothing to check
      const error = await ctx.provider.doSample(request({ mode: missing })).catch((e: unknown) => e);
      expect(UnsupportedCapabilityError.isInstance(error)).toBe(true);
    });

    it('doSample() with an aborted signal rejects with a non-retryable ProviderError', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await ctx.provider.doSample(request({ signal: controller.signal })).catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect((error as ProviderError).kind).toBe('aborted');
      expect((error as ProviderError).isRetryable).toBe(false);
    });

    it('JSON.stringify(provider) works and exposes no key', () => {
      const json = JSON.stringify(ctx.provider);
      expect(json).toContain(ctx.provider.id);
      if (ctx.secret) expect(json).not.toContain(ctx.secret);
    });
  });
}

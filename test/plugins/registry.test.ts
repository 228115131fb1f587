import * as path from 'node:path';
import { builtinProviders, providerConfigFromEnv, providersFromConfig } from '../../plugins';
import { createProviderRegistry } from '../../src/providers/registry';
import { NoSuchProviderError } from '../../src/providers/errors';
import { createProvider as createEchoProvider } from './fixtures/echo-provider-module';
import { builtinRegistry } from '../helpers/registry';
import { defineProviderContractSuite } from './provider-contract';

const ECHO_MODULE = path.join(__dirname, 'fixtures', 'echo-provider-module.ts');

defineProviderContractSuite('module loaded by the registry', () => ({
  provider: builtinRegistry({ modules: [ECHO_MODULE] }).get('echo'),
  model: 'echo',
  mode: 'COMPLETION',
}));

describe('createProviderRegistry', () => {
  it('createProviderRegistry(providers) holds exactly the instances it is given, in order', () => {
    const echo = createEchoProvider();
    const other = createEchoProvider({ id: 'echo-2' });
    const registry = createProviderRegistry([echo, other]);
    expect(registry.list()).toEqual([echo, other]);
    expect(registry.get('echo-2')).toBe(other);
    expect(createProviderRegistry([]).list()).toEqual([]);
    expect(() => createProviderRegistry([]).get('simulated')).toThrow('available: none');
  });

  it('createProviderRegistry() rejects duplicate ids and objects that are not v1 providers', () => {
    expect(() => createProviderRegistry([createEchoProvider(), createEchoProvider()])).toThrow(
      'duplicate provider id: echo',
    );
    const v0 = { ...createEchoProvider(), specificationVersion: 'v0' } as unknown as ReturnType<
      typeof createEchoProvider
    >;
    expect(() => createProviderRegistry([v0])).toThrow("specificationVersion 'v1'");
  });
});

describe('builtinProviders / providersFromConfig (plugins/index.ts)', () => {
  it('builtinProviders({}) lists openai, anthropic and simulated; only simulated is configured', () => {
    expect(builtinProviders({}).map((p) => p.id)).toEqual(['openai', 'anthropic', 'simulated']);
    const registry = builtinRegistry({});
    expect(registry.list().map((p) => p.id)).toEqual(['openai', 'anthropic', 'simulated']);
    expect(registry.list().map((p) => p.configured)).toEqual([false, false, true]);
  });

  it('get(id) of an unknown id throws NoSuchProviderError listing the available ids', () => {
    const registry = builtinRegistry({});
    expect(() => registry.get('gemini')).toThrow(NoSuchProviderError);
    expect(() => registry.get('gemini')).toThrow('available: openai, anthropic, simulated');
    let error: unknown;
    try {
      registry.get('gemini');
    } catch (e) {
      error = e;
    }
    expect(NoSuchProviderError.isInstance(error)).toBe(true);
    expect((error as NoSuchProviderError).availableProviders).toEqual(['openai', 'anthropic', 'simulated']);
  });

  it('adds one openai-compatible:<name> provider per endpoint', () => {
    const registry = builtinRegistry({
      openaiCompatible: {
        endpoints: [
          { name: 'vllm', baseURL: 'http://127.0.0.1:8000/v1' },
          { name: 'ollama', baseURL: 'http://127.0.0.1:11434/v1' },
        ],
      },
    });
    expect(registry.has('openai-compatible:vllm')).toBe(true);
    expect(registry.get('openai-compatible:ollama').configured).toBe(true);
  });

  it('loads modules by name or { module, options } and rejects duplicates', () => {
    const registry = builtinRegistry({
      modules: [ECHO_MODULE, { module: ECHO_MODULE, options: { id: 'echo-2' } }],
    });
    expect(registry.get('echo').name).toBe('Echo');
    expect(registry.get('echo-2').id).toBe('echo-2');
    expect(() => builtinRegistry({ modules: [ECHO_MODULE, ECHO_MODULE] })).toThrow('duplicate provider id: echo');
  });

  it.each<[string, unknown, string]>([
    ['no createProvider export', {}, 'must export createProvider'],
    [
      'a wrong specificationVersion',
      { createProvider: () => ({ specificationVersion: 'v0', id: 'x', doSample: () => 0 }) },
      "specificationVersion 'v1'",
    ],
    ['no id', { createProvider: () => ({ specificationVersion: 'v1', id: '', doSample: () => 0 }) }, 'non-empty id'],
  ])('rejects a module with %s', (_label, exported, fragment) => {
    expect(() => providersFromConfig({ modules: ['fake-module'] }, () => exported)).toThrow(fragment);
  });
});

describe('providerConfigFromEnv', () => {
  const KEY = 'sk-proj-env-KEY-abcdef0123456';

  it('providerConfigFromEnv({}) leaves openai and anthropic unconfigured', () => {
    const registry = builtinRegistry(providerConfigFromEnv({}));
    expect(registry.get('openai').configured).toBe(false);
    expect(registry.get('anthropic').configured).toBe(false);
  });

  it('reads keys lazily: a key set after start-up configures the provider', () => {
    const env: NodeJS.ProcessEnv = {};
    const registry = builtinRegistry(providerConfigFromEnv(env));
    expect(registry.get('openai').configured).toBe(false);
    env.OPENAI_API_KEY = KEY;
    env.ANTHROPIC_API_KEY = KEY;
    expect(registry.get('openai').configured).toBe(true);
    expect(registry.get('anthropic').configured).toBe(true);
  });

  it('never exposes keys through the registry or its providers', () => {
    const env = {
      OPENAI_API_KEY: KEY,
      ANTHROPIC_API_KEY: KEY,
      OR_KEY: KEY,
      PHYLOLM_OPENAI_COMPATIBLE: JSON.stringify([
        { name: 'or', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OR_KEY' },
      ]),
    };
    const registry = builtinRegistry(providerConfigFromEnv(env));
    expect(JSON.stringify(registry.list())).not.toContain(KEY);
    expect(JSON.stringify(registry)).not.toContain(KEY);
  });

  it('parses PHYLOLM_OPENAI_COMPATIBLE endpoints, with keys inline or named by apiKeyEnv', () => {
    const config = providerConfigFromEnv({
      MY_KEY: KEY,
      PHYLOLM_OPENAI_COMPATIBLE: JSON.stringify([
        { name: 'local', baseURL: 'http://127.0.0.1:8080/v1', sendSeed: true, models: ['tinyllama'] },
        { name: 'router', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'MY_KEY' },
      ]),
    });
    const [local, router] = config.openaiCompatible!.endpoints;
    expect(local).toMatchObject({ name: 'local', sendSeed: true, models: ['tinyllama'] });
    expect(typeof router.apiKey).toBe('function');
    expect((router.apiKey as () => string)()).toBe(KEY);
  });

  it('rejects invalid PHYLOLM_OPENAI_COMPATIBLE without quoting it (it may hold keys)', () => {
    const bad = `[{"name": "x", "apiKey": "${KEY}"`;
    expect(() => providerConfigFromEnv({ PHYLOLM_OPENAI_COMPATIBLE: bad })).toThrow('must be a JSON list');
    try {
      providerConfigFromEnv({ PHYLOLM_OPENAI_COMPATIBLE: bad });
    } catch (e) {
      expect((e as Error).message).not.toContain(KEY);
    }
    expect(() => providerConfigFromEnv({ PHYLOLM_OPENAI_COMPATIBLE: '[{"name": "x"}]' })).toThrow(
      'needs a string name and baseURL',
    );
  });

  it('passes OPENAI_BASE_URL / ANTHROPIC_BASE_URL and PHYLOLM_PROVIDER_MODULES through', () => {
    const config = providerConfigFromEnv({
      OPENAI_BASE_URL: 'http://x/v1',
      ANTHROPIC_BASE_URL: 'http://y',
      PHYLOLM_PROVIDER_MODULES: ' a , b ',
    });
    expect(config.openai?.baseURL).toBe('http://x/v1');
    expect(config.anthropic?.baseURL).toBe('http://y');
    expect(config.modules).toEqual(['a', 'b']);
  });
});

describe('PHYLOLM_PRICES', () => {
  it('overrides a plugin price table, so estimates and stored costs use the configured price', () => {
    const registry = builtinRegistry(
      providerConfigFromEnv({
        OPENAI_API_KEY: 'sk-prices-0000000',
        PHYLOLM_PRICES: JSON.stringify({ openai: { 'my-fine-tune': { inputPerMTok: 2, outputPerMTok: 8 } } }),
      }),
    );
    expect(registry.get('openai').capabilities.prices['my-fine-tune']).toEqual({ inputPerMTok: 2, outputPerMTok: 8 });
  });

  it.each([
    ['not json', 'must be'],
    ['[1]', 'must be'],
    ['{"openai": {"m": {"inputPerMTok": -1, "outputPerMTok": 1}}}', 'not two non-negative numbers'],
    ['{"openai": 3}', 'is not an object'],
  ])('PHYLOLM_PRICES=%s is refused (%s)', (value, fragment) => {
    expect(() => providerConfigFromEnv({ PHYLOLM_PRICES: value })).toThrow(fragment);
  });
});

/**
 * The provider registry: built-in plugins plus npm modules named in config, keyed by provider id
 * (the shape of the Vercel AI SDK's `createProviderRegistry`, whose errors list the valid ids).
 *
 * Built-ins are always listed so the API can show what could be configured: `openai` and
 * `anthropic` (configured when they have a key), one `openai-compatible:<name>` per endpoint,
 * and `simulated`. A module named in `modules` must export `createProvider(options)` returning a
 * v1 Provider (or an array of them); it is loaded with `require`, so it may be a package name
 * or an absolute path.
 */
import type { ModelPrice, Provider } from './provider';
import { SPECIFICATION_VERSION } from './provider';
import { NoSuchProviderError } from './errors';
import { createOpenAIProvider, type OpenAIProviderOptions } from '../../plugins/openai';
import { createAnthropicProvider, type AnthropicProviderOptions } from '../../plugins/anthropic';
import { createOpenAICompatibleProvider, type OpenAICompatibleEndpoint } from '../../plugins/openai-compatible';
import { createSimulatedProvider, type SimulatedProviderOptions } from '../../plugins/simulated';

export interface ProviderModuleConfig {
  module: string;
  options?: unknown;
}

export interface ProviderRegistryConfig {
  openai?: OpenAIProviderOptions;
  anthropic?: AnthropicProviderOptions;
  openaiCompatible?: { endpoints: OpenAICompatibleEndpoint[] };
  simulated?: SimulatedProviderOptions;
  /** npm modules (or paths) exporting `createProvider(options)` */
  modules?: Array<string | ProviderModuleConfig>;
}

export interface ProviderRegistry {
  /** throws NoSuchProviderError listing the available ids */
  get(id: string): Provider;
  has(id: string): boolean;
  list(): Provider[];
}

export interface RegistryDependencies {
  /** module loader; defaults to Node's require */
  requireModule?: (name: string) => unknown;
}

export function createProviderRegistry(
  config: ProviderRegistryConfig = {},
  deps: RegistryDependencies = {},
): ProviderRegistry {
  const providers = new Map<string, Provider>();
  const add = (provider: Provider, source: string): void => {
    assertProvider(provider, source);
    if (providers.has(provider.id)) throw new TypeError(`duplicate provider id: ${provider.id} (from ${source})`);
    providers.set(provider.id, provider);
  };
  add(createOpenAIProvider(config.openai), 'built-in openai');
  add(createAnthropicProvider(config.anthropic), 'built-in anthropic');
  for (const endpoint of config.openaiCompatible?.endpoints ?? []) {
    add(createOpenAICompatibleProvider(endpoint), 'openaiCompatible.endpoints');
  }
  add(createSimulatedProvider(config.simulated), 'built-in simulated');
  const requireModule = deps.requireModule ?? require;
  for (const entry of config.modules ?? []) {
    const { module, options } = typeof entry === 'string' ? { module: entry, options: undefined } : entry;
    for (const provider of loadModule(requireModule, module, options)) add(provider, `module ${module}`);
  }
  return {
    get(id) {
      const provider = providers.get(id);
      if (!provider) throw new NoSuchProviderError(id, [...providers.keys()]);
      return provider;
    },
    has: (id) => providers.has(id),
    list: () => [...providers.values()],
  };
}

function loadModule(requireModule: (name: string) => unknown, module: string, options: unknown): Provider[] {
  const exported = requireModule(module) as { createProvider?: unknown; default?: { createProvider?: unknown } };
  const factory = exported?.createProvider ?? exported?.default?.createProvider;
  if (typeof factory !== 'function') {
    throw new TypeError(`provider module ${module} must export createProvider(options)`);
  }
  const made = (factory as (options: unknown) => Provider | Provider[])(options);
  return Array.isArray(made) ? made : [made];
}

function assertProvider(provider: Provider, source: string): void {
  if (!provider || provider.specificationVersion !== SPECIFICATION_VERSION) {
    throw new TypeError(
      `provider from ${source} must implement specificationVersion '${SPECIFICATION_VERSION}' (got ${String(provider?.specificationVersion)})`,
    );
  }
  if (typeof provider.id !== 'string' || provider.id === '' || typeof provider.doSample !== 'function') {
    throw new TypeError(`provider from ${source} must have a non-empty id and a doSample method`);
  }
}

/**
 * Reads provider settings from the environment (contract.md "Running it"). Keys are read
 * lazily: the returned config holds functions that look the key up when a request is made, so
 * a key set or rotated after start-up is used and no key is copied into long-lived objects.
 *
 * PHYLOLM_OPENAI_COMPATIBLE is a JSON list of endpoints `{ name, baseURL, apiKey?, apiKeyEnv?,
 * sendSeed?, models? }`; `apiKeyEnv` names another variable holding the key, so keys need not
 * sit in the JSON. PHYLOLM_PROVIDER_MODULES is a comma-separated list of provider modules.
 */
export function providerConfigFromEnv(env: NodeJS.ProcessEnv): ProviderRegistryConfig {
  const lazy = (name: string) => (): string | undefined => env[name] || undefined;
  const prices = parsePrices(env.PHYLOLM_PRICES);
  return {
    openai: { apiKey: lazy('OPENAI_API_KEY'), baseURL: env.OPENAI_BASE_URL || undefined, prices: prices.openai },
    anthropic: {
      apiKey: lazy('ANTHROPIC_API_KEY'),
      baseURL: env.ANTHROPIC_BASE_URL || undefined,
      prices: prices.anthropic,
    },
    openaiCompatible: {
      endpoints: parseEndpoints(env.PHYLOLM_OPENAI_COMPATIBLE, lazy).map((endpoint) => ({
        ...endpoint,
        prices: { ...endpoint.prices, ...prices[`openai-compatible:${endpoint.name}`] },
      })),
    },
    modules: (env.PHYLOLM_PROVIDER_MODULES ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean),
  };
}

/**
 * PHYLOLM_PRICES overrides the plugins' price tables, for cost estimates and stored costs:
 * `{"openai": {"gpt-4o-mini": {"inputPerMTok": 0.15, "outputPerMTok": 0.6}}, "openai-compatible:vllm": {"*": ...}}`
 * (USD per million tokens; "*" is a provider's default).
 */
export function parsePrices(json: string | undefined): Record<string, Record<string, ModelPrice>> {
  if (!json || json.trim() === '') return {};
  const problem = 'PHYLOLM_PRICES must be {"<provider id>": {"<model or *>": {"inputPerMTok": n, "outputPerMTok": n}}}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new TypeError(problem);
  }
  if (!isRecord(parsed)) throw new TypeError(problem);
  for (const [provider, table] of Object.entries(parsed)) {
    if (!isRecord(table)) throw new TypeError(`${problem}; "${provider}" is not an object`);
    for (const [model, price] of Object.entries(table)) {
      const ok =
        isRecord(price) &&
        [price.inputPerMTok, price.outputPerMTok].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
      if (!ok)
        throw new TypeError(`${problem}; the price of "${provider}" / "${model}" is not two non-negative numbers`);
    }
  }
  return parsed as Record<string, Record<string, ModelPrice>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseEndpoints(
  json: string | undefined,
  lazy: (name: string) => () => string | undefined,
): OpenAICompatibleEndpoint[] {
  if (!json || json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // The value may hold keys, so the message must not quote it.
    throw new TypeError('PHYLOLM_OPENAI_COMPATIBLE must be a JSON list of endpoints');
  }
  if (!Array.isArray(parsed)) throw new TypeError('PHYLOLM_OPENAI_COMPATIBLE must be a JSON list of endpoints');
  return parsed.map((raw, i) => {
    const e = raw as Partial<OpenAICompatibleEndpoint> & { apiKeyEnv?: string };
    if (typeof e?.name !== 'string' || typeof e.baseURL !== 'string') {
      throw new TypeError(`PHYLOLM_OPENAI_COMPATIBLE[${i}] needs a string name and baseURL`);
    }
    const { apiKeyEnv, ...endpoint } = e;
    return { ...endpoint, apiKey: apiKeyEnv ? lazy(apiKeyEnv) : endpoint.apiKey } as OpenAICompatibleEndpoint;
  });
}

/**
 * The built-in providers and how they are configured: the one place that knows every plugin.
 * `src/config.ts` reads their settings from the environment with `providerConfigFromEnv`, and
 * `src/app.ts` hands `providersFromConfig(...)` to `createProviderRegistry` (src/providers), which
 * knows no plugin. Adding a provider means a folder in `plugins/` and a line here.
 *
 * Built-ins are always listed so the API can show what could be configured: `openai` and
 * `anthropic` (configured when they have a key), one `openai-compatible:<name>` per endpoint,
 * and `simulated`. Modules named in `modules` (PHYLOLM_PROVIDER_MODULES) come after them.
 */
import type { ModelPrice, Provider } from '../src/providers/provider';
import { loadProviderModules, type ProviderModuleConfig } from '../src/providers/modules';
import { createOpenAIProvider, type OpenAIProviderOptions } from './openai';
import { createAnthropicProvider, type AnthropicProviderOptions } from './anthropic';
import { createOpenAICompatibleProvider, type OpenAICompatibleEndpoint } from './openai-compatible';
import { createSimulatedProvider, type SimulatedProviderOptions } from './simulated';

export type { ProviderModuleConfig } from '../src/providers/modules';

export interface ProvidersConfig {
  openai?: OpenAIProviderOptions;
  anthropic?: AnthropicProviderOptions;
  openaiCompatible?: { endpoints: OpenAICompatibleEndpoint[] };
  simulated?: SimulatedProviderOptions;
  /** npm modules (or paths) exporting `createProvider(options)` */
  modules?: Array<string | ProviderModuleConfig>;
}

/** The built-in providers for `config`: openai, anthropic, one per openai-compatible endpoint, simulated. */
export function builtinProviders(config: ProvidersConfig = {}): Provider[] {
  return [
    createOpenAIProvider(config.openai),
    createAnthropicProvider(config.anthropic),
    ...(config.openaiCompatible?.endpoints ?? []).map(createOpenAICompatibleProvider),
    createSimulatedProvider(config.simulated),
  ];
}

/** The built-ins followed by the providers of the configured modules. */
export function providersFromConfig(
  config: ProvidersConfig = {},
  requireModule?: (name: string) => unknown,
): Provider[] {
  return [...builtinProviders(config), ...loadProviderModules(config.modules ?? [], requireModule)];
}

/**
 * Reads provider settings from the environment (docs/contract.md, "Running it"). Keys are read
 * lazily: the returned config holds functions that look the key up when a request is made, so
 * a key set or rotated after start-up is used and no key is copied into long-lived objects.
 *
 * PHYLOLM_OPENAI_COMPATIBLE is a JSON list of endpoints `{ name, baseURL, apiKey?, apiKeyEnv?,
 * sendSeed?, models? }`; `apiKeyEnv` names another variable holding the key, so keys need not
 * sit in the JSON. PHYLOLM_PROVIDER_MODULES is a comma-separated list of provider modules.
 */
export function providerConfigFromEnv(env: NodeJS.ProcessEnv): ProvidersConfig {
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

/**
 * OpenAI provider plugin (`id: 'openai'`): COMPLETION through /v1/completions, CHAT through
 * /v1/chat/completions, up to 128 samples per request via `n` (so one request per gene at the
 * reference N = 32). See openai-style.ts for the exact request bodies. `startProbing(batch: true)`
 * goes through the Batch API at half price (openai-batch.ts).
 */
import type {
  ModelPrice,
  Provider,
  ProviderCapabilities,
  ProviderModelInfo,
  SecretSource,
} from '../../src/providers/provider';
import { createOpenAIStyleProvider } from './openai-style';
import { OPENAI_CAPABILITIES, OPENAI_MODELS } from './catalog';

export interface OpenAIProviderOptions {
  /** a key, or a function read at request time (e.g. `() => process.env.OPENAI_API_KEY`) */
  apiKey?: SecretSource;
  /** default https://api.openai.com/v1 */
  baseURL?: string;
  fetch?: typeof globalThis.fetch;
  /** per-request timeout, default 60 s */
  timeoutMs?: number;
  /** merged over the default price table */
  prices?: Record<string, ModelPrice>;
  capabilities?: Partial<Omit<ProviderCapabilities, 'prices'>>;
  models?: ProviderModelInfo[];
  /** default 'max_tokens' (the reference); see openai-style.ts */
  chatMaxTokensParam?: 'max_tokens' | 'max_completion_tokens';
}

export function createOpenAIProvider(options: OpenAIProviderOptions = {}): Provider {
  const {
    apiKey,
    baseURL = 'https://api.openai.com/v1',
    fetch,
    timeoutMs = 60_000,
    prices,
    capabilities,
    models = OPENAI_MODELS,
    chatMaxTokensParam = 'max_tokens',
  } = options;
  return createOpenAIStyleProvider({
    id: 'openai',
    name: 'OpenAI',
    apiKey,
    requireKey: true,
    configureHint: 'set OPENAI_API_KEY',
    baseURL,
    fetch,
    timeoutMs,
    capabilities: { ...OPENAI_CAPABILITIES, ...capabilities, prices: { ...OPENAI_CAPABILITIES.prices, ...prices } },
    models,
    remoteModelMode: 'CHAT',
    sendSeed: true,
    seedDroppedReason: '',
    chatMaxTokensParam,
    batch: true,
  });
}

export { OPENAI_CAPABILITIES, OPENAI_MODELS, OPENAI_PRICES } from './catalog';

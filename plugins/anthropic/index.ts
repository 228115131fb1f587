/**
 * Anthropic provider plugin (`id: 'anthropic'`) through the official @anthropic-ai/sdk:
 * POST /v1/messages { model, max_tokens, temperature, top_p, messages: [{ role: 'user', content: gene }] },
 * one sample per request, no system prompt, no stop sequences (method.md reference settings).
 *
 * Sampling parameters and the API version. @anthropic-ai/sdk 1.x sends
 * `anthropic-version: 2026-10-21` by default, and that API version rejects temperature, top_p and
 * top_k with a 400 on every model, even at default values (the SDK 1.0 types no longer have these
 * fields; see https://docs.anthropic.com/en/api/versioning and the 2026-10-21 migration notes).
 * The reference probes at temperature 0.7, so this plugin pins `apiVersion: '2023-06-01'` by
 * default and sends temperature and top_p as the reference did. With `apiVersion: '2026-10-21'`
 * it sends neither and reports a warning on every result: those probes are taken at the API's
 * default sampling and are NOT reference probes.
 * Under 2023-06-01 some newer Claude models reject temperature and top_p together (400, not
 * retryable); at the reference top_p = 1 leaving top_p out samples identically (a nucleus of 1
 * keeps the whole distribution), so `topP: 'omit-when-1'` serves those models without changing
 * the method.
 *
 * `startProbing(batch: true)` goes through Message Batches at half price (batch.ts).
 *
 * An empty `content` array is a valid, empty probe (the empty allele); a response without a
 * `content` array is malformed (retryable).
 */
import Anthropic from '@anthropic-ai/sdk';
import {
  readSecret,
  type ModelPrice,
  type Provider,
  type ProviderCapabilities,
  type ProviderModelInfo,
  type SampleRequest,
  type SampleResult,
  type SecretSource,
} from '../../src/providers/provider';
import { ProviderError, toProviderError } from '../../src/providers/errors';
import { checkSampleRequest, keyedClient } from '../../src/providers/plugin-support';
import { deadline } from '../../src/providers/timeout';
import { ANTHROPIC_CAPABILITIES, ANTHROPIC_MODELS } from './catalog';
import { createAnthropicBatchApi } from './batch';

export interface AnthropicProviderOptions {
  apiKey?: SecretSource;
  /** default https://api.anthropic.com (the SDK appends /v1/messages) */
  baseURL?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  prices?: Record<string, ModelPrice>;
  capabilities?: Partial<Omit<ProviderCapabilities, 'prices' | 'maxSamplesPerRequest' | 'modes'>>;
  models?: ProviderModelInfo[];
  /** 'always' (reference) or 'omit-when-1' for models that refuse temperature with top_p */
  topP?: 'always' | 'omit-when-1';
  /** `anthropic-version` header; default '2023-06-01', the last version that accepts sampling parameters */
  apiVersion?: string;
}

/** API versions from which the Messages API rejects temperature / top_p / top_k. */
const NO_SAMPLING_PARAMS_SINCE = '2026-10-21';

interface RawMessage {
  content?: Array<{ type: string; text?: string }>;
  usage?: { input_tokens?: number; output_tokens?: number } | null;
}

const ID = 'anthropic';

export function createAnthropicProvider(options: AnthropicProviderOptions = {}): Provider {
  const {
    baseURL = 'https://api.anthropic.com',
    timeoutMs = 60_000,
    models = ANTHROPIC_MODELS,
    topP = 'always',
    apiVersion = '2023-06-01',
  } = options;
  // API versions are ISO dates, so string order is date order.
  const samplingParams = apiVersion < NO_SAMPLING_PARAMS_SINCE;
  const capabilities: ProviderCapabilities = {
    ...ANTHROPIC_CAPABILITIES,
    ...options.capabilities,
    prices: { ...ANTHROPIC_CAPABILITIES.prices, ...options.prices },
  };
  // An explicit key and baseURL keep the SDK off its environment/credential-file chain.
  const clientFor = keyedClient(
    (key: string) =>
      new Anthropic({
        apiKey: key,
        baseURL,
        maxRetries: 0,
        timeout: timeoutMs,
        fetch: options.fetch,
        // defaultHeaders are applied after the SDK's own, so this replaces its 2026-10-21.
        defaultHeaders: { 'anthropic-version': apiVersion },
      }),
  );

  function getClient(): { client: Anthropic; key: string } {
    const key = readSecret(options.apiKey);
    if (key === undefined) {
      throw new ProviderError({
        providerId: ID,
        kind: 'not-configured',
        isRetryable: false,
        message: `${ID} is not configured: set ANTHROPIC_API_KEY`,
      });
    }
    return { client: clientFor(key), key };
  }

  async function doSample(request: SampleRequest): Promise<SampleResult> {
    checkSampleRequest(ID, capabilities, request);
    const { client: c, key } = getClient();
    const warnings: string[] = [];
    const body = bodyOf(request, warnings);
    let raw: RawMessage;
    // Our deadline decides timeout vs abort (see src/providers/timeout.ts); the SDK's is a backstop.
    const limit = deadline(timeoutMs, request.signal);
    try {
      raw = (await c.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming, {
        signal: limit.signal,
        timeout: timeoutMs + 1_000,
      })) as unknown as RawMessage;
    } catch (error) {
      throw toProviderError(error, { providerId: ID, secrets: [key], cause: limit.reason() });
    }
    return { texts: [textOf(raw)], usage: usageOf(raw, warnings), warnings };
  }

  /** The Messages API body for one sample (see the header comment for the sampling parameters). */
  function bodyOf(request: Omit<SampleRequest, 'signal'>, warnings: string[]): Record<string, unknown> {
    if (request.seed !== undefined) warnings.push('seed not sent: the Anthropic API has no seed parameter');
    // Typed loosely: the SDK 1.x params type has no temperature/top_p (see the header comment).
    const body: Record<string, unknown> = {
      model: request.model,
      max_tokens: request.maxTokens,
      messages: [{ role: 'user', content: request.prompt }],
    };
    if (samplingParams) {
      body.temperature = request.temperature;
      if (!(topP === 'omit-when-1' && request.topP === 1)) body.top_p = request.topP;
    } else {
      warnings.push(`temperature and top_p not sent: anthropic-version ${apiVersion} rejects sampling parameters`);
    }
    return body;
  }

  return {
    specificationVersion: 'v1',
    id: ID,
    name: 'Anthropic',
    get configured() {
      return readSecret(options.apiKey) !== undefined;
    },
    capabilities,
    listModels: async () => models.map((m) => ({ ...m })),
    doSample,
    batch: createAnthropicBatchApi({
      providerId: ID,
      capabilities,
      timeoutMs,
      getClient,
      bodyOf,
      answerOf: (raw, warnings) => ({
        texts: [textOf(raw as RawMessage)],
        usage: usageOf(raw as RawMessage, warnings),
        warnings,
      }),
    }),
  };
}

function textOf(raw: RawMessage): string {
  if (!raw || typeof raw !== 'object' || !Array.isArray(raw.content)) {
    throw new ProviderError({
      providerId: ID,
      kind: 'malformed-response',
      message: `${ID}: malformed response: no content array`,
    });
  }
  return raw.content
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text)
    .join('');
}

function usageOf(raw: RawMessage, warnings: string[]): SampleResult['usage'] {
  if (!raw.usage) warnings.push('response carried no usage; token counts recorded as 0');
  return { promptTokens: raw.usage?.input_tokens ?? 0, completionTokens: raw.usage?.output_tokens ?? 0, requests: 1 };
}

export { ANTHROPIC_CAPABILITIES, ANTHROPIC_MODELS, ANTHROPIC_PRICES } from './catalog';

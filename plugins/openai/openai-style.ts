/**
 * The sampling core shared by the `openai` and `openai-compatible` plugins: both speak the
 * OpenAI HTTP API through the official `openai` SDK (v6). One `doSample` is one HTTP request:
 * the SDK's own retries are off (`maxRetries: 0`) and every request has a `timeout`, so the
 * caller's `withRetry` sees every failure and owns the retry budget.
 *
 * Request shape (method.md, "Probing (reference settings)"):
 * - COMPLETION: POST /completions { model, prompt: gene, temperature, top_p, max_tokens, n }
 * - CHAT: POST /chat/completions { model, messages: [{ role: 'user', content: gene }], temperature,
 *   top_p, max_tokens, n }. No system prompt, no stop sequence.
 *   `max_tokens` is what the reference sent. OpenAI has deprecated it for chat in favour of
 *   `max_completion_tokens`, and its reasoning models (o1, o3, ...) reject `max_tokens`
 *   (https://platform.openai.com/docs/api-reference/chat/create#chat-create-max_tokens); those
 *   models also reject temperature/top_p, so they cannot be probed with reference settings
 *   anyway. `chatMaxTokensParam: 'max_completion_tokens'` switches the name per provider.
 * - `seed` is sent only when the request has one AND `sendSeed` is true.
 */
import OpenAI from 'openai';
import {
  readSecret,
  type Mode,
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
import { createOpenAIBatchApi } from './openai-batch';

export interface OpenAIStyleOptions {
  id: string;
  name: string;
  apiKey?: SecretSource;
  /** false for local servers that need no key (they are configured by their baseURL alone) */
  requireKey: boolean;
  /** how to tell the user to configure the provider, e.g. "set OPENAI_API_KEY" */
  configureHint: string;
  baseURL: string;
  fetch?: typeof globalThis.fetch;
  /** per-request timeout (ms) */
  timeoutMs: number;
  capabilities: ProviderCapabilities;
  /** a fixed catalogue, or 'remote' to ask GET /models */
  models: ProviderModelInfo[] | 'remote';
  /** mode reported for models discovered through GET /models */
  remoteModelMode: Mode;
  sendSeed: boolean;
  /** why a seed was dropped, for the warning */
  seedDroppedReason: string;
  chatMaxTokensParam: 'max_tokens' | 'max_completion_tokens';
  /** extra JSON fields merged into every request body (e.g. vLLM's `ignore_eos`) */
  extraBody?: Record<string, unknown>;
  /** offer OpenAI's Batch API (openai-batch.ts); only endpoints known to have /v1/batches */
  batch?: boolean;
}

interface RawChoice {
  index?: number;
  text?: string | null;
  message?: { content?: string | null } | null;
}

export interface RawResponse {
  choices?: RawChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

export function createOpenAIStyleProvider(options: OpenAIStyleOptions): Provider {
  const { id, capabilities } = options;
  // The client (which holds the key) lives only in this closure, never on the provider object.
  const clientFor = keyedClient(
    (key: string | undefined) =>
      new OpenAI({
        // The SDK refuses to start without a key; a keyless local server gets a stand-in value and
        // the Authorization header is removed below (a null header is "explicitly omitted").
        apiKey: key ?? 'no-key',
        defaultHeaders: key === undefined ? { Authorization: null } : undefined,
        // Explicit values so the SDK never falls back to OPENAI_* environment variables, which
        // would leak OpenAI credentials or org ids to third-party endpoints.
        baseURL: options.baseURL,
        organization: null,
        project: null,
        adminAPIKey: null,
        webhookSecret: null,
        maxRetries: 0,
        timeout: options.timeoutMs,
        fetch: options.fetch,
      }),
  );

  function getClient(): { client: OpenAI; key: string | undefined } {
    const key = readSecret(options.apiKey);
    if (options.requireKey && key === undefined) {
      throw new ProviderError({
        providerId: id,
        kind: 'not-configured',
        isRetryable: false,
        message: `${id} is not configured: ${options.configureHint}`,
      });
    }
    return { client: clientFor(key), key };
  }

  async function doSample(request: SampleRequest): Promise<SampleResult> {
    checkSampleRequest(id, capabilities, request);
    const { client: c, key } = getClient();
    const warnings: string[] = [];
    const body = requestBody(request, options, warnings);
    let raw: RawResponse;
    const limit = deadline(options.timeoutMs, request.signal);
    try {
      // Our deadline fires first; the SDK's timeout (a little later) is only a backstop.
      const requestOptions = { signal: limit.signal, timeout: options.timeoutMs + 1_000 };
      raw = (request.mode === 'COMPLETION'
        ? await c.completions.create(body as unknown as OpenAI.CompletionCreateParamsNonStreaming, requestOptions)
        : await c.chat.completions.create(
            body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
            requestOptions,
          )) as unknown as RawResponse;
    } catch (error) {
      throw toProviderError(error, { providerId: id, secrets: [key], cause: limit.reason() });
    }
    return { texts: textsOf(raw, request.mode, id), usage: usageOf(raw, warnings), warnings };
  }

  async function listModels(): Promise<ProviderModelInfo[]> {
    if (options.models !== 'remote') return options.models.map((m) => ({ ...m }));
    const { client: c, key } = getClient();
    try {
      const page = await c.models.list({ timeout: options.timeoutMs });
      return page.data.map((m) => ({ id: m.id, family: null, parent: null, mode: options.remoteModelMode }));
    } catch (error) {
      throw toProviderError(error, { providerId: id, secrets: [key] });
    }
  }

  return {
    specificationVersion: 'v1',
    id,
    name: options.name,
    get configured() {
      return !options.requireKey || readSecret(options.apiKey) !== undefined;
    },
    capabilities,
    listModels,
    doSample,
    batch: options.batch ? createOpenAIBatchApi(options, getClient) : undefined,
  };
}

export function requestBody(
  request: SampleRequest,
  options: OpenAIStyleOptions,
  warnings: string[],
): Record<string, unknown> {
  const n = Math.min(request.n, options.capabilities.maxSamplesPerRequest);
  const body: Record<string, unknown> = {
    ...options.extraBody,
    model: request.model,
    temperature: request.temperature,
    top_p: request.topP,
    n,
  };
  if (request.mode === 'COMPLETION') {
    body.prompt = request.prompt;
    body.max_tokens = request.maxTokens;
  } else {
    body.messages = [{ role: 'user', content: request.prompt }];
    body[options.chatMaxTokensParam] = request.maxTokens;
  }
  if (request.seed !== undefined) {
    if (options.sendSeed) body.seed = request.seed;
    else warnings.push(`seed not sent: ${options.seedDroppedReason}`);
  }
  return body;
}

export function textsOf(raw: RawResponse, mode: Mode, providerId: string): string[] {
  if (!raw || typeof raw !== 'object' || !Array.isArray(raw.choices)) {
    throw new ProviderError({
      providerId,
      kind: 'malformed-response',
      message: `${providerId}: malformed response: no choices array`,
    });
  }
  if (raw.choices.length === 0) {
    throw new ProviderError({ providerId, kind: 'empty-response', message: `${providerId}: empty choices` });
  }
  // Choices may arrive out of order; `index` is authoritative when present.
  const choices = [...raw.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return choices.map((choice) => {
    const text = mode === 'COMPLETION' ? choice.text : choice.message?.content;
    // "" is a valid probe (the empty allele); null/absent content is not a sample.
    if (typeof text !== 'string') {
      throw new ProviderError({
        providerId,
        kind: 'empty-response',
        message: `${providerId}: empty choices (null content)`,
      });
    }
    return text;
  });
}

export function usageOf(raw: RawResponse, warnings: string[]): SampleResult['usage'] {
  if (!raw.usage) warnings.push('response carried no usage; token counts recorded as 0');
  return {
    promptTokens: raw.usage?.prompt_tokens ?? 0,
    completionTokens: raw.usage?.completion_tokens ?? 0,
    requests: 1,
  };
}

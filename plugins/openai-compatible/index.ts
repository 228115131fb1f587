/**
 * OpenAI-compatible endpoints (vLLM, llama.cpp server, Ollama, LM Studio, OpenRouter, ...):
 * one Provider per configured endpoint, with id `openai-compatible:<name>`. One provider per
 * endpoint (rather than one provider multiplexing endpoints) because each endpoint has its own
 * base URL, key, limits and sampling quirks, and method.md asks that "each endpoint with its
 * sampling settings is its own taxon"; the job engine can then pace each endpoint separately.
 *
 * `seed` is NEVER sent unless the endpoint says `sendSeed: true`: some local servers switch to
 * deterministic sampling when a seed is present, which would collapse every population to one
 * allele. A seed on the request without `sendSeed` becomes a warning.
 *
 * The key is optional (local servers need none); without one no Authorization header is sent,
 * and the provider still counts as configured, since a base URL is all such a server needs.
 * Models listed in the endpoint config default to COMPLETION mode, because the reference probed
 * open-weight models as raw text completion without a chat template.
 */
import type {
  Mode,
  Provider,
  ProviderCapabilities,
  ProviderModelInfo,
  SecretSource,
} from '../../src/providers/provider';
import { createOpenAIStyleProvider } from '../openai/openai-style';

export interface OpenAICompatibleModel {
  id: string;
  mode?: Mode;
  family?: string | null;
  parent?: string | null;
}

export interface OpenAICompatibleEndpoint {
  /** [A-Za-z0-9._-]+; becomes the provider id suffix */
  name: string;
  /** e.g. http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:11434/v1 (Ollama) */
  baseURL: string;
  apiKey?: SecretSource;
  /** send `seed` when a request has one; default false */
  sendSeed?: boolean;
  /** the models to list; without it listModels asks GET /models */
  models?: Array<string | OpenAICompatibleModel>;
  /** n per request; default 128 (servers without `n` support should set 1) */
  maxSamplesPerRequest?: number;
  /** default 4: local servers are usually a single GPU */
  maxConcurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  modes?: Mode[];
  chatMaxTokensParam?: 'max_tokens' | 'max_completion_tokens';
  /** extra JSON merged into every body, e.g. `{ ignore_eos: true }` for vLLM to sample past end-of-sequence as the reference did */
  extraBody?: Record<string, unknown>;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** USD per million tokens by model id ('*' default); default free */
  prices?: ProviderCapabilities['prices'];
}

export const OPENAI_COMPATIBLE_PREFIX = 'openai-compatible:';

const ENDPOINT_NAME = /^[A-Za-z0-9._-]+$/;

export function createOpenAICompatibleProvider(endpoint: OpenAICompatibleEndpoint): Provider {
  if (!ENDPOINT_NAME.test(endpoint.name ?? '')) {
    throw new TypeError(`openai-compatible endpoint name must match ${ENDPOINT_NAME}: ${String(endpoint.name)}`);
  }
  if (typeof endpoint.baseURL !== 'string' || !/^https?:\/\//.test(endpoint.baseURL)) {
    throw new TypeError(`openai-compatible endpoint ${endpoint.name}: baseURL must be an http(s) URL`);
  }
  const id = `${OPENAI_COMPATIBLE_PREFIX}${endpoint.name}`;
  const sendSeed = endpoint.sendSeed === true;
  return createOpenAIStyleProvider({
    id,
    name: `OpenAI-compatible (${endpoint.name})`,
    apiKey: endpoint.apiKey,
    requireKey: false,
    configureHint: 'set baseURL',
    baseURL: endpoint.baseURL,
    fetch: endpoint.fetch,
    timeoutMs: endpoint.timeoutMs ?? 120_000,
    capabilities: {
      maxSamplesPerRequest: endpoint.maxSamplesPerRequest ?? 128,
      modes: endpoint.modes ?? ['COMPLETION', 'CHAT'],
      maxConcurrency: endpoint.maxConcurrency ?? 4,
      requestsPerMinute: endpoint.requestsPerMinute,
      tokensPerMinute: endpoint.tokensPerMinute,
      supportsSeed: sendSeed,
      prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 }, ...endpoint.prices },
    },
    models: endpoint.models ? endpoint.models.map(modelInfo) : 'remote',
    remoteModelMode: 'COMPLETION',
    sendSeed,
    seedDroppedReason: `endpoint ${endpoint.name} has sendSeed disabled`,
    chatMaxTokensParam: endpoint.chatMaxTokensParam ?? 'max_tokens',
    extraBody: endpoint.extraBody,
  });
}

export function createOpenAICompatibleProviders(endpoints: OpenAICompatibleEndpoint[]): Provider[] {
  return endpoints.map(createOpenAICompatibleProvider);
}

function modelInfo(model: string | OpenAICompatibleModel): ProviderModelInfo {
  if (typeof model === 'string') return { id: model, family: null, parent: null, mode: 'COMPLETION' };
  return { id: model.id, family: model.family ?? null, parent: model.parent ?? null, mode: model.mode ?? 'COMPLETION' };
}

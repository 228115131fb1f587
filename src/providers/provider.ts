/**
 * The provider plugin interface, version 1.
 *
 * A provider turns one PhyloLM probe request (a bare gene, the sampling settings of
 * method.md "Probing (reference settings)") into sampled completions. It makes ONE attempt per
 * `doSample` call: retries live in `withRetry` (retry.ts) and pacing in the rate limiter
 * (rate-limiter.ts), so a job can account for every request it sends.
 *
 * The interface is versioned the way the Vercel AI SDK versions its model specs
 * (`specificationVersion: 'v3'` in @ai-sdk/provider): a future 'v2' gets its own file and both
 * can be loaded side by side. Methods the framework calls carry the `do` prefix so that nobody
 * calls them by accident instead of going through the job engine.
 */

export const SPECIFICATION_VERSION = 'v1' as const;

export type Mode = 'COMPLETION' | 'CHAT';

export const MODES: readonly Mode[] = ['COMPLETION', 'CHAT'];

export interface SampleRequest {
  /** the provider's own model id */
  model: string;
  mode: Mode;
  /** the bare gene: sent as-is, no system prompt, no template, no stop sequence */
  prompt: string;
  /** samples wanted; a call returns at most min(n, capabilities.maxSamplesPerRequest) */
  n: number;
  temperature: number;
  topP: number;
  maxTokens: number;
  /** only sent where the provider supports it (and, for local servers, where it is enabled) */
  seed?: number;
  /**
   * Index of the first sample of this call within the (model, gene) population. Remote APIs
   * ignore it; deterministic providers (simulated) use it so that a job that is killed and
   * resumed with the number of probes already stored draws exactly the samples it still lacks.
   */
  sampleOffset?: number;
  signal?: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  requests: number;
}

export interface SampleResult {
  texts: string[];
  usage: Usage;
  /** settings the provider could not honour (for example a seed it does not send) */
  warnings: string[];
}

export interface ModelPrice {
  /** USD per million input tokens */
  inputPerMTok: number;
  /** USD per million output tokens */
  outputPerMTok: number;
}

export interface ProviderCapabilities {
  /** samples one request can return (OpenAI's `n`); 1 where the API has no `n` */
  maxSamplesPerRequest: number;
  modes: Mode[];
  maxConcurrency: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  supportsSeed: boolean;
  /** by provider model id; '*' is the default for models not listed */
  prices: Record<string, ModelPrice>;
}

export interface ProviderModelInfo {
  id: string;
  family: string | null;
  /** known lineage (another model's or an ancestor's id) where the provider knows it */
  parent: string | null;
  mode: Mode;
}

export interface Provider {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly name: string;
  /** false when the provider lacks what it needs (usually an API key); it is still listed */
  readonly configured: boolean;
  readonly capabilities: ProviderCapabilities;
  listModels(): Promise<ProviderModelInfo[]>;
  doSample(request: SampleRequest): Promise<SampleResult>;
  /** present when the provider has a batch API (cheaper, asynchronous sampling); see BatchApi */
  readonly batch?: BatchApi;
}

/** One request of a batch: the id its answer comes back under, and what to sample. */
export interface BatchRequest {
  /** letters, digits, '-' and '_', at most 64 characters (the strictest provider's rule) */
  customId: string;
  request: Omit<SampleRequest, 'signal' | 'sampleOffset'>;
}

/** The metadata key a batch's submission tag travels under, where the provider keeps metadata. */
export const BATCH_TAG_KEY = 'phylolm_submission';

/**
 * Providers' clocks and ours differ: a batch found by its creation time is looked for from this
 * long before the submission was recorded.
 */
export const BATCH_CLOCK_SKEW_MS = 60_000;

/** A submitted batch as the provider reports it. */
export interface BatchStatus {
  /** 'running' until the provider has finished with every request (answered or not) */
  state: 'running' | 'ended';
  /**
   * how it ended: 'completed' (every request answered, some perhaps with an error), 'expired'
   * (the window closed; unanswered requests come back as errors), 'cancelled', or 'failed' (the
   * provider refused the whole batch: nothing was sampled, and `error` says why)
   */
  outcome?: 'completed' | 'expired' | 'cancelled' | 'failed';
  error?: string;
}

/** One answer of an ended batch: a result, or the error of that one request. */
export type BatchLine = { customId: string; result: SampleResult } | { customId: string; error: string };

/**
 * A provider's batch API (OpenAI Batch, Anthropic Message Batches): many requests sent at once,
 * answered within a window (24 h) at a discount. The framework submits, stores the batch id,
 * polls `status` and reads `results` once it has ended; one call is one attempt, as for doSample.
 */
export interface BatchApi {
  /** what a batched token costs relative to the price table (0.5: half price) */
  readonly priceFactor: number;
  /** requests one batch may hold */
  readonly maxRequests: number;
  /**
   * Submits the requests as one batch (all in one mode and model), labelled with `tag` where the
   * provider keeps a label (OpenAI: the batch's metadata, `BATCH_TAG_KEY`); returns the batch id.
   */
  submit(requests: readonly BatchRequest[], tag: string, signal?: AbortSignal): Promise<string>;
  /**
   * The batch submitted under `tag` at or after `since` holding `requests` requests, if the
   * provider has one: how a process that died between the provider accepting a batch and the id
   * being stored (or whose submit's answer was lost) finds it instead of paying for it twice.
   * Where the provider keeps no label (Anthropic), the answer is the first batch created since
   * then with that many requests: a candidate, which the runner accepts only if its results
   * carry the tag in their custom ids.
   */
  find(tag: string, since: Date, requests: number, signal?: AbortSignal): Promise<string | undefined>;
  status(batchId: string, signal?: AbortSignal): Promise<BatchStatus>;
  /** the answers of an ended batch, streamed as they are read */
  results(batchId: string, signal?: AbortSignal): AsyncIterable<BatchLine>;
  cancel(batchId: string): Promise<void>;
}

/** A secret given as a value or read lazily (for example from the environment at request time). */
export type SecretSource = string | (() => string | undefined);

export function readSecret(source: SecretSource | undefined): string | undefined {
  const value = typeof source === 'function' ? source() : source;
  return value === undefined || value === '' ? undefined : value;
}

/** Price of one model, falling back to the '*' row, or undefined when neither exists. */
export function priceOf(capabilities: ProviderCapabilities, model: string): ModelPrice | undefined {
  return capabilities.prices[model] ?? capabilities.prices['*'];
}

/** USD cost of a usage record at the provider's price for `model` (0 when no price is known). */
export function costOf(capabilities: ProviderCapabilities, model: string, usage: Usage): number {
  const price = priceOf(capabilities, model);
  if (!price) return 0;
  return (usage.promptTokens * price.inputPerMTok + usage.completionTokens * price.outputPerMTok) / 1e6;
}

/**
 * Checks a request at the plugin boundary. Bad settings are programming errors of the caller,
 * so they throw TypeError/RangeError (never a retryable ProviderError) naming the rule.
 */
export function assertValidSampleRequest(request: SampleRequest): void {
  if (typeof request.model !== 'string' || request.model === '') {
    throw new TypeError('model must be a non-empty string');
  }
  if (!MODES.includes(request.mode)) {
    throw new TypeError(`unknown mode: ${String(request.mode)} (expected COMPLETION or CHAT)`);
  }
  if (typeof request.prompt !== 'string') throw new TypeError('prompt must be a string');
  if (!Number.isInteger(request.n) || request.n < 1) throw new RangeError('n must be an integer >= 1');
  if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) {
    throw new RangeError('maxTokens must be an integer >= 1');
  }
  if (!Number.isFinite(request.temperature) || request.temperature < 0) {
    throw new RangeError('temperature must be a finite number >= 0');
  }
  if (!Number.isFinite(request.topP) || request.topP <= 0 || request.topP > 1) {
    throw new RangeError('topP must be in (0, 1]');
  }
  if (request.seed !== undefined && !Number.isInteger(request.seed)) {
    throw new RangeError('seed must be an integer');
  }
  if (request.sampleOffset !== undefined && (!Number.isInteger(request.sampleOffset) || request.sampleOffset < 0)) {
    throw new RangeError('sampleOffset must be an integer >= 0');
  }
}

/**
 * Simulated provider (`id: 'simulated'`): an offline, deterministic zoo of 25 models with a
 * known phylogeny and known benchmark scores (zoo.ts), for demos and end-to-end tests.
 *
 * Determinism: sample i of a (model, mode, gene) population is a pure function of
 * (seed, model, mode, gene, request.seed, sampleOffset + i) and the sampling settings. A job that
 * passes `sampleOffset` = probes already stored for that gene ends with exactly the same data
 * whether or not it was killed and resumed. Without `sampleOffset` the provider continues a
 * per-instance counter, so repeated calls still draw fresh samples.
 *
 * Text length: a completion is 3 words (up to 5 in the `long-alleles` variant, whose openers
 * come first); `maxTokens` keeps the first maxTokens words (one word standing in for one token).
 *
 * Variant (`variant`, alleles.ts): `classic` by default; `long-alleles` makes each gene's
 * candidates share a few chat openers ("The", "Okay", "To solve", ...) and differ only after
 * them, as real chat models do, so longer alleles carry information the reference 4 characters
 * miss. Tree, capabilities, scores and logits are the same in both variants; only the texts differ.
 */
import {
  assertValidSampleRequest,
  type Provider,
  type ProviderCapabilities,
  type ProviderModelInfo,
  type SampleRequest,
  type SampleResult,
} from '../../src/providers/provider';
import { ProviderError } from '../../src/providers/errors';
import { createRandom, hashString, mix32 } from '../../src/core/random';
import { zooNodes, type ZooNode } from './zoo';
import {
  HEAD,
  ZOO_VARIANTS,
  alleleLogits,
  candidatesOf,
  draw,
  samplingDistribution,
  tailCompletion,
  type ZooVariant,
} from './alleles';

export interface SimulatedProviderOptions {
  /** selects the zoo (branch lengths, alleles, scores); default 0 */
  seed?: number;
  /** the candidates' texts: `classic` (default) or `long-alleles` (shared openers first) */
  variant?: ZooVariant;
}

const ID = 'simulated';
/** bound on cached per-(model, mode, gene) logits; the cache is dropped when full */
const CACHE_LIMIT = 50_000;

export const SIMULATED_CAPABILITIES: ProviderCapabilities = {
  maxSamplesPerRequest: 128,
  modes: ['COMPLETION', 'CHAT'],
  maxConcurrency: 64,
  supportsSeed: true,
  prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
};

export function createSimulatedProvider(options: SimulatedProviderOptions = {}): Provider {
  const seed = options.seed ?? 0;
  const variant = options.variant ?? 'classic';
  if (!ZOO_VARIANTS.includes(variant)) {
    throw new RangeError(`simulated: unknown zoo variant "${variant}"; known: ${ZOO_VARIANTS.join(', ')}`);
  }
  /** words in the longest completion: 3, plus the longest opener's 2 in the long-alleles variant */
  const mostWords = variant === 'long-alleles' ? 5 : 3;
  const nodes = zooNodes(seed);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const logitCache = new Map<string, Float64Array>();
  const candidateCache = new Map<string, string[]>();
  const counters = new Map<string, number>();

  function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      value = make();
      cache.set(key, value);
    }
    return value;
  }

  async function doSample(request: SampleRequest): Promise<SampleResult> {
    assertValidSampleRequest(request);
    if (request.signal?.aborted) {
      throw new ProviderError({
        providerId: ID,
        kind: 'aborted',
        isRetryable: false,
        message: `${ID}: request aborted`,
      });
    }
    const node = byId.get(request.model);
    if (!node || !node.sampled) {
      throw new ProviderError({
        providerId: ID,
        kind: 'unknown-model',
        statusCode: 404,
        message: `${ID}: unknown model: ${request.model}`,
      });
    }
    const key = `${request.model}\u001f${request.mode}\u001f${request.prompt}`;
    const n = Math.min(request.n, SIMULATED_CAPABILITIES.maxSamplesPerRequest);
    const offset = request.sampleOffset ?? counters.get(key) ?? 0;
    counters.set(key, offset + n);
    const logits = cached(logitCache, key, () => alleleLogits(seed, byId, request.model, request.mode, request.prompt));
    const candidates = cached(candidateCache, request.prompt, () => candidatesOf(variant, seed, request.prompt));
    const p = samplingDistribution(logits, request.temperature, request.topP);
    const base = hashString(`${seed}\u001f${key}\u001f${request.seed ?? ''}`);
    const texts: string[] = [];
    for (let i = 0; i < n; i++) {
      // one independent stream per sample index: golden-ratio stride, then fmix32
      const random = createRandom(mix32(base ^ Math.imul(offset + i + 1, 0x9e3779b1)));
      const k = draw(p, random());
      const text = k === HEAD ? tailCompletion(random) : candidates[k];
      texts.push(truncateWords(text, request.maxTokens, mostWords));
    }
    const promptTokens = Math.ceil(request.prompt.length / 4);
    return {
      texts,
      usage: { promptTokens, completionTokens: n * Math.min(mostWords, request.maxTokens), requests: 1 },
      warnings: [],
    };
  }

  return {
    specificationVersion: 'v1',
    id: ID,
    name: 'Simulated zoo',
    configured: true,
    capabilities: SIMULATED_CAPABILITIES,
    listModels: async () => nodes.filter((n) => n.sampled).map(modelInfo),
    doSample,
  };
}

function modelInfo(node: ZooNode): ProviderModelInfo {
  return { id: node.id, family: node.family, parent: node.parent, mode: node.mode };
}

/** Keeps the first `words` space-led words, so " ab cd ef" with 2 gives " ab cd". */
function truncateWords(text: string, words: number, mostWords: number): string {
  // Completions have at most `mostWords` words, so the common case (reference maxTokens 5) needs no work.
  if (words >= mostWords) return text;
  const parts = text.match(/\s*\S+/g) ?? [];
  return parts.slice(0, words).join('');
}

export { simulatedZoo, BENCHMARKS, type Benchmark, type SimulatedZoo, type ZooModel } from './zoo';
export { ZOO_VARIANTS, type ZooVariant } from './alleles';

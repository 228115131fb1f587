/**
 * Capabilities of the OpenAI API as data. Prices are USD per million tokens from
 * https://openai.com/api/pricing (standard tier, checked for 2025 models; verify before relying
 * on cost estimates, and override through the `prices` option). Rate limits are conservative
 * usage-tier-1 figures (https://platform.openai.com/docs/guides/rate-limits); raise them per
 * account with the `capabilities` option.
 */
import type { ModelPrice, ProviderCapabilities, ProviderModelInfo } from '../../src/providers/provider';

export const OPENAI_PRICES: Record<string, ModelPrice> = {
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4-turbo': { inputPerMTok: 10, outputPerMTok: 30 },
  'gpt-3.5-turbo': { inputPerMTok: 0.5, outputPerMTok: 1.5 },
  'gpt-3.5-turbo-instruct': { inputPerMTok: 1.5, outputPerMTok: 2 },
  'davinci-002': { inputPerMTok: 2, outputPerMTok: 2 },
  'babbage-002': { inputPerMTok: 0.4, outputPerMTok: 0.4 },
  // Unknown models are costed like gpt-4o so estimates err high rather than low.
  '*': { inputPerMTok: 2.5, outputPerMTok: 10 },
};

export const OPENAI_CAPABILITIES: ProviderCapabilities = {
  // Chat Completions documents n up to 128; the legacy Completions endpoint accepts the same.
  maxSamplesPerRequest: 128,
  modes: ['COMPLETION', 'CHAT'],
  maxConcurrency: 8,
  requestsPerMinute: 500,
  tokensPerMinute: 200_000,
  supportsSeed: true,
  prices: OPENAI_PRICES,
};

/** Models the PhyloLM study could probe on OpenAI; lineage is not published, so parent is null. */
export const OPENAI_MODELS: ProviderModelInfo[] = [
  { id: 'babbage-002', family: 'gpt', parent: null, mode: 'COMPLETION' },
  { id: 'davinci-002', family: 'gpt', parent: null, mode: 'COMPLETION' },
  { id: 'gpt-3.5-turbo-instruct', family: 'gpt', parent: null, mode: 'COMPLETION' },
  { id: 'gpt-3.5-turbo', family: 'gpt', parent: null, mode: 'CHAT' },
  { id: 'gpt-4-turbo', family: 'gpt', parent: null, mode: 'CHAT' },
  { id: 'gpt-4o', family: 'gpt', parent: null, mode: 'CHAT' },
  { id: 'gpt-4o-mini', family: 'gpt', parent: null, mode: 'CHAT' },
  { id: 'gpt-4.1', family: 'gpt', parent: null, mode: 'CHAT' },
  { id: 'gpt-4.1-mini', family: 'gpt', parent: null, mode: 'CHAT' },
];

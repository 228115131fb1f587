/**
 * Anthropic capabilities as data. Prices: USD per million tokens from
 * https://www.anthropic.com/pricing (checked for 2025 models; override with `prices`). Limits:
 * tier-1 figures from https://docs.anthropic.com/en/api/rate-limits; raise per account.
 */
import type { ModelPrice, ProviderCapabilities, ProviderModelInfo } from '../../src/providers/provider';

export const ANTHROPIC_PRICES: Record<string, ModelPrice> = {
  'claude-3-haiku-20240307': { inputPerMTok: 0.25, outputPerMTok: 1.25 },
  'claude-3-5-haiku-20241022': { inputPerMTok: 0.8, outputPerMTok: 4 },
  'claude-3-7-sonnet-20250219': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4-20250514': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-opus-4-20250514': { inputPerMTok: 15, outputPerMTok: 75 },
  '*': { inputPerMTok: 3, outputPerMTok: 15 },
};

export const ANTHROPIC_CAPABILITIES: ProviderCapabilities = {
  // The Messages API has no `n`: N = 32 samples cost 32 requests per gene.
  maxSamplesPerRequest: 1,
  // The legacy Text Completions API is deprecated, so only the Messages API (CHAT) is offered.
  modes: ['CHAT'],
  maxConcurrency: 4,
  requestsPerMinute: 50,
  tokensPerMinute: 40_000,
  supportsSeed: false,
  prices: ANTHROPIC_PRICES,
};

export const ANTHROPIC_MODELS: ProviderModelInfo[] = Object.keys(ANTHROPIC_PRICES)
  .filter((id) => id !== '*')
  .map((id) => ({ id, family: 'claude', parent: null, mode: 'CHAT' as const }));

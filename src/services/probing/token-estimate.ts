/**
 * Rough token count of a prompt, for rate limiting and cost estimates before a request is made:
 * about 4 characters per token for English text (OpenAI's rule of thumb), never less than 1.
 * Real usage, as reported by the provider, is what gets stored.
 */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

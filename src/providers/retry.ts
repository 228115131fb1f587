/**
 * Retries a provider call with exponential backoff and full jitter.
 *
 * Delay before attempt k+1 (k = 1, 2, ...): a uniform draw in [0, min(maxDelayMs, baseDelayMs * 2^(k-1))),
 * the "Full Jitter" schedule of Brooker, "Exponential Backoff And Jitter", AWS Architecture
 * Blog, 2015. When the error carries `retryAfterMs` (the server's `retry-after[-ms]` advice) and
 * it is at most `maxRetryAfterMs`, that exact wait is used instead; longer advice falls back to
 * the backoff schedule, as the openai / anthropic SDKs do for advice over 60 s
 * (`retryRequest` in their client.ts).
 *
 * Only errors with `isRetryable === true` (ProviderError) are retried; anything else, an aborted
 * `signal`, or the last attempt's error is rethrown unchanged.
 */
export interface RetryOptions {
  /** total attempts including the first; >= 1 */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** server advice above this is ignored in favour of backoff (default 60 000 ms) */
  maxRetryAfterMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** uniform in [0, 1) */
  random?: () => number;
  signal?: AbortSignal;
  onRetry?: (event: { error: unknown; attempt: number; delayMs: number }) => void;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { maxAttempts, sleep = abortableSleep, signal, onRetry } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be an integer >= 1');
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error) || signal?.aborted) throw error;
      const delayMs = retryDelay(error, attempt, options);
      onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, signal);
      if (signal?.aborted) throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { isRetryable?: unknown }).isRetryable === true;
}

/** Delay after failed attempt `attempt` (1-based). */
export function retryDelay(
  error: unknown,
  attempt: number,
  { baseDelayMs, maxDelayMs, maxRetryAfterMs = 60_000, random = Math.random }: RetryOptions,
): number {
  const advised = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof advised === 'number' && advised >= 0 && advised <= maxRetryAfterMs) return advised;
  // cap: min(maxDelay, base * 2^(attempt-1)); full jitter: uniform in [0, cap)
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * cap);
}

/** setTimeout that resolves early (without throwing) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

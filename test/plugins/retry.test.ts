import { withRetry, retryDelay } from '../../src/providers/retry';
import { ProviderError } from '../../src/providers/errors';

const retryable = (over: Partial<ConstructorParameters<typeof ProviderError>[0]> = {}) =>
  new ProviderError({ providerId: 'p', message: 'boom', statusCode: 503, ...over });

const options = (over = {}) => ({
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  sleep: jest.fn(async () => undefined),
  random: () => 0.5,
  ...over,
});

describe('withRetry', () => {
  it('withRetry(fn) returns the first success without sleeping', async () => {
    const o = options();
    await expect(withRetry(async () => 'ok', o)).resolves.toBe('ok');
    expect(o.sleep).not.toHaveBeenCalled();
  });

  it('withRetry(fn) backs off exponentially with full jitter: random * min(max, base * 2^(k-1))', async () => {
    const o = options();
    const fn = jest
      .fn()
      .mockRejectedValueOnce(retryable())
      .mockRejectedValueOnce(retryable())
      .mockRejectedValueOnce(retryable())
      .mockResolvedValue('ok');
    await expect(withRetry(fn, o)).resolves.toBe('ok');
    // 0.5 * 100, 0.5 * 200, 0.5 * 400
    expect(o.sleep.mock.calls.map((c: unknown[]) => c[0])).toEqual([50, 100, 200]);
    expect(fn.mock.calls.map((c) => c[0])).toEqual([1, 2, 3, 4]);
  });

  it('withRetry(fn) caps the backoff at maxDelayMs', () => {
    expect(retryDelay(retryable(), 10, options({ random: () => 0.999999 }))).toBe(999);
  });

  it('withRetry(fn) waits exactly retryAfterMs when the server advises it', async () => {
    const o = options();
    const fn = jest
      .fn()
      .mockRejectedValueOnce(retryable({ statusCode: 429, retryAfterMs: 2_000 }))
      .mockResolvedValue('ok');
    await withRetry(fn, o);
    expect(o.sleep).toHaveBeenCalledWith(2_000, undefined);
  });

  it('withRetry(fn) ignores advice above maxRetryAfterMs and falls back to backoff', () => {
    expect(retryDelay(retryable({ retryAfterMs: 3_600_000 }), 1, options())).toBe(50);
  });

  it.each([
    ['a 400', retryable({ statusCode: 400 })],
    ['a 401', retryable({ statusCode: 401 })],
    ['a plain TypeError', new TypeError('bug')],
  ])('withRetry(fn) stops at once on %s', async (_label, error) => {
    const o = options();
    const fn = jest.fn().mockRejectedValue(error);
    await expect(withRetry(fn, o)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('withRetry(fn) rethrows the last error after maxAttempts and reports each retry', async () => {
    const onRetry = jest.fn();
    const errors = [retryable({ message: 'one' }), retryable({ message: 'two' }), retryable({ message: 'three' })];
    let i = 0;
    const o = options({ maxAttempts: 3, onRetry });
    await expect(withRetry(async () => Promise.reject(errors[i++]), o)).rejects.toBe(errors[2]);
    expect(onRetry).toHaveBeenCalledTimes(2);
    expect(onRetry.mock.calls[0][0]).toMatchObject({ attempt: 1, delayMs: 50, error: errors[0] });
  });

  it('withRetry(fn) stops when the signal is aborted during the wait', async () => {
    const controller = new AbortController();
    const fn = jest.fn().mockRejectedValue(retryable());
    const sleep = jest.fn(async () => controller.abort());
    await expect(withRetry(fn, options({ sleep, signal: controller.signal }))).rejects.toBeInstanceOf(ProviderError);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('withRetry(fn) uses a real, abortable sleep by default', async () => {
    const fn = jest.fn().mockRejectedValueOnce(retryable()).mockResolvedValue('ok');
    await expect(withRetry(fn, { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 5 })).resolves.toBe('ok');
  });

  it('withRetry(fn, { maxAttempts: 0 }) is a RangeError', async () => {
    await expect(withRetry(async () => 1, options({ maxAttempts: 0 }))).rejects.toThrow(RangeError);
  });
});

import { createRateLimiter } from '../../src/providers/rate-limiter';

/** A fake clock whose sleep advances time instantly and records each wait. */
function fakeTime() {
  let t = 0;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    waits,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('createRateLimiter', () => {
  it('acquire() lets requestsPerMinute through at once, then spaces them at 60 000 / rpm ms', async () => {
    const clock = fakeTime();
    const limiter = createRateLimiter({ requestsPerMinute: 3, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 3; i++) (await limiter.acquire())();
    expect(clock.waits).toEqual([]);
    (await limiter.acquire())();
    expect(clock.waits).toEqual([20_000]);
  });

  it('acquire(tokens) waits until the tokens/minute bucket refills', async () => {
    const clock = fakeTime();
    const limiter = createRateLimiter({ tokensPerMinute: 6_000, now: clock.now, sleep: clock.sleep });
    (await limiter.acquire(6_000))();
    (await limiter.acquire(1_000))();
    // 1 000 tokens at 100 tokens/s
    expect(clock.waits).toEqual([10_000]);
  });

  it('acquire(tokens) larger than the bucket waits for a full bucket instead of forever', async () => {
    const clock = fakeTime();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000, now: clock.now, sleep: clock.sleep });
    (await limiter.acquire(5_000))();
    (await limiter.acquire(5_000))();
    expect(clock.waits).toEqual([60_000]);
  });

  it('acquire() refills with elapsed time', async () => {
    const clock = fakeTime();
    const limiter = createRateLimiter({ requestsPerMinute: 1, now: clock.now, sleep: clock.sleep });
    (await limiter.acquire())();
    clock.advance(60_000);
    (await limiter.acquire())();
    expect(clock.waits).toEqual([]);
  });

  it('acquire() holds at most maxConcurrency requests in flight, first come first served', async () => {
    const limiter = createRateLimiter({ maxConcurrency: 2 });
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const order: string[] = [];
    const c = limiter.acquire().then((r) => (order.push('c'), r));
    const d = limiter.acquire().then((r) => (order.push('d'), r));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    expect(limiter.inFlight).toBe(2);
    a();
    a(); // release is idempotent
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(limiter.inFlight).toBe(0);
  });

  it('run(tokens, fn) releases the slot even when fn throws', async () => {
    const limiter = createRateLimiter({ maxConcurrency: 1 });
    await expect(limiter.run(0, async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limiter.run(0, async () => 'ok')).resolves.toBe('ok');
  });

  it('acquire(tokens, signal) rejects a queued waiter when its signal aborts', async () => {
    const limiter = createRateLimiter({ maxConcurrency: 1 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(0, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    held();
    expect(limiter.inFlight).toBe(0);
  });

  it.each([
    [{ requestsPerMinute: 0 }, 'rate limits'],
    [{ maxConcurrency: 0 }, 'maxConcurrency'],
  ])('createRateLimiter(%j) is a RangeError', (options, fragment) => {
    expect(() => createRateLimiter(options)).toThrow(fragment);
  });
});

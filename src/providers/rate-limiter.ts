/**
 * Client-side pacing for one provider: token buckets for requests/minute and tokens/minute
 * (capacity = the per-minute limit, refilled continuously at limit/60 000 per ms, the classic
 * token-bucket of Turner 1986 as used by API gateways), plus a FIFO semaphore capping requests
 * in flight. Clock and sleep are injectable so tests run without real time.
 *
 * Tokens are an estimate made before the request (prompt + n * maxTokens); a request that asks
 * for more than the whole bucket is clamped to the bucket size so it waits for a full bucket
 * instead of forever.
 */
export interface RateLimiterOptions {
  /** what the limits belong to (a provider id); names shared state in a limiter kept outside the process */
  key?: string;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** requests in flight at once; default unlimited */
  maxConcurrency?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type Release = () => void;

/** Builds a limiter: `createRateLimiter` (this process), or one whose counts are shared by processes. */
export type RateLimiterFactory = (options: RateLimiterOptions) => RateLimiter;

export interface RateLimiter {
  /** Waits for a concurrency slot and budget for one request of `tokens` tokens. Call the returned release when done. */
  acquire(tokens?: number, signal?: AbortSignal): Promise<Release>;
  /** acquire, run, release. */
  run<T>(tokens: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly inFlight: number;
  /** requests waiting for a concurrency slot */
  readonly waiting: number;
}

interface Bucket {
  capacity: number;
  /** refill per ms */
  rate: number;
  level: number;
}

function bucket(perMinute: number | undefined): Bucket | undefined {
  if (perMinute === undefined || !Number.isFinite(perMinute)) return undefined;
  if (perMinute <= 0) throw new RangeError('rate limits must be > 0 per minute');
  return { capacity: perMinute, rate: perMinute / 60_000, level: perMinute };
}

/** A limiter's `run`: takes a slot, runs `fn`, and gives the slot back however `fn` ends. */
export async function runLimited<T>(
  acquire: RateLimiter['acquire'],
  tokens: number,
  fn: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const release = await acquire(tokens, signal);
  try {
    return await fn();
  } finally {
    release();
  }
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxConcurrency = options.maxConcurrency ?? Infinity;
  if (!(maxConcurrency >= 1)) throw new RangeError('maxConcurrency must be >= 1');
  const requests = bucket(options.requestsPerMinute);
  const tokenBucket = bucket(options.tokensPerMinute);
  let last = now();
  let inFlight = 0;
  const waiters: Array<() => void> = [];
  // Bucket draws are serialised so earlier callers are served first (no thundering herd).
  let queue: Promise<void> = Promise.resolve();

  function refill(): void {
    const t = now();
    const dt = Math.max(0, t - last);
    last = t;
    for (const b of [requests, tokenBucket]) if (b) b.level = Math.min(b.capacity, b.level + dt * b.rate);
  }

  /** ms until both buckets hold what is needed (0 when they already do). */
  function waitNeeded(tokens: number): number {
    let wait = 0;
    if (requests && requests.level < 1) wait = Math.max(wait, (1 - requests.level) / requests.rate);
    if (tokenBucket) {
      const want = Math.min(tokens, tokenBucket.capacity);
      if (tokenBucket.level < want) wait = Math.max(wait, (want - tokenBucket.level) / tokenBucket.rate);
    }
    return Math.ceil(wait);
  }

  async function draw(tokens: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      refill();
      const wait = waitNeeded(tokens);
      if (wait === 0) break;
      await sleep(wait);
    }
    if (requests) requests.level -= 1;
    if (tokenBucket) tokenBucket.level -= Math.min(tokens, tokenBucket.capacity);
  }

  async function takeSlot(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (inFlight < maxConcurrency) {
      inFlight++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = waiters.indexOf(grant);
        if (i >= 0) waiters.splice(i, 1);
        reject(signal?.reason);
      };
      // The releasing caller hands its slot over, so inFlight is unchanged.
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  function releaseSlot(): void {
    const next = waiters.shift();
    if (next) next();
    else inFlight--;
  }

  async function acquire(tokens = 0, signal?: AbortSignal): Promise<Release> {
    if (!(tokens >= 0)) throw new RangeError('tokens must be >= 0');
    await takeSlot(signal);
    try {
      const turn = queue.then(() => draw(tokens, signal));
      queue = turn.catch(() => undefined);
      await turn;
    } catch (error) {
      releaseSlot();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      releaseSlot();
    };
  }

  return {
    acquire,
    run: (tokens, fn, signal) => runLimited(acquire, tokens, fn, signal),
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return waiters.length;
    },
  };
}

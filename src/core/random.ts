/**
 * Seeded pseudo-random numbers for the core (predictors, the built-in genome draw), which must
 * never call Math.random.
 *
 * `createRandom(seed)` is mulberry32 (Tommy Ettinger, public domain, 2017): a 32-bit state
 * advanced by the Weyl increment 0x6D2B79F5 and mixed by two xorshift-multiply rounds. It
 * has period 2^32, passes gjrand/PractRand at the sizes used here (thousands of draws), and
 * is deterministic across platforms because it uses only `Math.imul` and 32-bit shifts.
 * Normal draws use the Box-Muller transform (Box & Muller 1958), one draw per call.
 *
 * Complexity: O(1) per draw.
 *
 * @see Box GEP, Muller ME. 1958. A note on the generation of random normal deviates.
 *   Ann Math Stat 29:610-611.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32 seeded with the low 32 bits of `seed` (non-integers are truncated). */
export function createRandom(seed = 0): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    // state <- state + 0x6D2B79F5 (mod 2^32), the Weyl sequence step
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    // divide by 2^32 to land in [0, 1)
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** One standard normal draw: z = sqrt(-2 ln u1) cos(2 pi u2), with u1 in (0, 1]. */
export function normal(random: Random): number {
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** One draw from U(low, high). */
export function uniform(random: Random, low: number, high: number): number {
  return low + (high - low) * random();
}

/** A uniformly random subset of `k` distinct indices from 0..n-1 (partial Fisher-Yates), sorted. */
export function sampleIndices(random: Random, n: number, k: number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, m).sort((a, b) => a - b);
}

/**
 * murmur3's 32-bit finaliser (fmix32, Appleby's MurmurHash3): every input bit flips each output
 * bit with probability about 1/2. Used to turn related integers (a hash and a sample index)
 * into unrelated seeds.
 */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a 32-bit over UTF-16 code units (http://www.isthe.com/chongo/tech/comp/fnv/), then mix32. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/**
 * A generator keyed by a list of parts rather than one number: `createRandom` seeded with the
 * hash of the parts joined by U+001F, so every value it gives is a pure function of the key.
 */
export function keyedRandom(...parts: Array<string | number>): Random {
  return createRandom(hashString(parts.join('\u001f')));
}

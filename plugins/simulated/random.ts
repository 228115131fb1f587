/**
 * Small deterministic randomness for the simulated zoo: string hashing and a seeded PRNG.
 * Never Math.random: every value is a pure function of its key, so samples are reproducible.
 */

/** FNV-1a 32-bit over UTF-16 units (http://www.isthe.com/chongo/tech/comp/fnv/), then mixed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** murmur3's 32-bit finaliser (fmix32): spreads every input bit over the output. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mulberry32 (Tommy Ettinger, 2017): period 2^32, uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw by Box–Muller (Box & Muller 1958, Ann Math Stat 29:610). */
export function gaussian(random: () => number): number {
  // 1 - u keeps the log argument in (0, 1]
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A PRNG keyed by any list of parts. */
export function rngFor(...parts: Array<string | number>): () => number {
  return mulberry32(hashString(parts.join('\u001f')));
}

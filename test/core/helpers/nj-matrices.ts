/**
 * Seeded distance matrices for comparing NJ searches (tests) and timing them (bench/nj.bench.ts):
 * row-major n*n Float64Array, symmetric, zero diagonal. RapidNJ's speed-up depends on the data
 * (Simonsen et al. 2008), so there are tree-like ones (as real Nei matrices are) beside uniform
 * ones, and tie-heavy ones (small integers, duplicated taxa) for the tie rule.
 */
import type { Random } from '../../../src/core/random';

/** Independent uniform distances in [0.05, 1.05). */
export function uniformMatrix(n: number, random: Random): Float64Array {
  return fillPairs(n, () => 0.05 + random());
}

/** Integer distances 1..max: many exactly equal Q values. */
export function integerMatrix(n: number, random: Random, max: number): Float64Array {
  return fillPairs(n, () => 1 + Math.floor(random() * max));
}

/**
 * Path lengths on a random binary tree (random pairs of clusters merged, edge lengths uniform in
 * [0.01, 0.21)), each distance then scaled by 1 + noise * U(-1/2, 1/2). O(n^2) time.
 */
export function treeLikeMatrix(n: number, random: Random, noise: number): Float64Array {
  const d = new Float64Array(n * n);
  // height[x]: path length from leaf x up to the root of its current cluster
  const height = new Float64Array(n);
  const clusters: number[][] = Array.from({ length: n }, (_, k) => [k]);
  while (clusters.length > 1) {
    const a = clusters.splice(Math.floor(random() * clusters.length), 1)[0];
    const b = clusters.splice(Math.floor(random() * clusters.length), 1)[0];
    const la = 0.01 + 0.2 * random();
    const lb = 0.01 + 0.2 * random();
    for (const x of a) height[x] += la;
    for (const y of b) height[y] += lb;
    for (const x of a) for (const y of b) d[x * n + y] = d[y * n + x] = height[x] + height[y];
    clusters.push(a.concat(b));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = d[i * n + j] * (1 + noise * (random() - 0.5));
  }
  return d;
}

/** `d` with `copies` taxa replaced by exact duplicates of other taxa (distance 0 between them). */
export function withDuplicates(d: Float64Array, n: number, copies: number, random: Random): Float64Array {
  const out = Float64Array.from(d);
  for (let c = 0; c < copies; c++) {
    const target = Math.floor(random() * n);
    const source = Math.floor(random() * n);
    if (target === source) continue;
    for (let k = 0; k < n; k++) {
      const v = k === target ? 0 : k === source ? 0 : out[source * n + k];
      out[target * n + k] = out[k * n + target] = v;
    }
  }
  return out;
}

function fillPairs(n: number, draw: () => number): Float64Array {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = draw();
  return d;
}

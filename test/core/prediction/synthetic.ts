/** Deterministic synthetic data for the prediction tests: models as points, D = Euclidean / 4. */
import { createRandom, normal } from '../../../src/core/random';

export interface SyntheticSet {
  distances: Float64Array;
  scores: number[];
  families: string[];
  points: number[][];
}

/**
 * `nFamilies` clusters in 3-D; score = sigmoid(0.8 x - 0.5 y + 0.3 sin z) + noise (clipped to [0, 1]),
 * a smooth function of position.
 */
export function syntheticSet(n: number, { seed = 1, nFamilies = 8, noise = 0.02, spread = 0.7 } = {}): SyntheticSet {
  const random = createRandom(seed);
  const centres = Array.from({ length: nFamilies }, () => [0, 0, 0].map(() => 2 * normal(random)));
  const families = Array.from({ length: n }, (_, i) => `f${i % nFamilies}`);
  const points = families.map((_, i) => centres[i % nFamilies].map((c) => c + spread * normal(random)));
  const distances = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      distances[i * n + j] = Math.hypot(...points[i].map((p, k) => p - points[j][k])) / 4;
    }
  }
  const scores = points.map(([x, y, z]) => {
    const s = 1 / (1 + Math.exp(-(0.8 * x - 0.5 * y + 0.3 * Math.sin(z)))) + noise * normal(random);
    return Math.min(1, Math.max(0, s));
  });
  return { distances, scores, families, points };
}

/** Row i of an n x n matrix restricted to columns `cols`. */
export function rowAt(d: Float64Array, n: number, i: number, cols: number[]): number[] {
  return cols.map((j) => d[i * n + j]);
}

/** The sub-matrix rows x cols of an n x n matrix. */
export function block(d: Float64Array, n: number, rows: number[], cols: number[]): Float64Array {
  const out = new Float64Array(rows.length * cols.length);
  rows.forEach((i, a) => cols.forEach((j, b) => (out[a * cols.length + b] = d[i * n + j])));
  return out;
}

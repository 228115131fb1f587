/**
 * How well a gene subset designed on some of the zoo's families reproduces the full genome's Nei
 * distances for the others (issue 13, what must be true 3), in two readings:
 * - `toAll`: Spearman over every pair with at least one held-out model (held-out to design and
 *   held-out to held-out): what placing new models among the known ones needs;
 * - `within`: Spearman over pairs of held-out models only.
 * `toAll` is the harder one on the zoo: 150 of its 195 pairs join a held-out model to another
 * family, distances that all sit deep in the tree and are ordered mostly by which genes are kept,
 * while `within` mixes near (same family) and far pairs, whose ranks are easy to keep.
 * Shared by test/core/genome-design/zoo-design.test.ts and bench/probing-cost.bench.ts.
 */
import { neiDistance, neiSimilarityMatrix } from '../../src/core/genetics/nei';
import type { AlleleCounts } from '../../src/core/genetics/population';
import { spearman } from '../../src/core/genome-design/correlation';
import { createRandom, sampleIndices } from '../../src/core/random';

export const DESIGN_FAMILIES: ReadonlySet<string> = new Set(['llama', 'mistral', 'qwen']);

export interface HeldOutReadings {
  toAll: number;
  within: number;
}

/** Distances over pairs (i < j) that `keep` accepts, in a fixed order. */
function pairDistances(pops: readonly AlleleCounts[], keep: (i: number, j: number) => boolean): number[] {
  const n = pops.length;
  const s = neiSimilarityMatrix(pops);
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (keep(i, j)) out.push(neiDistance(s[i * n + j]));
  return out;
}

/** Both readings of the genes `genes` of `pops` against all of their genes. */
export function heldOutReadings(
  pops: readonly AlleleCounts[],
  genes: readonly number[],
  heldOut: readonly boolean[],
): HeldOutReadings {
  const subset = pops.map((pop) => genes.map((g) => pop[g]));
  const toAll = (i: number, j: number) => heldOut[i] || heldOut[j];
  const within = (i: number, j: number) => heldOut[i] && heldOut[j];
  return {
    toAll: spearman(pairDistances(subset, toAll), pairDistances(pops, toAll)),
    within: spearman(pairDistances(subset, within), pairDistances(pops, within)),
  };
}

/** Both readings for `count` random subsets of `size` genes (seeded): what a design must beat. */
export function randomSubsetReadings(
  pops: readonly AlleleCounts[],
  heldOut: readonly boolean[],
  size: number,
  count: number,
  seed: number,
): HeldOutReadings[] {
  const geneCount = pops.reduce((m, p) => Math.max(m, p.length), 0);
  const random = createRandom(seed);
  return Array.from({ length: count }, () => heldOutReadings(pops, sampleIndices(random, geneCount, size), heldOut));
}

export function meanAndSpread(values: readonly number[]): { mean: number; sd: number; min: number; max: number } {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

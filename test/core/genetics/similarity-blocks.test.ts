import { type AlleleCounts, neiSimilarity, neiSimilarityMatrix } from '../../../src/core';
import {
  BLOCK_ROWS,
  balancedRowRanges,
  similarityLayout,
  similarityRows,
} from '../../../src/core/genetics/similarity-blocks';
import { createRandom } from '../../../src/core/random';

/**
 * Populations with shared alleles (dense columns), alleles only a few models produce (sparse
 * columns), missing genes, genes past the end of a short array, all-zero genes and models
 * with no probes at all.
 */
function mixedPopulations(n: number, genes: number, seed: number): AlleleCounts[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, m) => {
    if (m % 37 === 5) return Array.from({ length: genes }, () => null);
    const length = m % 11 === 3 ? genes - 2 : genes;
    return Array.from({ length }, (_, g) => {
      const r = random();
      if (r < 0.1) return null;
      if (r < 0.12) return { a0: 0 };
      const counts: Record<string, number> = {};
      for (let s = 0; s < 16; s++) {
        const allele =
          random() < 0.8 ? `a${Math.floor(random() * random() * 6)}` : `r${g}-${Math.floor(random() * 40)}`;
        counts[allele] = (counts[allele] ?? 0) + 1;
      }
      return counts;
    });
  });
}

function blocked(pops: AlleleCounts[], parts = 1): Float64Array {
  const layout = similarityLayout(pops);
  const out = new Float64Array(pops.length * pops.length).fill(NaN);
  for (const [from, to] of balancedRowRanges(pops.length, parts)) similarityRows(layout, from, to, out);
  return out;
}

function worstDifference(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  return worst;
}

describe('similarityRows (blocked sparse product)', () => {
  it('similarityRows equals neiSimilarity pair by pair within 1e-12, missing genes and rare alleles included', () => {
    const pops = mixedPopulations(90, 14, 3);
    const n = pops.length;
    const s = blocked(pops);
    const layout = similarityLayout(pops);
    expect(layout.width).toBeGreaterThan(0); // shared alleles went dense
    expect(layout.denseColumn.length - layout.width).toBeGreaterThan(0); // rare ones stayed sparse
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const expected =
          i === j
            ? pops[i].some((g) => g && Object.values(g).some((c) => c > 0))
              ? 1
              : 0
            : neiSimilarity(pops[i], pops[j]);
        expect(Math.abs(s[i * n + j] - expected)).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('similarityRows equals neiSimilarityMatrix within 1e-12 on random sets of 1 to 200 models', () => {
    for (const [n, genes, seed] of [
      [1, 3, 1],
      [2, 5, 2],
      [BLOCK_ROWS + 1, 7, 3],
      [61, 20, 4],
      [200, 9, 5],
    ]) {
      const pops = mixedPopulations(n, genes, seed);
      expect(worstDifference(blocked(pops), neiSimilarityMatrix(pops))).toBeLessThanOrEqual(1e-12);
    }
  });

  it('similarityRows over balanced row ranges fills every cell once and equals one range', () => {
    const pops = mixedPopulations(75, 10, 8);
    expect(worstDifference(blocked(pops, 7), blocked(pops, 1))).toBe(0);
    expect(blocked(pops, 7).some(Number.isNaN)).toBe(false);
  });

  it('balancedRowRanges covers [0, n) in contiguous ranges, later ones longer (less work per row)', () => {
    for (const [n, parts] of [
      [10, 3],
      [3, 8],
      [10_000, 8],
    ]) {
      const ranges = balancedRowRanges(n, parts);
      expect(ranges[0][0]).toBe(0);
      expect(ranges[ranges.length - 1][1]).toBe(n);
      for (let k = 1; k < ranges.length; k++) expect(ranges[k][0]).toBe(ranges[k - 1][1]);
      expect(ranges.every(([from, to]) => to > from)).toBe(true);
    }
    const ranges = balancedRowRanges(10_000, 8);
    expect(ranges[7][1] - ranges[7][0]).toBeGreaterThan(ranges[0][1] - ranges[0][0]);
  });

  it('similarityRows refuses row ranges outside the matrix and an output of the wrong size', () => {
    const pops = mixedPopulations(5, 3, 9);
    const layout = similarityLayout(pops);
    expect(() => similarityRows(layout, 0, 6, new Float64Array(25))).toThrow(/not within/);
    expect(() => similarityRows(layout, 3, 2, new Float64Array(25))).toThrow(/not within/);
    expect(() => similarityRows(layout, 0, 5, new Float64Array(24))).toThrow(/n\*n = 25/);
  });

  it('similarityLayout(shared) keeps every array in shared memory, for worker threads', () => {
    const layout = similarityLayout(mixedPopulations(40, 6, 10), true);
    for (const value of Object.values(layout)) {
      if (ArrayBuffer.isView(value)) expect(value.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });
});

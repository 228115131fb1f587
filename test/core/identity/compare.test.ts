import { neiDistance, neiSimilarity } from '../../../src/core/genetics/nei';
import type { AlleleCounts } from '../../../src/core/genetics/population';
import { comparePopulations } from '../../../src/core/identity/compare';
import { pairTable } from '../../../src/core/identity/pair-table';
import { permutationTest } from '../../../src/core/identity/permutation-test';
import { geneBootstrapInterval } from '../../../src/core/identity/gene-bootstrap';
import { createRandom } from '../../../src/core/random';

/** A population of `genes` genes, each with `n` samples drawn from the given allele weights. */
function drawn(seed: number, genes: number, n: number, weights: (gene: number) => number[]): AlleleCounts {
  const random = createRandom(seed);
  return Array.from({ length: genes }, (_, g) => {
    const w = weights(g);
    const total = w.reduce((s, x) => s + x, 0);
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      let u = random() * total;
      let k = 0;
      while (u >= w[k] && k < w.length - 1) u -= w[k++];
      counts[`a${k}`] = (counts[`a${k}`] ?? 0) + 1;
    }
    return counts;
  });
}

describe('pairTable', () => {
  it('keeps only the genes both models have and matches Nei D over them', () => {
    const a: AlleleCounts = [{ x: 3, y: 1 }, null, { z: 2 }, { q: 1 }];
    const b: AlleleCounts = [{ x: 1, w: 1 }, { x: 4 }, { z: 5 }, {}];
    const table = pairTable(a, b);
    expect(table.genes).toBe(2);
    expect(table.observed()).toBeCloseTo(neiDistance(neiSimilarity(a, b)), 12);
  });
});

describe('permutationTest', () => {
  it('gives p = 1 and D = 0 for identical populations (every permutation is at least as far)', () => {
    const a = drawn(1, 20, 16, () => [1, 1, 1]);
    const result = permutationTest(pairTable(a, a), { permutations: 1000, seed: 3 });
    expect(result.observed).toBeCloseTo(0, 12);
    expect(result.pValue).toBe(1);
  });

  it('gives the smallest possible p, (1 + 0) / (1 + 1000), when the models share no allele', () => {
    const a = drawn(1, 32, 16, () => [1, 1, 0, 0]);
    const b = drawn(2, 32, 16, () => [0, 0, 1, 1]);
    const result = permutationTest(pairTable(a, b), { permutations: 1000, seed: 3 });
    expect(result.permutations).toBe(1000);
    expect(result.pValue).toBeCloseTo(1 / 1001, 12);
  });

  it('estimates the exact permutation p-value of a case small enough to enumerate', () => {
    // one gene, a = {x, x}, b = {y, y}: of the C(4, 2) = 6 splits, 2 are as far apart as observed
    const result = permutationTest(pairTable([{ x: 2 }], [{ y: 2 }]), { permutations: 4000, seed: 9, stopAfter: 1e9 });
    expect(result.permutations).toBe(4000);
    expect(result.pValue).toBeGreaterThan(1 / 3 - 0.03);
    expect(result.pValue).toBeLessThan(1 / 3 + 0.03);
  });

  it('stops early (Besag-Clifford) after stopAfter exceedances, with p = h / l', () => {
    const a = drawn(1, 32, 16, () => [1, 1, 1]);
    const b = drawn(2, 32, 16, () => [1, 1, 1]);
    const result = permutationTest(pairTable(a, b), { permutations: 1000, seed: 3, stopAfter: 10 });
    expect(result.permutations).toBeLessThan(1000);
    expect(result.pValue).toBeCloseTo(10 / result.permutations, 12);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = drawn(1, 16, 8, () => [1.3, 1, 1]);
    const b = drawn(2, 16, 8, () => [1, 1.3, 1]);
    const table = pairTable(a, b);
    const one = permutationTest(table, { permutations: 1000, seed: 5, stopAfter: 1e9 });
    expect(permutationTest(table, { permutations: 1000, seed: 5, stopAfter: 1e9 })).toEqual(one);
    expect(permutationTest(table, { permutations: 1000, seed: 6, stopAfter: 1e9 }).pValue).not.toBe(one.pValue);
  });

  it('rejects at about the nominal rate when both samples come from one distribution', () => {
    let rejected = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const weights = (g: number) => [1 + (g % 3), 1, 0.5 + (g % 2)];
      const a = drawn(1000 + t, 24, 8, weights);
      const b = drawn(5000 + t, 24, 8, weights);
      if (permutationTest(pairTable(a, b), { permutations: 1000, seed: t }).pValue <= 0.05) rejected++;
    }
    expect(rejected / trials).toBeGreaterThanOrEqual(0.01);
    expect(rejected / trials).toBeLessThanOrEqual(0.1);
  });

  it('refuses fewer than one permutation', () => {
    expect(() => permutationTest(pairTable([{ x: 1 }], [{ x: 1 }]), { permutations: 0, seed: 1 })).toThrow(
      /permutations/,
    );
  });
});

describe('geneBootstrapInterval', () => {
  it('brackets the observed distance and is reproducible', () => {
    const a = drawn(1, 64, 16, () => [2, 1, 1]);
    const b = drawn(2, 64, 16, () => [1, 2, 1]);
    const table = pairTable(a, b);
    const interval = geneBootstrapInterval(table, { replicates: 500, seed: 1, level: 0.95 });
    expect(interval.low).toBeLessThanOrEqual(table.observed());
    expect(interval.high).toBeGreaterThanOrEqual(table.observed());
    expect(interval.high).toBeGreaterThan(interval.low);
    expect(geneBootstrapInterval(table, { replicates: 500, seed: 1, level: 0.95 })).toEqual(interval);
  });

  it('is a single point when every gene says the same', () => {
    const a: AlleleCounts = Array.from({ length: 10 }, () => ({ x: 1, y: 1 }));
    const b: AlleleCounts = Array.from({ length: 10 }, () => ({ x: 1, z: 1 }));
    const interval = geneBootstrapInterval(pairTable(a, b), { replicates: 200, seed: 1, level: 0.9 });
    expect(interval.low).toBeCloseTo(interval.high, 12);
  });
});

describe('comparePopulations', () => {
  it('answers distance, interval, p-value, shared genes and permutations', () => {
    const a = drawn(1, 40, 16, () => [2, 1, 1]);
    const b = drawn(2, 40, 16, () => [1, 2, 1]);
    const result = comparePopulations(a, b, { seed: 1 });
    expect(result.sharedGenes).toBe(40);
    expect(result.distance).toBeCloseTo(neiDistance(neiSimilarity(a, b)), 12);
    expect(result.low).toBeLessThanOrEqual(result.distance!);
    expect(result.high).toBeGreaterThanOrEqual(result.distance!);
    expect(result.pValue).toBeGreaterThan(0);
    expect(result.pValue).toBeLessThanOrEqual(1);
    expect(result.permutations).toBeGreaterThan(0);
  });

  it('reports null numbers for a pair that shares no gene', () => {
    const result = comparePopulations([{ x: 1 }, null], [null, { x: 1 }], { seed: 1 });
    expect(result).toEqual({
      distance: null,
      low: null,
      high: null,
      pValue: null,
      sharedGenes: 0,
      permutations: 0,
    });
  });
});

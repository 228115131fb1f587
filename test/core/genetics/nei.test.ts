import { type AlleleCounts, neiDistance, neiSimilarity, neiSimilarityMatrix } from '../../../src/core';
import { AlleleInterner, preparePopulation, preparedSimilarity } from '../../../src/core/genetics/prepared-population';
import { createRandom } from '../../../src/core/random';

function randomPopulations(n: number, genes: number, random: () => number, missing = 0): AlleleCounts[] {
  return Array.from({ length: n }, () =>
    Array.from({ length: genes }, () => {
      if (random() < missing) return null;
      const counts: Record<string, number> = {};
      for (let s = 0; s < 32; s++) {
        const allele = 'a' + Math.floor(random() * random() * 8);
        counts[allele] = (counts[allele] ?? 0) + 1;
      }
      return counts;
    }),
  );
}

describe('neiSimilarity', () => {
  it('neiSimilarity sums over genes before the ratio (hand-computed, as PHYLIP gendist)', () => {
    // gene 0: pA = (.5,.5), pB = (1, 0); gene 1: pA = (1), pB = (1)
    // J_AB = .5 + 1 = 1.5, J_A = .5 + 1 = 1.5, J_B = 1 + 1 = 2, S = 1.5 / sqrt(3)
    const a: AlleleCounts = [{ x: 1, y: 1 }, { z: 4 }];
    const b: AlleleCounts = [{ x: 3 }, { z: 1 }];
    expect(neiSimilarity(a, b)).toBeCloseTo(1.5 / Math.sqrt(3), 12);
  });

  it('neiSimilarity leaves out genes either side lacks, from J_A and J_B too', () => {
    const a: AlleleCounts = [{ x: 1, y: 1 }, { z: 4 }, { q: 2 }];
    const b: AlleleCounts = [{ x: 3 }, null, { q: 1, r: 1 }];
    // genes 0 and 2 only: J_AB = .5 + .5, J_A = .5 + 1, J_B = 1 + .5
    expect(neiSimilarity(a, b)).toBeCloseTo(1 / 1.5, 12);
    expect(neiSimilarity(a, [{ x: 3 }, { zz: 0 }, { q: 1, r: 1 }])).toBeCloseTo(1 / 1.5, 12);
  });

  it('neiSimilarity of models sharing no gene is 0, so the distance is -ln(1e-10)', () => {
    const s = neiSimilarity([{ a: 1 }, null], [null, { a: 1 }]);
    expect(s).toBe(0);
    expect(neiDistance(s)).toBeCloseTo(-Math.log(1e-10), 12);
  });

  it('neiSimilarity(a, a) is 1 and no allele in common gives 0', () => {
    const a: AlleleCounts = [{ x: 2, y: 5 }, { z: 1 }];
    expect(neiSimilarity(a, a)).toBe(1);
    expect(neiSimilarity(a, [{ w: 1 }, { v: 3 }])).toBe(0);
  });

  it('neiDistance rejects NaN', () => {
    expect(() => neiDistance(NaN)).toThrow(RangeError);
    expect(neiDistance(1)).toBe(-0);
  });
});

describe('neiSimilarityMatrix', () => {
  const pops = randomPopulations(25, 12, createRandom(11), 0.15);

  it('neiSimilarityMatrix equals neiSimilarity pair by pair, with partial gene sets', () => {
    const s = neiSimilarityMatrix(pops);
    for (let i = 0; i < pops.length; i++) {
      for (let j = 0; j < pops.length; j++) {
        expect(s[i * pops.length + j]).toBeCloseTo(neiSimilarity(pops[i], pops[j]), 12);
      }
    }
  });

  it('neiSimilarityMatrix is symmetric with unit diagonal and values in [0, 1]', () => {
    const n = pops.length;
    const s = neiSimilarityMatrix(pops);
    for (let i = 0; i < n; i++) {
      expect(s[i * n + i]).toBe(1);
      for (let j = 0; j < n; j++) {
        expect(s[i * n + j]).toBe(s[j * n + i]);
        expect(s[i * n + j]).toBeGreaterThanOrEqual(0);
        expect(s[i * n + j]).toBeLessThanOrEqual(1);
      }
    }
  });

  it('neiSimilarityMatrix(pops, known) uses cached values and computes only the rest', () => {
    const n = pops.length;
    const full = neiSimilarityMatrix(pops);
    const known = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        // sentinel values prove they were used; row and column 7 are unknown
        known[i * n + j] = i === 7 || j === 7 ? NaN : -1 - Math.min(i, j);
      }
    }
    const before = Float64Array.from(known);
    const s = neiSimilarityMatrix(pops, known);
    for (let j = 0; j < n; j++) expect(s[7 * n + j]).toBeCloseTo(full[7 * n + j], 12);
    expect(s[0 * n + 1]).toBe(-1);
    expect(s[1 * n + 0]).toBe(-1);
    expect(known).toEqual(before);
  });

  it('neiSimilarityMatrix(pops, known) refuses asymmetric or wrongly sized known values', () => {
    const n = pops.length;
    const known = new Float64Array(n * n).fill(NaN);
    known[1] = 0.5;
    expect(() => neiSimilarityMatrix(pops, known)).toThrow('symmetric');
    expect(() => neiSimilarityMatrix(pops, new Float64Array(3))).toThrow('n*n');
  });

  it('neiSimilarityMatrix gives a model with no probes S = 0 everywhere, even to itself', () => {
    const s = neiSimilarityMatrix([[{ a: 1 }], [null], [{ a: 2, b: 2 }]]);
    // models 0 and 2: J_AB = .5, J_A = 1, J_B = .5, S = .5 / sqrt(.5) = sqrt(.5)
    const h = Math.SQRT1_2;
    expect(Array.from(s)).toEqual([1, 0, h, 0, 0, 0, h, 0, 1].map((v) => expect.closeTo(v, 12)));
  });

  it('neiSimilarityMatrix does not mutate its input', () => {
    const copy = JSON.parse(JSON.stringify(pops));
    neiSimilarityMatrix(pops);
    expect(pops).toEqual(copy);
  });

  it.each([
    [[[{ a: -1 }]], 'non-negative'],
    [[[{ a: NaN }]], 'finite'],
  ])('neiSimilarityMatrix(%j) throws (%s)', (bad, fragment) => {
    expect(() => neiSimilarityMatrix(bad as AlleleCounts[])).toThrow(fragment);
  });
});

describe('preparedSimilarity', () => {
  it('preparedSimilarity(prepare(a), prepare(b)) equals neiSimilarity(a, b), missing genes included', () => {
    const random = createRandom(11);
    const pops = randomPopulations(12, 20, random, 0.2);
    const interner = new AlleleInterner();
    const prepared = pops.map((p) => preparePopulation(p, interner));
    for (let i = 0; i < pops.length; i++) {
      for (let j = 0; j < pops.length; j++) {
        expect(preparedSimilarity(prepared[i], prepared[j])).toBeCloseTo(neiSimilarity(pops[i], pops[j]), 12);
      }
    }
  });

  it('neiSimilarityMatrix gives the same new row through prepared populations', () => {
    const random = createRandom(5);
    const pops = randomPopulations(30, 16, random, 0.1);
    const full = neiSimilarityMatrix(pops);
    const n = pops.length;
    const known = Float64Array.from(full);
    for (let j = 0; j < n; j++) {
      known[3 * n + j] = NaN;
      known[j * n + 3] = NaN;
    }
    const interner = new AlleleInterner();
    let asked = 0;
    const s = neiSimilarityMatrix(pops, known, () => {
      asked++;
      return pops.map((p) => preparePopulation(p, interner));
    });
    expect(asked).toBe(1);
    for (let k = 0; k < n * n; k++) expect(s[k]).toBeCloseTo(full[k], 12);
  });
});

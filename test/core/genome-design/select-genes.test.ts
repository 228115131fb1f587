import { PhyloInputError } from '../../../src/core/errors';
import { neiDistance, neiSimilarity } from '../../../src/core/genetics/nei';
import type { AlleleCounts } from '../../../src/core/genetics/population';
import { ranks, spearman } from '../../../src/core/genome-design/correlation';
import { PairSums, selectGenes } from '../../../src/core/genome-design/select-genes';

it('ranks share the mean rank among ties; Spearman is 1 for any increasing map', () => {
  expect(ranks([10, 30, 20, 30])).toEqual([1, 3.5, 2, 3.5]);
  expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
  expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
});

it('PairSums over every gene gives the Nei distances of nei.ts', () => {
  const pops: AlleleCounts[] = [
    [{ a: 3, b: 1 }, { c: 2 }, null],
    [{ a: 1, b: 1 }, { c: 1, d: 3 }, { e: 2 }],
    [{ b: 4 }, null, { e: 1, f: 1 }],
  ];
  const sums = new PairSums(pops, 3);
  const d = sums.distances(sums.total());
  const pairs = [
    [0, 1],
    [0, 2],
    [1, 2],
  ];
  pairs.forEach(([i, j], p) => expect(d[p]).toBeCloseTo(neiDistance(neiSimilarity(pops[i], pops[j])), 12));
});

/**
 * Six models in two groups. Genes 0-3 separate the groups and, more finely, the models within
 * each; gene 4 gives every model the same allele (no information); gene 5 splits the models
 * against the groups.
 */
function sixModels(): AlleleCounts[] {
  return Array.from({ length: 6 }, (_, m): AlleleCounts => {
    const group = m < 3 ? 'x' : 'y';
    const genes: Record<string, number>[] = [
      { [group]: 6 + m, z: 2 },
      { [group]: 8, [`m${m}`]: 2 },
      { [group]: 5, w: 5 - (m % 3) },
      { [group]: 4 + (m % 3), v: 3 },
      { same: 10 },
      { [m % 2 === 0 ? 'even' : 'odd']: 10 },
    ];
    return genes;
  });
}

it('greedy selection starts from a gene that separates the models as the genome does, never the one against it', () => {
  const pops = sixModels();
  const chosen = selectGenes(pops, 3);
  expect(chosen.genes).toHaveLength(3);
  expect([0, 1, 2, 3]).toContain(chosen.genes[0]);
  // (gene 4, the same for all, may follow: it is part of the full genome's sums and so of its distances)
  expect(chosen.genes).not.toContain(5);
  expect(chosen.spearman).toBeGreaterThan(0.8);
  // every gene: the full genome itself
  expect(selectGenes(pops, 6).spearman).toBeCloseTo(1, 12);
  expect(new Set(selectGenes(pops, 6).genes)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
});

it('is a pure function of the data', () => {
  expect(selectGenes(sixModels(), 2)).toEqual(selectGenes(sixModels(), 2));
});

it('refuses a size outside [1, genes] and fewer than 3 models', () => {
  const pops = sixModels();
  expect(() => selectGenes(pops, 0)).toThrow(PhyloInputError);
  expect(() => selectGenes(pops, 7)).toThrow(PhyloInputError);
  expect(() => selectGenes(pops, 1.5)).toThrow(PhyloInputError);
  expect(() => selectGenes(pops.slice(0, 2), 1)).toThrow(/at least 3 models/);
});

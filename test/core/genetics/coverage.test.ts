import {
  coverageOf,
  DEFAULT_THRESHOLDS,
  geneMask,
  pairsSharingNoGene,
  sharedGeneCount,
  shortfall,
} from '../../../src/core/genetics/coverage';
import type { AlleleCounts } from '../../../src/core/genetics/population';
import { thinTo } from '../../../src/core/genetics/thin';
import { createRandom } from '../../../src/core/random';

const full = (genes: number, perGene: number): AlleleCounts =>
  Array.from({ length: genes }, () => ({ abcd: perGene - 1, efgh: 1 }));

describe('coverage of a population', () => {
  it('counts genes with samples, the fewest and the median samples per sampled gene', () => {
    const counts: AlleleCounts = [{ a: 3 }, null, { a: 1, b: 1 }, { c: 7 }, null];
    expect(coverageOf(counts)).toEqual({
      genes: 5,
      genesWithSamples: 3,
      samples: 12,
      minSamplesPerGene: 2,
      medianSamplesPerGene: 3,
    });
    expect(coverageOf([null, null])).toEqual({
      genes: 2,
      genesWithSamples: 0,
      samples: 0,
      minSamplesPerGene: 0,
      medianSamplesPerGene: 0,
    });
    expect(coverageOf([{ a: 1 }, { a: 4 }]).medianSamplesPerGene).toBe(2.5);
  });

  it('names the shortfall of a thin or half-covered model, and none for a well sampled one', () => {
    const thin: AlleleCounts = [{ a: 1 }, { b: 1 }, { c: 1 }, ...new Array<null>(125).fill(null)];
    expect(shortfall(coverageOf(thin), DEFAULT_THRESHOLDS)).toMatch(/samples on 3 of 128 genes \(2\.3%\)/);
    const half: AlleleCounts = [...full(64, 32), ...new Array<null>(64).fill(null)];
    expect(shortfall(coverageOf(half), DEFAULT_THRESHOLDS)).toMatch(
      /64 of 128 genes \(50%\), below minGeneCoverage 75%/,
    );
    const single = full(128, 1).map(() => ({ a: 1 }));
    expect(shortfall(coverageOf(single), DEFAULT_THRESHOLDS)).toMatch(
      /median 1 samples per gene, below minSamplesPerGene 2/,
    );
    expect(shortfall(coverageOf(full(128, 32)), DEFAULT_THRESHOLDS)).toBeNull();
    expect(shortfall(coverageOf(half), { minSamplesPerGene: 2, minGeneCoverage: 0.5 })).toBeNull();
  });

  it('finds the pairs that share no gene', () => {
    const perGene = [
      [1, 1, 0, 0],
      [0, 0, 2, 2],
      [1, 0, 1, 0],
      [3, 3, 3, 3],
    ];
    const masks = perGene.map(geneMask);
    expect(sharedGeneCount(masks[0], masks[2])).toBe(1);
    expect(sharedGeneCount(masks[3], masks[3])).toBe(4);
    expect(pairsSharingNoGene(masks, [false, false, false, true])).toEqual([[0, 1]]);
    const wide = geneMask(Array.from({ length: 100 }, (_, g) => (g % 3 === 0 ? 1 : 0)));
    expect(sharedGeneCount(wide, wide)).toBe(34);
  });
});

describe('thinning a population to another sampling', () => {
  it('keeps exactly the wanted samples per gene, drawn from its own alleles, none where none are wanted', () => {
    const counts: AlleleCounts = [{ a: 20, b: 12 }, { c: 32 }, { d: 2 }, null];
    const thinned = thinTo(counts, [4, 0, 8, 5], createRandom(3));
    expect(thinned[1]).toBeNull();
    expect(thinned[3]).toBeNull();
    expect(Object.values(thinned[0]!).reduce((s, n) => s + n, 0)).toBe(4);
    expect(Object.keys(thinned[0]!).every((a) => a === 'a' || a === 'b')).toBe(true);
    expect(thinned[2]).toEqual({ d: 2 });
    expect(counts[0]).toEqual({ a: 20, b: 12 });
  });

  it('draws alleles in proportion to their counts', () => {
    const random = createRandom(11);
    let a = 0;
    for (let t = 0; t < 2000; t++) a += thinTo([{ a: 24, b: 8 }], [1], random)[0]!.a ?? 0;
    expect(a / 2000).toBeGreaterThan(0.71);
    expect(a / 2000).toBeLessThan(0.79);
  });
});

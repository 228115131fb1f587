import fc from 'fast-check';
import { neighborJoining, njJoins, robinsonFoulds } from '../../../src/core';
import { createRandom } from '../../../src/core/random';
import { rapidNjJoins } from '../../../src/core/tree/rapid-nj';
import { integerMatrix, treeLikeMatrix, uniformMatrix, withDuplicates } from '../helpers/nj-matrices';
import { listFixtures, readCsvMatrix, readText } from '../helpers/fixtures';
import { maxPatristicDifference } from '../helpers/tree-compare';

/** Both searches on private copies of `d`: the same joins, in the same order, bit for bit. */
function expectSameJoins(n: number, d: Float64Array): void {
  const fast = rapidNjJoins(n, Float64Array.from(d));
  const canonical = njJoins(n, Float64Array.from(d));
  expect(fast.joins).toEqual(canonical.joins);
  expect(fast.final).toEqual(canonical.final);
}

const names = (n: number) => Array.from({ length: n }, (_, k) => `t${k}`);

describe('rapidNjJoins (bounded search) vs njJoins (exhaustive search)', () => {
  it.each(listFixtures('trees', '.csv'))('oracle fixture %s: the same tree, RF 0, lengths equal', (file) => {
    const { names: taxa, d } = readCsvMatrix(readText('trees', file));
    const fast = neighborJoining(d, taxa);
    const canonical = neighborJoining(d, taxa, { search: 'exhaustive' });
    expect(robinsonFoulds(fast, canonical).distance).toBe(0);
    expect(maxPatristicDifference(fast, canonical)).toBeLessThanOrEqual(1e-9);
    expect(fast).toEqual(canonical);
  });

  it.each([5, 6, 7, 10, 17, 40, 100, 250])('uniform, tree-like and integer matrices of %i taxa', (n) => {
    const random = createRandom(n);
    for (let trial = 0; trial < 3; trial++) {
      expectSameJoins(n, uniformMatrix(n, random));
      expectSameJoins(n, treeLikeMatrix(n, random, 0.1));
      expectSameJoins(n, treeLikeMatrix(n, random, 0));
      expectSameJoins(n, integerMatrix(n, random, 3));
    }
  });

  it('ties everywhere: all distances equal, or 0 and 1 only, or duplicated taxa', () => {
    const random = createRandom(7);
    for (const n of [5, 9, 30, 120]) {
      expectSameJoins(n, integerMatrix(n, random, 1));
      expectSameJoins(
        n,
        integerMatrix(n, random, 2).map((v) => v - 1),
      );
      expectSameJoins(n, withDuplicates(treeLikeMatrix(n, random, 0.05), n, Math.floor(n / 3), random));
      expectSameJoins(n, withDuplicates(integerMatrix(n, random, 4), n, Math.floor(n / 2), random));
    }
  });

  it('any small matrix of small integers (fast-check)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 3, max: 24 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n * n, maxLength: n * n })),
          ),
        ([n, values]) => {
          const d = new Float64Array(n * n);
          for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = values[i * n + j];
          expectSameJoins(n, d);
        },
      ),
      { numRuns: 300, seed: 14 },
    );
  });

  it('1,000 taxa of integer distances 1..5 (near-ties at every step)', () => {
    expectSameJoins(1000, integerMatrix(1000, createRandom(1000), 5));
  });

  it('neighborJoining does not mutate its input with either search', () => {
    const d = uniformMatrix(30, createRandom(3));
    const copy = Float64Array.from(d);
    neighborJoining(d, names(30));
    neighborJoining(d, names(30), { search: 'exhaustive' });
    expect(d).toEqual(copy);
  });
});

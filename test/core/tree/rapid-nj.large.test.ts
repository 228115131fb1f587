import { njJoins, robinsonFoulds, treeFromJoins } from '../../../src/core';
import { createRandom } from '../../../src/core/random';
import { rapidNjJoins } from '../../../src/core/tree/rapid-nj';
import { treeLikeMatrix, withDuplicates } from '../helpers/nj-matrices';
import { maxPatristicDifference } from '../helpers/tree-compare';

// Its own file so it runs beside the other tree tests: the exhaustive search at 2,000 taxa is
// O(n^3), several seconds on a quiet machine and much more on a busy one.
describe('rapid NJ at 2,000 taxa', () => {
  it('tree-like with noise and duplicated taxa: the same joins as the exhaustive search, so RF 0', () => {
    const n = 2000;
    const random = createRandom(2000);
    const d = withDuplicates(treeLikeMatrix(n, random, 0.2), n, 50, random);
    const fast = rapidNjJoins(n, Float64Array.from(d));
    const canonical = njJoins(n, Float64Array.from(d));
    expect(fast).toEqual(canonical);
    const names = Array.from({ length: n }, (_, k) => `t${k}`);
    const fastTree = treeFromJoins(names, fast.joins, fast.final, false);
    const canonicalTree = treeFromJoins(names, canonical.joins, canonical.final, false);
    expect(robinsonFoulds(fastTree, canonicalTree).distance).toBe(0);
    expect(maxPatristicDifference(fastTree, canonicalTree)).toBeLessThanOrEqual(1e-9);
  }, 300_000);
});

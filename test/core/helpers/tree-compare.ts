/** Tree comparison for tests: topology by Robinson-Foulds, lengths by patristic distances. */
import { leafNames, patristicDistances, robinsonFoulds, type Tree } from '../../../src/core';

/** Largest |difference| of leaf-to-leaf path lengths, leaves matched by name. */
export function maxPatristicDifference(a: Tree, b: Tree): number {
  const namesA = leafNames(a);
  const namesB = leafNames(b);
  const col = new Map(namesB.map((name, k) => [name, k]));
  const pa = patristicDistances(a);
  const pb = patristicDistances(b);
  const n = namesA.length;
  const m = namesB.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const bi = col.get(namesA[i]) as number;
      const bj = col.get(namesA[j]) as number;
      max = Math.max(max, Math.abs(pa[i * n + j] - pb[bi * m + bj]));
    }
  }
  return max;
}

/** Same unrooted topology (RF = 0) and all path lengths within `tolerance`. */
export function expectSameTree(actual: Tree, expected: Tree, tolerance: number): void {
  expect(robinsonFoulds(actual, expected).distance).toBe(0);
  expect(maxPatristicDifference(actual, expected)).toBeLessThanOrEqual(tolerance);
}

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

/** Leaf names on each side of the root, sorted (a rooting's signature). */
export function rootSides(tree: Tree): string[][] {
  const below = (id: number): string[] =>
    tree.nodes[id].children.length === 0 ? [tree.nodes[id].name!] : tree.nodes[id].children.flatMap(below);
  return tree.nodes[tree.root].children
    .map((c) => below(c).sort())
    .sort((a, b) => a.length - b.length || a[0].localeCompare(b[0]));
}

/** Path length from the root to each leaf, by name. */
export function rootDistances(tree: Tree): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (id: number, d: number) => {
    const node = tree.nodes[id];
    if (node.children.length === 0) out.set(node.name!, d);
    for (const c of node.children) walk(c, d + (tree.nodes[c].branchLength ?? 0));
  };
  walk(tree.root, 0);
  return out;
}

/** Same root (the same leaves on each side) and every root-to-leaf length within `tolerance`. */
export function expectSameRooting(actual: Tree, expected: Tree, tolerance: number): void {
  expect(rootSides(actual)).toEqual(rootSides(expected));
  const a = rootDistances(actual);
  const b = rootDistances(expected);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [name, d] of a) expect(Math.abs(d - b.get(name)!)).toBeLessThanOrEqual(tolerance);
}

import { parseNewick, patristicDistances, PhyloInputError, upgma } from '../../../src/core';
import { expectSameTree } from '../helpers/tree-compare';
import { randomMatrix } from '../helpers/fixtures';
import { createRandom } from '../../../src/core/random';

describe('upgma', () => {
  it('upgma(ultrametric matrix) reproduces the generating tree', () => {
    const truth = parseNewick('((a:1,b:1):2,(c:2,(d:0.5,e:0.5):1.5):1);');
    const p = patristicDistances(truth);
    const d = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (__, j) => p[i * 5 + j]));
    const tree = upgma(d, ['a', 'b', 'c', 'd', 'e']);
    expect(tree.rooted).toBe(true);
    expectSameTree(tree, truth, 1e-12);
  });

  it('upgma averages by cluster size (Sokal & Michener): d(ab, c) = (d_ac + d_bc) / 2', () => {
    const tree = upgma(
      [
        [0, 2, 6],
        [2, 0, 8],
        [6, 8, 0],
      ],
      ['a', 'b', 'c'],
    );
    // join a,b at height 1; then (ab, c) at (6 + 8) / 2 / 2 = 3.5
    const root = tree.nodes[tree.root];
    expect(root.children.map((c) => tree.nodes[c].branchLength)).toEqual([2.5, 3.5]);
  });

  it('upgma gives an ultrametric tree with non-negative lengths on random data', () => {
    const d = randomMatrix(30, createRandom(9));
    const tree = upgma(
      d,
      d.map((_, k) => `t${k}`),
    );
    const depth = (id: number): number => {
      const node = tree.nodes[id];
      return node.parent === null ? 0 : (node.branchLength as number) + depth(node.parent);
    };
    const leafDepths = tree.nodes.filter((n) => n.children.length === 0).map((n) => depth(n.id));
    leafDepths.forEach((x) => expect(x).toBeCloseTo(leafDepths[0], 10));
    tree.nodes.forEach((n) => expect(n.branchLength ?? 0).toBeGreaterThanOrEqual(0));
  });

  it('upgma does not mutate its input', () => {
    const d = randomMatrix(6, createRandom(4));
    const copy = d.map((row) => [...row]);
    upgma(
      d,
      d.map((_, k) => `t${k}`),
    );
    expect(d).toEqual(copy);
  });

  it.each<[string, number[][], string[], string]>([
    ['1 taxon', [[0]], ['a'], 'at least 2 taxa, got 1'],
    [
      'asymmetric',
      [
        [0, 1],
        [2, 0],
      ],
      ['a', 'b'],
      'symmetric',
    ],
    [
      'negative',
      [
        [0, -1],
        [-1, 0],
      ],
      ['a', 'b'],
      'non-negative',
    ],
  ])('upgma rejects %s', (_label, d, names, fragment) => {
    expect(() => upgma(d, names)).toThrow(PhyloInputError);
    expect(() => upgma(d, names)).toThrow(fragment);
  });
});

/**
 * The dashboard's logic that needs no browser (web/dashboard/tree-order.ts, relatives.ts): the
 * leaf order the heatmap follows, the count of negative lengths the page reports, and the
 * nearest relatives a click on a leaf shows. The page itself is tested in Chromium
 * (test/e2e/dashboard.browser.test.ts).
 */
import { d3Hierarchy } from '../../src/core/format/d3-json';
import { nearestRelatives } from '../../web/dashboard/relatives';
import { leafOrder, negativeLengths, type D3TreeNode } from '../../web/dashboard/tree-order';

const leaf = (modelId: number, length: number): D3TreeNode => ({ name: `m${modelId}`, length, support: null, modelId });
const inner = (length: number | null, ...children: D3TreeNode[]): D3TreeNode => ({
  name: null,
  length,
  support: null,
  children,
});

it('lists leaves depth first, children in order', () => {
  const tree = inner(null, inner(0.1, leaf(3, 0.2), inner(0.1, leaf(1, 0.1), leaf(7, 0.3))), leaf(2, 0.4));
  expect(leafOrder(tree)).toEqual(['3', '1', '7', '2']);
  expect(leafOrder(leaf(5, 0))).toEqual(['5']);
});

it('follows the order of the JSON the server writes (src/core/format/d3-json.ts)', () => {
  // a caterpillar ((a,b),c) rooted at node 0: ids 0 root, 1 inner, 2 a, 3 b, 4 c
  const json = d3Hierarchy({
    tree: {
      root: 0,
      rooted: false,
      nodes: [
        { id: 0, parent: null, children: [1, 4], branchLength: null, taxon: null, name: null },
        { id: 1, parent: 0, children: [2, 3], branchLength: 0.1, taxon: null, name: null },
        { id: 2, parent: 1, children: [], branchLength: 0.2, taxon: 0, name: null },
        { id: 3, parent: 1, children: [], branchLength: -0.01, taxon: 1, name: null },
        { id: 4, parent: 0, children: [], branchLength: 0.3, taxon: 2, name: null },
      ],
    },
    support: [null, 0.9, null, null, null],
    leaves: [
      { name: 'a', modelId: 10, family: null },
      { name: 'b', modelId: 11, family: null },
      { name: 'c', modelId: 12, family: null },
    ],
  }) as D3TreeNode;
  expect(leafOrder(json)).toEqual(['10', '11', '12']);
  expect(negativeLengths(json)).toBe(1);
});

it('counts negative branch lengths below the root only', () => {
  expect(negativeLengths(inner(-1, leaf(1, 0.1), leaf(2, 0.2)))).toBe(0);
  expect(negativeLengths(inner(null, inner(-0.02, leaf(1, -0.1), leaf(2, 0.2)), leaf(3, 0)))).toBe(2);
});

it('gives the nearest relatives by distance, ties by name, without the model itself', () => {
  const matrix = {
    models: [
      { id: '1', name: 'a' },
      { id: '2', name: 'b' },
      { id: '3', name: 'c' },
      { id: '4', name: 'd' },
    ],
    distance: [
      [0, 0.5, 0.2, 0.5],
      [0.5, 0, 0.3, 0.1],
      [0.2, 0.3, 0, 0.4],
      [0.5, 0.1, 0.4, 0],
    ],
  };
  expect(nearestRelatives(matrix, '1').map((r) => r.name)).toEqual(['c', 'b', 'd']);
  expect(nearestRelatives(matrix, '1', 2)).toEqual([
    { id: '3', name: 'c', distance: 0.2 },
    { id: '2', name: 'b', distance: 0.5 },
  ]);
  expect(nearestRelatives(matrix, '9')).toEqual([]);
});

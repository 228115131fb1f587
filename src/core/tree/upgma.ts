/**
 * UPGMA: unweighted pair-group method with arithmetic mean (Sokal & Michener 1958), i.e.
 * average-linkage clustering weighted by cluster sizes, as R phangorn::upgma
 * (hclust "average") and PHYLIP neighbor's UPGMA option.
 *
 * Each step joins the closest pair (i, j) at height h = d_ij / 2 under a new node u with
 *     l_i = h - height(i),   l_j = h - height(j)
 *     d_uk = (|i| d_ik + |j| d_jk) / (|i| + |j|)
 * The result is rooted (`rooted: true`) and ultrametric. Exact when d is ultrametric.
 * Ties go to the lowest (i, j) in the current cluster order (input order; a new cluster
 * takes the place of the first of its pair).
 *
 * Complexity: O(n^3) time (plain search for the minimum), O(n^2) memory.
 *
 * @see Sokal RR, Michener CD. 1958. A statistical method for evaluating systematic relationships. Univ Kansas Sci Bull 38:1409-1438.
 */
import { type DistanceInput, toDistanceMatrix } from '../matrix/distance-input';
import { type Join, type Tree, treeFromJoins } from './tree';

/** UPGMA tree of `names` from a distance matrix (validated, never mutated); n >= 2. */
export function upgma(distance: DistanceInput, names: readonly string[]): Tree {
  const { n, d } = toDistanceMatrix(distance, names, 2);
  return treeFromJoins(names, upgmaJoins(n, d), [], true);
}

/** The join list; `d` (row-major n*n) is consumed. */
export function upgmaJoins(n: number, d: Float64Array): Join[] {
  let act: Int32Array = Int32Array.from({ length: n }, (_, k) => k);
  const node = Int32Array.from(act);
  const size = new Float64Array(n).fill(1);
  const height = new Float64Array(n);
  const joins: Join[] = [];
  for (let m = n; m > 1; m--) {
    const [a, b] = findClosest(d, n, act, m);
    const si = act[a];
    const sj = act[b];
    // h = d_ij / 2
    const h = d[si * n + sj] / 2;
    joins.push({ i: node[si], j: node[sj], li: h - height[si], lj: h - height[sj] });
    act.copyWithin(b, b + 1);
    act = act.subarray(0, m - 1);
    for (const k of act) {
      if (k === si) continue;
      // d_uk = (|i| d_ik + |j| d_jk) / (|i| + |j|)
      const duk = (size[si] * d[si * n + k] + size[sj] * d[sj * n + k]) / (size[si] + size[sj]);
      d[si * n + k] = duk;
      d[k * n + si] = duk;
    }
    size[si] += size[sj];
    height[si] = h;
    node[si] = n + joins.length - 1;
  }
  return joins;
}

function findClosest(d: Float64Array, n: number, act: Int32Array, m: number): [number, number] {
  let best = Infinity;
  let bestA = 0;
  let bestB = 1;
  for (let a = 0; a < m - 1; a++) {
    const base = act[a] * n;
    for (let b = a + 1; b < m; b++) {
      const v = d[base + act[b]];
      if (v < best) {
        best = v;
        bestA = a;
        bestB = b;
      }
    }
  }
  return [bestA, bestB];
}

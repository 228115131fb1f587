/**
 * Neighbour joining (Saitou & Nei 1987) with the Q criterion of Studier & Keppler (1988),
 * giving the same trees as R ape::nj and Biopython's DistanceTreeConstructor.nj.
 *
 * With m clusters left and r_i = sum_k d_ik, each step joins the pair minimising
 *     Q(i, j) = (m - 2) d_ij - r_i - r_j
 * under a new node u, with limb lengths
 *     l_i = d_ij / 2 + (r_i - r_j) / (2 (m - 2)),   l_j = d_ij - l_i
 * and distances d_uk = (d_ik + d_jk - d_ij) / 2. The last three clusters hang from one
 * central node (the returned root; the tree is unrooted, `rooted: false`).
 *
 * Exact (recovers the generating tree and its edge lengths) when d is additive; on other
 * data limb lengths may come out negative and are kept, as ape does, unless
 * `clampNegative` is set. Ties in Q go to the lowest (i, j) in the current cluster order:
 * the input order, where a new cluster takes the place of the first of its pair and the
 * second is removed.
 *
 * Complexity: O(n^3) time, O(n^2) memory. The Q matrix is never materialised; row sums
 * are updated incrementally in O(m) per join.
 *
 * @see Saitou N, Nei M. 1987. The neighbor-joining method. Mol Biol Evol 4:406-425.
 * @see Studier JA, Keppler KJ. 1988. A note on the neighbor-joining algorithm of Saitou and Nei. Mol Biol Evol 5:729-731.
 */
import { type DistanceInput, toDistanceMatrix } from '../matrix/distance-input';
import { type Join, type Tree, treeFromJoins } from './tree';

export type { DistanceInput } from '../matrix/distance-input';

export interface NeighborJoiningOptions {
  /**
   * Replace a negative limb length by 0 and give the difference to its sister, keeping
   * l_i + l_j = d_ij (Kuhner & Felsenstein 1994). Default false, as in ape::nj.
   */
  clampNegative?: boolean;
}

/** Neighbour-joining tree of `names` from a distance matrix (validated, never mutated). */
export function neighborJoining(
  distance: DistanceInput,
  names: readonly string[],
  options: NeighborJoiningOptions = {},
): Tree {
  const { clampNegative = false } = options;
  const { n, d } = toDistanceMatrix(distance, names, 3);
  const { joins, final } = njJoins(n, d);
  if (clampNegative) {
    joins.forEach(clampJoin);
    clampFinal(final);
  }
  return treeFromJoins(names, joins, final, false);
}

/** The join list and the last three clusters with their limb lengths; `d` is consumed. */
export function njJoins(n: number, d: Float64Array): { joins: Join[]; final: { id: number; length: number }[] } {
  // act: working slots in current cluster order; node[s]: tree node id held by slot s
  let act: Int32Array = Int32Array.from({ length: n }, (_, k) => k);
  const node = Int32Array.from(act);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) r[i] += d[i * n + k];
  const joins: Join[] = [];
  for (let m = n; m > 3; m--) {
    const [a, b] = findMinQ(d, n, r, act, m);
    const si = act[a];
    const sj = act[b];
    const dij = d[si * n + sj];
    // l_i = d_ij / 2 + (r_i - r_j) / (2 (m - 2)),  l_j = d_ij - l_i
    const li = dij / 2 + (r[si] - r[sj]) / (2 * (m - 2));
    joins.push({ i: node[si], j: node[sj], li, lj: dij - li });
    act = removeAt(act, b);
    updateDistances(d, n, r, act, si, sj);
    node[si] = n + joins.length - 1;
  }
  return { joins, final: lastThree(d, n, act, node) };
}

/** Positions (a < b) in `act` of the pair with minimum Q; first found wins ties. */
function findMinQ(d: Float64Array, n: number, r: Float64Array, act: Int32Array, m: number): [number, number] {
  const rc = new Float64Array(m);
  for (let b = 0; b < m; b++) rc[b] = r[act[b]];
  let best = Infinity;
  let bestA = 0;
  let bestB = 1;
  for (let a = 0; a < m - 1; a++) {
    const base = act[a] * n;
    const ra = rc[a];
    for (let b = a + 1; b < m; b++) {
      // Q(i, j) = (m - 2) d_ij - r_i - r_j
      const q = (m - 2) * d[base + act[b]] - ra - rc[b];
      if (q < best) {
        best = q;
        bestA = a;
        bestB = b;
      }
    }
  }
  return [bestA, bestB];
}

/** Puts the new cluster u in slot si and keeps every row sum r_k current. */
function updateDistances(d: Float64Array, n: number, r: Float64Array, act: Int32Array, si: number, sj: number): void {
  const dij = d[si * n + sj];
  let ru = 0;
  for (const k of act) {
    if (k === si) continue;
    // d_uk = (d_ik + d_jk - d_ij) / 2
    const duk = (d[si * n + k] + d[sj * n + k] - dij) / 2;
    // r_k loses d_ki and d_kj and gains d_ku
    r[k] += duk - d[k * n + si] - d[k * n + sj];
    d[si * n + k] = duk;
    d[k * n + si] = duk;
    ru += duk;
  }
  r[si] = ru;
}

function removeAt(act: Int32Array, b: number): Int32Array {
  act.copyWithin(b, b + 1);
  return act.subarray(0, act.length - 1);
}

/** Three-point limb lengths l_a = (d_ab + d_ac - d_bc) / 2 for the last three clusters. */
function lastThree(d: Float64Array, n: number, act: Int32Array, node: Int32Array): { id: number; length: number }[] {
  const [a, b, c] = act;
  const dab = d[a * n + b];
  const dac = d[a * n + c];
  const dbc = d[b * n + c];
  return [
    { id: node[a], length: (dab + dac - dbc) / 2 },
    { id: node[b], length: (dab + dbc - dac) / 2 },
    { id: node[c], length: (dac + dbc - dab) / 2 },
  ];
}

function clampJoin(join: Join): void {
  const total = join.li + join.lj;
  if (join.li < 0) [join.li, join.lj] = [0, total];
  else if (join.lj < 0) [join.li, join.lj] = [total, 0];
}

function clampFinal(final: { id: number; length: number }[]): void {
  for (const limb of final) limb.length = Math.max(0, limb.length);
}

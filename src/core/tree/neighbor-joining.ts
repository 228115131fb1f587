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
 * The pair is found by RapidNJ's bounded search (rapid-nj.ts; about O(n^2) on tree-like data)
 * unless `search: 'exhaustive'` asks for every pair at every step (O(n^3)); both give the same
 * tree bit for bit (same Q expression, same tie rule, same join arithmetic in nj-step.ts).
 *
 * Complexity: O(n^3) time in the worst case, O(n^2) memory. The Q matrix is never
 * materialised; row sums are updated incrementally in O(m) per join.
 *
 * @see Saitou N, Nei M. 1987. The neighbor-joining method. Mol Biol Evol 4:406-425.
 * @see Studier JA, Keppler KJ. 1988. A note on the neighbor-joining algorithm of Saitou and Nei. Mol Biol Evol 5:729-731.
 */
import { type DistanceInput, toDistanceMatrix } from '../matrix/distance-input';
import { joinAt, lastThree, type NjResult, type NjState, startNj } from './nj-step';
import { rapidNjJoins } from './rapid-nj';
import { type Join, type Tree, treeFromJoins } from './tree';

export type { NjResult } from './nj-step';

export type { DistanceInput } from '../matrix/distance-input';

export interface NeighborJoiningOptions {
  /**
   * Replace a negative limb length by 0 and give the difference to its sister, keeping
   * l_i + l_j = d_ij (Kuhner & Felsenstein 1994). Default false, as in ape::nj.
   */
  clampNegative?: boolean;
  /**
   * How the pair to join is found: `rapid` (default), the bounded search of RapidNJ
   * (rapid-nj.ts), or `exhaustive`, every pair every step (O(n^3)). Both give the same tree,
   * bit for bit; `exhaustive` is the reference the tests and benchmarks compare against.
   */
  search?: 'rapid' | 'exhaustive';
}

/** Neighbour-joining tree of `names` from a distance matrix (validated, never mutated). */
export function neighborJoining(
  distance: DistanceInput,
  names: readonly string[],
  options: NeighborJoiningOptions = {},
): Tree {
  const { clampNegative = false, search = 'rapid' } = options;
  const { n, d } = toDistanceMatrix(distance, names, 3);
  const { joins, final } = search === 'exhaustive' ? njJoins(n, d) : rapidNjJoins(n, d);
  if (clampNegative) {
    joins.forEach(clampJoin);
    clampFinal(final);
  }
  return treeFromJoins(names, joins, final, false);
}

/** The join list and the last three clusters with their limb lengths, by exhaustive search; `d` is consumed. */
export function njJoins(n: number, d: Float64Array): NjResult {
  const state = startNj(n, d);
  for (let m = n; m > 3; m--) {
    const [a, b] = findMinQ(state);
    joinAt(state, a, b);
  }
  return { joins: state.joins, final: lastThree(state) };
}

/** Positions (a < b) in `act` of the pair with minimum Q; first found wins ties. */
function findMinQ({ d, n, r, act }: NjState): [number, number] {
  const m = act.length;
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

function clampJoin(join: Join): void {
  const total = join.li + join.lj;
  if (join.li < 0) [join.li, join.lj] = [0, total];
  else if (join.lj < 0) [join.li, join.lj] = [total, 0];
}

function clampFinal(final: { id: number; length: number }[]): void {
  for (const limb of final) limb.length = Math.max(0, limb.length);
}

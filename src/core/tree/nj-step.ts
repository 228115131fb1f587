/**
 * The parts of neighbour joining (Saitou & Nei 1987) that do not depend on how the pair to join
 * is found: the working state, one join, and the last three clusters. The exhaustive search
 * (neighbor-joining.ts) and the bounded search (rapid-nj.ts) both drive these, so the two compute
 * every limb length, distance and row sum with the same floating-point expressions in the same
 * order, and their trees agree bit for bit.
 *
 * Clusters live in slots of a row-major n*n matrix. `act` lists the live slots in current
 * cluster order, which is always ascending slot order: a new cluster takes the slot of the first
 * of its pair and the second is removed. So "lowest (i, j) in cluster order" is "lowest slots".
 *
 * Complexity: O(n^2) to start, O(m) per join with m clusters left.
 */
import type { Join } from './tree';

export interface NjState {
  n: number;
  /** row-major n*n distances between live slots; consumed */
  d: Float64Array;
  /** r[s] = sum_k d_sk over live k, kept current join by join */
  r: Float64Array;
  /** live slots in cluster order (ascending) */
  act: Int32Array;
  /** node[s]: tree node id held by slot s */
  node: Int32Array;
  joins: Join[];
}

export interface NjResult {
  joins: Join[];
  /** the last three clusters (node ids) and their limb lengths to the central node */
  final: { id: number; length: number }[];
}

export function startNj(n: number, d: Float64Array): NjState {
  const act = Int32Array.from({ length: n }, (_, k) => k);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) r[i] += d[i * n + k];
  return { n, d, r, act, node: Int32Array.from(act), joins: [] };
}

/**
 * Joins the clusters at positions a < b of `act` (m = act.length clusters) under a new node,
 * which takes slot act[a]; slot act[b] leaves `act`.
 */
export function joinAt(s: NjState, a: number, b: number): void {
  const { n, d, r, node } = s;
  const m = s.act.length;
  const si = s.act[a];
  const sj = s.act[b];
  const dij = d[si * n + sj];
  // l_i = d_ij / 2 + (r_i - r_j) / (2 (m - 2)),  l_j = d_ij - l_i
  const li = dij / 2 + (r[si] - r[sj]) / (2 * (m - 2));
  s.joins.push({ i: node[si], j: node[sj], li, lj: dij - li });
  s.act.copyWithin(b, b + 1);
  s.act = s.act.subarray(0, m - 1);
  updateDistances(s, si, sj);
  node[si] = n + s.joins.length - 1;
}

/** Puts the new cluster u in slot si and keeps every row sum r_k current. */
function updateDistances({ n, d, r, act }: NjState, si: number, sj: number): void {
  const dij = d[si * n + sj];
  let ru = 0;
  for (let x = 0; x < act.length; x++) {
    const k = act[x];
    if (k === si) continue;
    // d_uk = (d_ik + d_jk - d_ij) / 2
    const duk = (d[si * n + k] + d[sj * n + k] - dij) / 2;
    // r_k loses d_ki and d_kj and gains d_ku (d is symmetric: rows are read, not columns)
    r[k] += duk - d[si * n + k] - d[sj * n + k];
    d[si * n + k] = duk;
    d[k * n + si] = duk;
    ru += duk;
  }
  r[si] = ru;
}

/** Three-point limb lengths l_a = (d_ab + d_ac - d_bc) / 2 for the last three clusters. */
export function lastThree({ n, d, act, node }: NjState): { id: number; length: number }[] {
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

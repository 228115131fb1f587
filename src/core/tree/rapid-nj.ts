/**
 * Neighbour joining with the bounded search of RapidNJ (Simonsen, Mailund & Pedersen 2008):
 * the same joins as the exhaustive search (neighbor-joining.ts), bit for bit, found by looking
 * at few pairs per step.
 *
 * Each live cluster i keeps a row of its nearest clusters sorted by distance (the K smallest
 * d_ik, K = `prefixLength`, as the memory-bounded RapidNJ keeps only a prefix of each sorted
 * row; Simonsen, Mailund & Pedersen 2011). With u_max = max_k r_k, every pair (i, k) further
 * along i's row has
 *     Q(i, k) = (m - 2) d_ik - r_i - r_k >= (m - 2) d_ik - r_i - u_max,
 * so the walk along a row stops at the first entry whose bound exceeds the best Q so far, and a
 * row whose first entry already does is skipped. A row holds node ids; an entry whose cluster has
 * been joined is dead and skipped (leading dead entries are dropped for good). A row whose prefix
 * runs out before its bound stops the walk is scanned in full and re-sorted from the matrix, and
 * a new cluster gets a fresh row. Every pair of live clusters is in the row of the one whose row
 * was sorted last (that row was sorted when both were alive), or beyond that row's prefix where
 * the bound or the full scan covers it.
 *
 * Exactness. Q is computed by the exhaustive search's expression ((m-2) d - r_lo) - r_hi, with
 * lo the lower slot, on the same numbers (nj-step.ts), so equal Q values are equal here too. The
 * bound is a floating-point lower bound, not only a real one: rounding is monotone, so
 * ((m-2) s - r_i) - u_max <= ((m-2) d - r_i) - r_k when s <= d and r_k <= u_max, and likewise
 * ((m-2) s - u_max) - r_i for entries where i is the higher slot; the walk stops only when the
 * smaller of the two exceeds the best strictly. Ties are then settled as the exhaustive search
 * settles them: the least (Q, lower slot, higher slot), slots being in cluster order.
 *
 * Complexity: O(n^3) in the worst case (all Q equal: every pair is a candidate), about O(n^2)
 * on tree-like data; memory n^2 doubles for the matrix plus n K (double + int) for the rows.
 *
 * @see Simonsen M, Mailund T, Pedersen CNS. 2008. Rapid neighbour-joining. WABI 2008, LNBI
 *   5251:113-122.
 * @see Simonsen M, Mailund T, Pedersen CNS. 2011. Inference of large phylogenies using
 *   neighbour-joining. BIOSTEC 2010, CCIS 127:334-344.
 */
import { joinAt, lastThree, type NjResult, type NjState, startNj } from './nj-step';

/**
 * Sorted-row prefix length: long enough that few rows run out, short enough to stay small. How
 * far a walk goes grows with the spread of the row sums, about sqrt(n) on uniform data.
 */
export function defaultPrefixLength(n: number): number {
  return Math.max(32, Math.min(256, Math.round(2 * Math.sqrt(n))));
}

/** The join list and the last three clusters, by bounded search; `d` is consumed. */
export function rapidNjJoins(n: number, d: Float64Array, prefixLength = defaultPrefixLength(n)): NjResult {
  const state = startNj(n, d);
  const rows = new SortedRows(state, Math.max(1, Math.min(prefixLength, n - 1)));
  for (let slot = 0; slot < n; slot++) rows.sort(slot);
  for (let m = n; m > 3; m--) {
    const [lo, hi] = rows.findMinQ();
    const a = positionOf(state.act, lo);
    const b = positionOf(state.act, hi);
    rows.kill(state.node[lo]);
    rows.kill(state.node[hi]);
    joinAt(state, a, b);
    rows.revive(state.node[lo], lo);
    rows.sort(lo);
  }
  return { joins: state.joins, final: lastThree(state) };
}

/** Index of `slot` in the ascending `act`. */
function positionOf(act: Int32Array, slot: number): number {
  let low = 0;
  let high = act.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (act[mid] < slot) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Per slot, the prefix of its row sorted by distance: values and node ids, in [start, end). */
class SortedRows {
  private readonly value: Float64Array;
  private readonly id: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** slotOf[node id]: the slot holding that node, -1 once joined */
  private readonly slotOf: Int32Array;
  /** each row's first live entry, dense by slot so the per-step pass over all rows streams */
  private readonly firstValue: Float64Array;
  private readonly firstId: Int32Array;
  private best = Infinity;
  private bestLo = -1;
  private bestHi = -1;

  constructor(
    private readonly s: NjState,
    private readonly k: number,
  ) {
    const { n } = s;
    this.value = new Float64Array(n * k);
    this.id = new Int32Array(n * k);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.slotOf = new Int32Array(2 * n).fill(-1);
    for (let slot = 0; slot < n; slot++) this.slotOf[slot] = slot;
    this.firstValue = new Float64Array(n);
    this.firstId = new Int32Array(n);
  }

  kill(node: number): void {
    this.slotOf[node] = -1;
  }

  revive(node: number, slot: number): void {
    this.slotOf[node] = slot;
  }

  /**
   * Re-sorts the row of `slot` from the matrix: the K nearest live clusters, ascending, kept in
   * a max-heap while the row is read (O(m log K)) and then drained from the back.
   */
  sort(slot: number): void {
    const { n, d, act, node } = this.s;
    const { value, id, k } = this;
    const base = slot * k;
    let size = 0;
    for (let x = 0; x < act.length; x++) {
      const other = act[x];
      if (other === slot) continue;
      const v = d[slot * n + other];
      if (size < k) {
        siftUp(value, id, base, size++, v, node[other]);
      } else if (v < value[base]) {
        siftDown(value, id, base, size, v, node[other]);
      }
    }
    // heap sort in place: the largest goes to the back
    for (let last = size - 1; last > 0; last--) {
      const v = value[base + last];
      const i = id[base + last];
      value[base + last] = value[base];
      id[base + last] = id[base];
      siftDown(value, id, base, last, v, i);
    }
    this.start[slot] = base;
    this.end[slot] = base + size;
    this.firstValue[slot] = value[base];
    this.firstId[slot] = id[base];
  }

  /** Slots (lo < hi) of the least (Q, lo, hi): the pair the exhaustive search would join. */
  findMinQ(): [number, number] {
    const { act, r } = this.s;
    const { firstValue, firstId, slotOf } = this;
    const m = act.length;
    const c = m - 2;
    // one pass: drop dead leading entries, find u_max and the row whose first entry looks best
    let rMax = -Infinity;
    let first = act[0];
    let firstKey = Infinity;
    for (let x = 0; x < m; x++) {
      const slot = act[x];
      if (slotOf[firstId[slot]] < 0) this.dropDeadLeaders(slot);
      const rs = r[slot];
      if (rs > rMax) rMax = rs;
      const key = c * firstValue[slot] - rs;
      if (key < firstKey) {
        firstKey = key;
        first = slot;
      }
    }
    this.best = Infinity;
    this.bestLo = -1;
    this.bestHi = -1;
    // the most promising row first, so the best Q is low early and most rows are skipped
    this.walk(first, c, rMax);
    for (let x = 0; x < m; x++) {
      const slot = act[x];
      if (slot !== first && bound(c * firstValue[slot], r[slot], rMax) <= this.best) this.walk(slot, c, rMax);
    }
    return [this.bestLo, this.bestHi];
  }

  /** Moves the row's start past entries whose cluster is gone; an empty row bounds nothing (-Infinity). */
  private dropDeadLeaders(slot: number): void {
    const { value, id, slotOf } = this;
    let p = this.start[slot];
    const end = this.end[slot];
    while (p < end && slotOf[id[p]] < 0) p++;
    this.start[slot] = p;
    // an empty row: its own node stands in as a live first id, with a bound that never skips it
    this.firstValue[slot] = p < end ? value[p] : -Infinity;
    this.firstId[slot] = p < end ? id[p] : this.s.node[slot];
  }

  /** Walks the row of slot i until the bound exceeds the best Q; a full scan if the prefix runs out. */
  private walk(i: number, c: number, rMax: number): void {
    const { value, id, slotOf } = this;
    const { r } = this.s;
    const ri = r[i];
    const end = this.end[i];
    for (let p = this.start[i]; p < end; p++) {
      const k = slotOf[id[p]];
      if (k < 0) continue;
      const cv = c * value[p];
      if (bound(cv, ri, rMax) > this.best) return;
      // Q(i, k) = (m - 2) d_ik - r_lo - r_hi, in the exhaustive search's order
      if (i < k) this.consider(cv - ri - r[k], i, k);
      else this.consider(cv - r[k] - ri, k, i);
    }
    this.scanFull(i, c);
    this.sort(i);
  }

  /** Every live pair (i, k), straight from the matrix. */
  private scanFull(i: number, c: number): void {
    const { n, d, r, act } = this.s;
    const ri = r[i];
    for (let x = 0; x < act.length; x++) {
      const k = act[x];
      if (k < i) this.consider(c * d[i * n + k] - r[k] - ri, k, i);
      else if (k > i) this.consider(c * d[i * n + k] - ri - r[k], i, k);
    }
  }

  private consider(q: number, lo: number, hi: number): void {
    if (q < this.best || (q === this.best && (lo < this.bestLo || (lo === this.bestLo && hi < this.bestHi)))) {
      this.best = q;
      this.bestLo = lo;
      this.bestHi = hi;
    }
  }
}

/**
 * A floating-point lower bound on Q over entries with c d >= cv of row i: the lesser of the
 * two evaluation orders, for partners above and below i (see the header).
 */
function bound(cv: number, ri: number, rMax: number): number {
  return Math.min(cv - ri - rMax, cv - rMax - ri);
}

/** Max-heap on value[base ..]: inserts (v, i) at the end and lifts it. */
function siftUp(value: Float64Array, id: Int32Array, base: number, at: number, v: number, i: number): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (value[base + parent] >= v) break;
    value[base + at] = value[base + parent];
    id[base + at] = id[base + parent];
    at = parent;
  }
  value[base + at] = v;
  id[base + at] = i;
}

/** Max-heap of `size` on value[base ..]: replaces the top by (v, i) and sinks it. */
function siftDown(value: Float64Array, id: Int32Array, base: number, size: number, v: number, i: number): void {
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && value[base + child + 1] > value[base + child]) child++;
    if (value[base + child] <= v) break;
    value[base + at] = value[base + child];
    id[base + at] = id[base + child];
    at = child;
  }
  value[base + at] = v;
  id[base + at] = i;
}

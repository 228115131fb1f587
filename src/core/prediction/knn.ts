/**
 * Similarity-weighted k nearest neighbours on Nei distances ("knn").
 *
 *     y_hat(x) = sum_{j in N_k(x)} w_j y_j / sum_{j in N_k(x)} w_j,   w_j = exp(-D(x, j) / h)
 *
 * N_k(x) are the k training models closest to x. k in {1, 2, 3, 5, 8, 13, 21, 34, 55} below n - 1,
 * plus k = n - 1 when n - 1 <= 89, and
 * h = med(D) * {1/8, 1/4, 1/2, 1, 2, 4} (med(D): median off-diagonal training distance) are
 * chosen by cross-validated squared error on the training set (Stone 1974), ties going to the
 * smaller k then smaller h. With `groupedSelection` and training families the validation is
 * grouped (each model predicted without any model of its family); by default leave-one-out. With
 * exp(-D/h) = S^(1/h), the weights are powers of Nei identity. With `selectLength` the distances
 * themselves are a candidate too: the primary (reference allele length) and each of the training
 * set's `views` (other allele lengths), each with its own h grid, the lowest validation error
 * winning (ties to the earlier, shorter length); the query must then come at that length.
 *
 * Complexity: fit O(n^2 log n + n^2 |h|) per candidate length; prediction O(n log n).
 *
 * @see Stone M. 1974. Cross-validatory choice and assessment of statistical predictions.
 *   J R Stat Soc B 36:111-147.
 * @see Hoare CAR. 1961. Algorithm 65: Find. Commun ACM 4:321-322.
 * @see Hastie T, Tibshirani R, Friedman J. 2009. The Elements of Statistical Learning, §6.1.
 */
import {
  candidateViews,
  type FittedPredictor,
  rowOfView,
  groupIds,
  kthSmallest,
  type Predictor,
  type TrainingSet,
  medianOffDiagonal,
  validateTrainingSet,
} from './types';

// Bound once at load: these run in the innermost loops, where one lookup of `Math` per call adds up.
const { exp } = Math;

const K_GRID = [1, 2, 3, 5, 8, 13, 21, 34, 55];
/** k = n - 1 ("all", a Nadaraya-Watson smoother) joins the grid only up to this n - 1; beyond it costs O(n^2 |h|) exps. */
const MAX_ALL = 89;
const H_FACTORS = [0.125, 0.25, 0.5, 1, 2, 4];

export interface FittedKnn extends FittedPredictor {
  k: number;
  h: number;
  /** allele length of the distances the fit chose (the primary one without `selectLength`) */
  alleleLength: number;
}

export interface SelectionOptions {
  /**
   * Validate hyperparameters by leaving whole training families out (when families are given)
   * instead of single models. Default false for `knn` and `kernel-ridge` as registered (their
   * evidence in the README); `tuned` turns it on.
   */
  groupedSelection?: boolean;
  /**
   * Also choose the allele length: among the primary distances and the training set's `views`,
   * the one whose best hyperparameters have the lowest validation loss (same grouping).
   */
  selectLength?: boolean;
}

export function createKnnPredictor({
  groupedSelection = false,
  selectLength = false,
}: SelectionOptions = {}): Predictor {
  return {
    name: 'knn',
    fit(train: TrainingSet): FittedKnn {
      const n = validateTrainingSet(train);
      const y = train.scores;
      const ks = [...new Set([...K_GRID.filter((k) => k < n - 1), ...(n - 1 <= MAX_ALL ? [n - 1] : [])])];
      const group = groupIds(groupedSelection ? train : { ...train, families: undefined }, n);
      const candidates = selectLength ? candidateViews(train) : candidateViews(train).slice(0, 1);
      let best = { view: -1, alleleLength: 0, k: 1, h: 1, loss: Infinity };
      for (const c of candidates) {
        const hs = H_FACTORS.map((f) => f * medianOffDiagonal(c.distances, n));
        const chosen = chooseByLeaveOneOut(c.distances, y, n, ks, hs, group);
        // ties keep the earlier (shorter, reference first) allele length
        if (chosen.loss < best.loss - 1e-12) best = { ...chosen, view: c.view, alleleLength: c.alleleLength };
      }
      const { k, h, view, alleleLength } = best;
      return {
        k,
        h,
        alleleLength,
        hyperparameters: [
          { name: 'k', value: k },
          { name: 'h', value: h },
          ...(selectLength ? [{ name: 'alleleLength', value: alleleLength }] : []),
        ],
        predict(first: readonly number[], viewRows?: readonly (readonly number[])[]): number {
          const row = rowOfView(first, viewRows, view, n);
          if (k === n - 1) {
            const dMin = row.reduce((a, b) => Math.min(a, b), Infinity);
            const all = allWeighted(row, y, null, dMin, h);
            return all.swy / all.sw;
          }
          return weightedNeighbourMean(nearest(row, n, null, k), row, y, h);
        },
      };
    },
  };
}

/** (k, h) minimising the leave-one-out sum of squared errors; k = n - 1 ("all") is summed directly. */
function chooseByLeaveOneOut(
  d: Float64Array,
  y: readonly number[],
  n: number,
  ks: number[],
  hs: number[],
  group: Int32Array,
) {
  const sse = new Float64Array(ks.length * hs.length);
  const isOut = new Uint8Array(n);
  const row = new Array<number>(n);
  const kMax = ks.filter((k) => k < n - 1).reduce((a, b) => Math.max(a, b), 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) row[j] = d[i * n + j];
    // hold out model i with its whole family, unless that leaves nobody to learn from
    let outside = 0;
    for (let j = 0; j < n; j++) {
      isOut[j] = j === i || group[j] === group[i] ? 1 : 0;
      outside += 1 - isOut[j];
    }
    if (outside === 0) isOut.fill(0);
    isOut[i] = 1;
    const order = nearest(row, n, isOut, kMax);
    if (order.length === 0) continue;
    const dMin = row[order[0]];
    hs.forEach((h, b) => {
      // running sums over the sorted neighbours give every k in one pass
      let sw = 0;
      let swy = 0;
      let r = 0;
      ks.forEach((k, a) => {
        if (k === n - 1) {
          const all = allWeighted(row, y, isOut, dMin, h);
          sw = all.sw;
          swy = all.swy;
        }
        for (; r < Math.min(k, order.length); r++) {
          // shift by the nearest distance: exp(-(D - D_min)/h) has the same ratios and never underflows to 0/0
          const w = exp(-(row[order[r]] - dMin) / h);
          sw += w;
          swy += w * y[order[r]];
        }
        sse[a * hs.length + b] += (swy / sw - y[i]) ** 2;
      });
    });
  }
  let best = 0;
  for (let c = 1; c < sse.length; c++) if (sse[c] < sse[best] - 1e-12) best = c;
  return { k: ks[Math.floor(best / hs.length)], h: hs[best % hs.length], loss: sse[best] };
}

/** Sums of w_j and w_j y_j over all j not held out, w_j = exp(-(D_j - dMin)/h). */
function allWeighted(row: readonly number[], y: readonly number[], isOut: Uint8Array | null, dMin: number, h: number) {
  let sw = 0;
  let swy = 0;
  for (let j = 0; j < row.length; j++) {
    if (isOut !== null && isOut[j]) continue;
    const w = exp(-(row[j] - dMin) / h);
    sw += w;
    swy += w * y[j];
  }
  return { sw, swy };
}

/**
 * The k training indices nearest to `row` (ties by index), excluding those held out, sorted by distance.
 * Quickselect (Hoare 1961) finds the k-th smallest distance in O(n); only the candidates up to
 * it are sorted, which keeps a 1,000-model fit fast.
 */
function nearest(row: readonly number[], n: number, isOut: Uint8Array | null, k: number): number[] {
  const keep = (j: number) => isOut === null || isOut[j] === 0;
  const values = new Float64Array(n);
  let t = 0;
  for (let j = 0; j < n; j++) if (keep(j)) values[t++] = row[j];
  const kk = Math.min(k, t);
  if (kk === 0) return [];
  const cutoff = kthSmallest(values.subarray(0, t), kk - 1);
  const idx: number[] = [];
  for (let j = 0; j < n; j++) if (keep(j) && row[j] <= cutoff) idx.push(j);
  return idx.sort((a, b) => row[a] - row[b] || a - b).slice(0, kk);
}

function weightedNeighbourMean(order: number[], row: readonly number[], y: readonly number[], h: number): number {
  let sw = 0;
  let swy = 0;
  for (const j of order) {
    const w = exp(-(row[j] - row[order[0]]) / h);
    sw += w;
    swy += w * y[j];
  }
  return swy / sw;
}

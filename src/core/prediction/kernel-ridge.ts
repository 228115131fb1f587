/**
 * Kernel ridge regression / Gaussian-process posterior mean on Nei distances ("kernel-ridge").
 *
 *     k(a, b) = exp(-D(a, b) / ell)                       (exponential kernel on distance)
 *     alpha   = (K + lambda I)^-1 (y - y_bar)
 *     y_hat(x) = clamp01( y_bar + sum_j k(x, j) alpha_j )  (Rasmussen & Williams 2006, eq. 2.25)
 *
 * The residual from the training mean y_bar is modelled, so far-away models fall back to the
 * mean. Hyperparameters ell = med(D) * {1/4, 1/2, 1, 2, 4} and
 * lambda in {0.001, 0.01, 0.03, 0.1, 0.3, 1, 3} are chosen by the closed-form leave-one-out
 * error (R&W 2006, eq. 5.12):  y_i - y_hat_{-i} = alpha_i / [(K + lambda I)^-1]_ii.
 * (The mean y_bar is held fixed inside that formula, an O(1/n) optimism.) With `groupedSelection`
 * and training families, the held-out unit is a whole family G instead (grouped closed form):
 *     r_G - r_hat_{G|-G} = ([(K + lambda I)^-1]_GG)^-1 alpha_G
 * which scores hyperparameters on predicting a new family, the task at hand.
 * With `selectLength` the allele length is chosen the same way: the (ell, lambda) search runs on
 * the primary distances and on each of the training set's `views`, and the lowest loss wins
 * (ties to the earlier, shorter length).
 *
 * Positive definiteness: exp(-D/ell) is positive definite when D is Euclidean or, more
 * generally, a conditionally negative definite metric; Nei distances need not be. A Cholesky
 * failure therefore rules a (ell, lambda) pair out of the search, and the final fit adds
 * jitter (x10 from 1e-8 of the mean diagonal) until the factorisation succeeds.
 *
 * Speed: hyperparameters are selected on a seeded subset of at most 150 models (all models
 * when n <= 150); the final fit is one O(n^3/6) Cholesky, a few hundred ms at n = 1000.
 *
 * @see Rasmussen CE, Williams CKI. 2006. Gaussian Processes for Machine Learning. MIT Press, §2.2, §5.4.2.
 */
import { cholesky, choleskySolve, inverseDiagonal } from './linalg';
import type { SelectionOptions } from './knn';
import { createRandom, sampleIndices } from '../random';
import {
  candidateViews,
  clamp01,
  type FitOptions,
  type FittedPredictor,
  groupIds,
  medianOffDiagonal,
  type Predictor,
  rowOfView,
  type TrainingSet,
  validateTrainingSet,
} from './types';

// Bound once at load: these run in the innermost loops, where one lookup of `Math` per call adds up.
const { exp } = Math;

export const ELL_FACTORS = [0.25, 0.5, 1, 2, 4];
export const LAMBDAS = [0.001, 0.01, 0.03, 0.1, 0.3, 1, 3];
const SELECTION_SUBSET = 150;

export interface FittedKernelRidge extends FittedPredictor {
  ell: number;
  lambda: number;
  /** allele length of the distances the fit chose (the primary one without `selectLength`) */
  alleleLength: number;
}

export function createKernelRidgePredictor({
  groupedSelection = false,
  selectLength = false,
}: SelectionOptions = {}): Predictor {
  return {
    name: 'kernel-ridge',
    fit(train: TrainingSet, options: FitOptions = {}): FittedKernelRidge {
      const n = validateTrainingSet(train);
      const y = train.scores;
      // y_bar: the prior mean the kernel part corrects
      const yBar = y.reduce((s, v) => s + v, 0) / n;
      const r = y.map((v) => v - yBar);
      const subset = n <= SELECTION_SUBSET ? null : sampleIndices(createRandom(options.seed ?? 0), n, SELECTION_SUBSET);
      const groups = groupIds(groupedSelection ? train : { ...train, families: undefined }, n);
      const subsetGroups = subset ? subset.map((i) => groups[i]) : Array.from(groups);
      const candidates = selectLength ? candidateViews(train) : candidateViews(train).slice(0, 1);
      let best = { view: -1, alleleLength: 0, distances: train.distances, ell: 1, lambda: 1, loss: Infinity };
      for (const c of candidates) {
        const med = medianOffDiagonal(c.distances, n);
        const chosen = chooseHyperparameters(c.distances, n, r, med, subset, subsetGroups);
        // ties keep the earlier (shorter, reference first) allele length
        if (chosen.loss < best.loss - 1e-12 || best.loss === Infinity) best = { ...c, ...chosen };
      }
      const { ell, lambda, view, alleleLength } = best;
      const alpha = solveWithJitter(best.distances, n, r, ell, lambda);
      return {
        ell,
        lambda,
        alleleLength,
        hyperparameters: [
          { name: 'ell', value: ell },
          { name: 'lambda', value: lambda },
          ...(selectLength ? [{ name: 'alleleLength', value: alleleLength }] : []),
        ],
        predict(first: readonly number[], viewRows?: readonly (readonly number[])[]): number {
          const row = rowOfView(first, viewRows, view, n);
          let f = yBar;
          // y_hat = y_bar + k_*^T alpha
          for (let j = 0; j < n; j++) f += exp(-row[j] / ell) * alpha[j];
          return clamp01(f);
        },
      };
    },
  };
}

/** (K + lambda I) over `idx` (all models when null). */
function regularisedKernel(
  d: Float64Array,
  n: number,
  idx: number[] | null,
  ell: number,
  lambda: number,
): Float64Array {
  const m = idx ? idx.length : n;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const di = (idx ? idx[i] : i) * n;
    for (let j = 0; j <= i; j++) {
      const dj = (idx ? idx[j] : j) * n;
      const ia = idx ? idx[i] : i;
      const ja = idx ? idx[j] : j;
      // symmetrise D, then k = exp(-D/ell)
      const kij = exp(-(d[di + ja] + d[dj + ia]) / (2 * ell));
      a[i * m + j] = kij;
      a[j * m + i] = kij;
    }
    a[i * m + i] += lambda;
  }
  return a;
}

/** Minimises the closed-form LOO mean squared error over the grid. */
function chooseHyperparameters(
  d: Float64Array,
  n: number,
  r: number[],
  med: number,
  subset: number[] | null,
  groups: number[],
) {
  const rs = subset ? subset.map((i) => r[i]) : r;
  const m = rs.length;
  const blocks = groupBlocks(groups);
  let best = { ell: med, lambda: 1, loss: Infinity };
  for (const f of ELL_FACTORS) {
    // K for this ell once (its m^2 / 2 exps), then K + lambda I for each lambda: the same matrices as before
    const kernel = regularisedKernel(d, n, subset, f * med, 0);
    for (const lambda of LAMBDAS) {
      const a = kernel.slice();
      for (let i = 0; i < m; i++) a[i * m + i] += lambda;
      const l = cholesky(a, m);
      if (l === null) continue;
      const alpha = choleskySolve(l, m, rs);
      const loss = blocks === null ? leaveOneOutLoss(l, m, alpha) : leaveGroupOutLoss(l, m, alpha, blocks);
      if (loss < best.loss - 1e-12) best = { ell: f * med, lambda, loss };
    }
  }
  return best;
}

function solveWithJitter(d: Float64Array, n: number, r: number[], ell: number, lambda: number): Float64Array {
  // mean diagonal is 1 + lambda; jitter grows x10 until the factorisation succeeds
  for (let jitter = 0; jitter <= 1; jitter = jitter === 0 ? 1e-8 * (1 + lambda) : jitter * 10) {
    const l = cholesky(regularisedKernel(d, n, null, ell, lambda + jitter), n);
    if (l !== null) return choleskySolve(l, n, r);
  }
  throw new RangeError(`kernel matrix is not positive definite even with jitter (ell = ${ell}, lambda = ${lambda})`);
}

/** Member lists of the groups, or null when every group is a singleton (plain LOO) or there is only one group. */
function groupBlocks(groups: number[]): number[][] | null {
  const byId = new Map<number, number[]>();
  groups.forEach((g, i) => (byId.get(g) ?? byId.set(g, []).get(g)!).push(i));
  const blocks = [...byId.values()];
  return blocks.length === groups.length || blocks.length < 2 ? null : blocks;
}

/** sum_i e_i^2 with the LOO residual e_i = alpha_i / [A^-1]_ii. */
function leaveOneOutLoss(l: Float64Array, m: number, alpha: Float64Array): number {
  const diag = inverseDiagonal(l, m);
  let loss = 0;
  for (let i = 0; i < m; i++) loss += (alpha[i] / diag[i]) ** 2;
  return loss;
}

/**
 * sum over groups of |e_G|^2 with e_G = ([A^-1]_GG)^-1 alpha_G.
 *
 * Only the diagonal blocks of A^-1 are needed, and with A = L L^T
 *     [A^-1]_ij = sum_{k >= max(i, j)} (L^-1)_ki (L^-1)_kj,
 * so L^-1 (one triangular inversion, m^3/6 multiply-adds) and a dot product per block entry
 * (sum_G |G|^2 m) replace the m solves of a full inverse (2 m^3): the inner loop of `tuned`,
 * which runs this for every (ell, lambda) at every allele length, several times faster, choosing
 * the same hyperparameters (test/core/prediction/kernel-ridge-grouped.test.ts).
 */
export function leaveGroupOutLoss(l: Float64Array, m: number, alpha: Float64Array, blocks: number[][]): number {
  // w row i = column i of L^-1 (zero above i), by forward substitution on e_i
  const w = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const wi = i * m;
    w[wi + i] = 1 / l[i * m + i];
    for (let r = i + 1; r < m; r++) {
      // (L^-1)_ri = -(sum_{i <= k < r} L_rk (L^-1)_ki) / L_rr
      const lr = r * m;
      let sum = 0;
      for (let k = i; k < r; k++) sum -= l[lr + k] * w[wi + k];
      w[wi + r] = sum / l[lr + r];
    }
  }
  let loss = 0;
  for (const g of blocks) {
    const b = g.length;
    const sub = new Float64Array(b * b);
    for (let a = 0; a < b; a++) {
      const wi = g[a] * m;
      for (let c = 0; c <= a; c++) {
        const wj = g[c] * m;
        let dot = 0;
        for (let k = Math.max(g[a], g[c]); k < m; k++) dot += w[wi + k] * w[wj + k];
        sub[a * b + c] = dot;
        sub[c * b + a] = dot;
      }
    }
    loss += blockLoss(sub, g, alpha);
  }
  return loss;
}

/**
 * |e_G|^2 with e_G = ([A^-1]_GG)^-1 alpha_G, given `sub` = [A^-1]_GG (|G| x |G|); Infinity when
 * that block is not positive definite (the pair is then ruled out, as a failed Cholesky of K is).
 */
export function blockLoss(sub: Float64Array, g: readonly number[], alpha: Float64Array): number {
  const b = g.length;
  const lg = cholesky(sub, b);
  if (lg === null) return Infinity;
  const eg = choleskySolve(
    lg,
    b,
    g.map((i) => alpha[i]),
  );
  let loss = 0;
  for (let a = 0; a < b; a++) loss += eg[a] * eg[a];
  return loss;
}

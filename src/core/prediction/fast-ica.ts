/**
 * FastICA, parallel (symmetric) algorithm with the logcosh contrast, reproducing
 * scikit-learn 1.2's `FastICA(n_components, whiten='warn' -> 'arbitrary-variance',
 * algorithm='parallel', fun='logcosh', max_iter=200, tol=1e-4, whiten_solver='svd')`.
 *
 * Steps (X: n samples x p features):
 *   1. centre:   Xc = X - mean (per feature)
 *   2. whiten:   Xc^T = U diag(d) V^T (thin SVD; U from the eigenvectors of Xc^T Xc, d = sqrt(eig)),
 *                columns of U sign-flipped so U[0, k] >= 0 (sklearn's `u *= np.sign(u[0])`),
 *                K = (U / d)^T [:c]  (c x p),  X1 = sqrt(n) K Xc^T  (c x n)
 *   3. iterate:  W <- sym(W_init); repeat  W+ = sym( g(W X1) X1^T / n - diag(mean g'(W X1)) W )
 *                with g = tanh, g' = 1 - tanh^2, sym(W) = (W W^T)^(-1/2) W,
 *                until max_k | |<W+_k, W_k>| - 1 | < tol  (Hyvärinen & Oja 2000, eq. 45-46)
 *   4. output:   components = W K (c x p), sources S = Xc components^T (n x c);
 *                a new sample x maps to (x - mean) components^T.
 * With 'arbitrary-variance' the sources are NOT rescaled to unit variance: their variance is
 * 1/n, which is why the reference predictor's outputs come out compressed.
 *
 * Deviation (documented): the number of components is capped at the numerical rank of Xc
 * (singular values above 1e-10 * d_max). sklearn caps at min(n, p) only, and for a square
 * distance block that keeps a ~0 singular value (centring removes one rank) and divides by it.
 *
 * Complexity: O(p^3) for the Jacobi eigen-decomposition of the p x p Gram matrix plus
 * O(iterations * c^2 n) for the fixed-point loop.
 *
 * @see Hyvärinen A, Oja E. 2000. Independent component analysis: algorithms and applications.
 *   Neural Networks 13:411-430.
 * @see scikit-learn 1.2 sklearn/decomposition/_fastica.py (`_ica_par`, `_sym_decorrelation`).
 */
import { PhyloInputError } from '../errors';
import { matMul, symmetricEigen, transpose } from './linalg';
import { normal, type Random } from '../random';

// Bound once at load: these run in the innermost loops, where one lookup of `Math` per call adds up.
const { tanh, sqrt } = Math;

export interface FastIcaOptions {
  /** Requested components (default min(n, p)); capped at the numerical rank of the centred data. */
  nComponents?: number;
  /** Initial unmixing matrix, c x c row-major (sklearn's `w_init`); default N(0, 1) draws from `random`. */
  wInit?: ArrayLike<number>;
  random?: Random;
  maxIter?: number;
  tol?: number;
}

export interface FastIcaModel {
  /** c: number of components actually extracted. */
  nComponents: number;
  nFeatures: number;
  /** Per-feature mean of the training data (length p). */
  mean: Float64Array;
  /** Unmixing applied to centred data, c x p row-major (sklearn's `components_`). */
  components: Float64Array;
  /** Sources of the training samples, n x c row-major (sklearn's `fit_transform` output). */
  sources: Float64Array;
  nIter: number;
  converged: boolean;
}

/** Fits FastICA to `x` (n samples x p features, row-major). */
export function fastIca(x: Float64Array, n: number, p: number, options: FastIcaOptions = {}): FastIcaModel {
  const { maxIter = 200, tol = 1e-4 } = options;
  if (n < 2 || x.length !== n * p)
    throw new PhyloInputError(`FastICA needs an n x p matrix with n >= 2, got length ${x.length} for ${n} x ${p}`);
  const mean = columnMeans(x, n, p);
  const xc = centre(x, n, p, mean);
  const { k, c } = whitening(xc, n, p, options.nComponents ?? Math.min(n, p));
  // X1 = sqrt(n) K Xc^T  (c x n)
  const x1 = matMul(k, transpose(xc, n, p), c, p, n);
  for (let i = 0; i < x1.length; i++) x1[i] *= sqrt(n);
  const w0 = initialUnmixing(c, options);
  const { w, nIter, converged } = icaParallel(x1, c, n, w0, maxIter, tol);
  const components = matMul(w, k, c, c, p);
  const sources = matMul(xc, transpose(components, c, p), n, p, c);
  return { nComponents: c, nFeatures: p, mean, components, sources, nIter, converged };
}

/** Sources of a new sample: (x - mean) components^T. */
export function icaTransform(model: FastIcaModel, x: ArrayLike<number>): Float64Array {
  const { nComponents: c, nFeatures: p, mean, components } = model;
  if (x.length !== p) throw new PhyloInputError(`sample must have ${p} features, got ${x.length}`);
  const s = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let sum = 0;
    for (let f = 0; f < p; f++) sum += (x[f] - mean[f]) * components[j * p + f];
    s[j] = sum;
  }
  return s;
}

/** K = (U / d)^T restricted to the first c (capped at the numerical rank) left singular vectors of Xc^T. */
function whitening(xc: Float64Array, n: number, p: number, requested: number): { k: Float64Array; c: number } {
  // Xc^T Xc = U diag(d^2) U^T, so U are the left singular vectors of Xc^T and d its singular values
  const gram = matMul(transpose(xc, n, p), xc, p, n, p);
  const { values, vectors } = symmetricEigen(gram, p);
  const d = Array.from(values, (v) => sqrt(Math.max(v, 0)));
  const rank = d.filter((di) => di > 1e-10 * d[0]).length;
  const c = Math.max(1, Math.min(requested, n, p, rank));
  const k = new Float64Array(c * p);
  for (let j = 0; j < c; j++) {
    // sklearn: u *= np.sign(u[0]), then K = (u / d).T
    const sign = vectors[j] < 0 ? -1 : 1;
    for (let f = 0; f < p; f++) k[j * p + f] = (sign * vectors[f * p + j]) / d[j];
  }
  return { k, c };
}

/** Parallel FastICA fixed-point iteration on whitened data x1 (c x n). */
function icaParallel(x1: Float64Array, c: number, n: number, wInit: Float64Array, maxIter: number, tol: number) {
  let w = symmetricDecorrelation(wInit, c);
  const x1t = transpose(x1, c, n);
  for (let iter = 1; iter <= maxIter; iter++) {
    // G = tanh(W X1); g'_k = mean_s (1 - G_ks^2)
    const g = matMul(w, x1, c, c, n);
    const gPrime = new Float64Array(c);
    for (let j = 0; j < c; j++) {
      let sum = 0;
      for (let s = 0; s < n; s++) {
        const t = tanh(g[j * n + s]);
        g[j * n + s] = t;
        sum += 1 - t * t;
      }
      gPrime[j] = sum / n;
    }
    // W+ = sym( G X1^T / n - diag(g') W )
    const update = matMul(g, x1t, c, n, c);
    for (let j = 0; j < c; j++)
      for (let i = 0; i < c; i++) update[j * c + i] = update[j * c + i] / n - gPrime[j] * w[j * c + i];
    const w1 = symmetricDecorrelation(update, c);
    const lim = convergenceGap(w1, w, c);
    w = w1;
    if (lim < tol) return { w, nIter: iter, converged: true };
  }
  return { w, nIter: maxIter, converged: false };
}

/** max_k | |<W1_k, W_k>| - 1 |, sklearn's stopping criterion. */
function convergenceGap(w1: Float64Array, w: Float64Array, c: number): number {
  let lim = 0;
  for (let j = 0; j < c; j++) {
    let dot = 0;
    for (let i = 0; i < c; i++) dot += w1[j * c + i] * w[j * c + i];
    lim = Math.max(lim, Math.abs(Math.abs(dot) - 1));
  }
  return lim;
}

/** sym(W) = (W W^T)^(-1/2) W = E diag(1/sqrt(s)) E^T W, eigenvalues clipped at the smallest positive double. */
export function symmetricDecorrelation(w: Float64Array, c: number): Float64Array {
  const { values, vectors } = symmetricEigen(matMul(w, transpose(w, c, c), c, c, c), c);
  const scaled = new Float64Array(c * c);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) scaled[i * c + j] = vectors[i * c + j] / sqrt(Math.max(values[j], Number.MIN_VALUE));
  }
  return matMul(matMul(scaled, transpose(vectors, c, c), c, c, c), w, c, c, c);
}

function initialUnmixing(c: number, options: FastIcaOptions): Float64Array {
  if (options.wInit !== undefined) {
    if (options.wInit.length < c * c)
      throw new PhyloInputError(`wInit must hold at least ${c} x ${c} values, got ${options.wInit.length}`);
    // a larger wInit (requested components > rank) is cut to its top-left c x c block
    const side = Math.round(sqrt(options.wInit.length));
    const w = new Float64Array(c * c);
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) w[i * c + j] = options.wInit[i * side + j];
    return w;
  }
  if (!options.random) throw new PhyloInputError('FastICA needs either wInit or a seeded random source');
  const random = options.random;
  return Float64Array.from({ length: c * c }, () => normal(random));
}

function columnMeans(x: Float64Array, n: number, p: number): Float64Array {
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) mean[f] += x[i * p + f];
  for (let f = 0; f < p; f++) mean[f] /= n;
  return mean;
}

function centre(x: Float64Array, n: number, p: number, mean: Float64Array): Float64Array {
  const xc = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) xc[i * p + f] = x[i * p + f] - mean[f];
  return xc;
}

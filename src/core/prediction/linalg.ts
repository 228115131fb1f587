/**
 * Small dense linear algebra on row-major Float64Arrays, enough for FastICA whitening and
 * kernel ridge regression.
 *
 * - `symmetricEigen`: cyclic Jacobi rotations (Golub & Van Loan 2013, Alg. 8.5.3). Simple and
 *   accurate to working precision (small eigenvalues get small absolute error); O(n^3) per
 *   sweep, typically 6-10 sweeps, so meant for n up to a few hundred.
 * - `cholesky`: A = L L^T by the Cholesky-Banachiewicz recurrence, O(n^3/6); returns null when
 *   A is not numerically positive definite so callers can add jitter.
 * - `choleskySolve`: forward then back substitution, O(n^2).
 * - `inverseDiagonal`: diag(A^-1) = column sums of squares of L^-1, O(n^3/6).
 * An SVD X = U diag(d) V^T is obtained from the eigen-decomposition of the Gram matrix
 * X^T X = V diag(d^2) V^T (see fast-ica.ts), which is all FastICA's whitening needs.
 *
 * @see Golub GH, Van Loan CF. 2013. Matrix Computations, 4th ed. Johns Hopkins UP. §4.2, §8.5.
 */
import { PhyloInputError } from '../errors';

// Bound once at load: these run in the innermost loops, where one lookup of `Math` per call adds up.
const { sqrt, abs } = Math;

/** Eigenvalues sorted in decreasing order; column k of `vectors` (n x n, row-major) is the k-th eigenvector. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/** Eigen-decomposition of the symmetric n x n matrix `a` (only read, never mutated). */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  assertSquare(a, n);
  const m = Float64Array.from(a);
  const v = identity(n);
  const scale = frobenius(m);
  for (let sweep = 0; sweep < 100; sweep++) {
    if (offDiagonalNorm(m, n) <= 1e-15 * scale) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(m, v, n, p, q);
    }
  }
  return sortEigen(m, v, n);
}

/**
 * One Jacobi rotation zeroing m[p][q]: m <- P^T m P, v <- v P, with P the plane rotation
 * [[c, s], [-s, c]] at (p, q) (Numerical Recipes sign convention).
 */
function rotate(m: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = m[p * n + q];
  if (apq === 0) return;
  // theta = (a_qq - a_pp) / (2 a_pq); t = sgn(theta) / (|theta| + sqrt(theta^2 + 1)) is the smaller root of t^2 + 2 theta t - 1 = 0
  const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
  const t = (theta >= 0 ? 1 : -1) / (abs(theta) + sqrt(theta * theta + 1));
  // c = 1 / sqrt(t^2 + 1), s = t c
  const c = 1 / sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    // columns: col_p' = c col_p - s col_q, col_q' = s col_p + c col_q
    const mkp = m[k * n + p];
    const mkq = m[k * n + q];
    m[k * n + p] = c * mkp - s * mkq;
    m[k * n + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < n; k++) {
    // rows: row_p' = c row_p - s row_q, row_q' = s row_p + c row_q
    const mpk = m[p * n + k];
    const mqk = m[q * n + k];
    m[p * n + k] = c * mpk - s * mqk;
    m[q * n + k] = s * mpk + c * mqk;
  }
  m[p * n + q] = 0;
  m[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p];
    const vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

function sortEigen(m: Float64Array, v: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j] - m[i * n + i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = m[src * n + src];
    for (let i = 0; i < n; i++) vectors[i * n + k] = v[i * n + src];
  });
  return { values, vectors };
}

/**
 * Lower-triangular L with A = L L^T, or null if a pivot is not positive (A not numerically
 * positive definite). Only the lower triangle of `a` is read.
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  assertSquare(a, n);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      // L_ij = (A_ij - sum_{k<j} L_ik L_jk) / L_jj, and L_ii = sqrt(A_ii - sum_{k<i} L_ik^2)
      const ri = i * n;
      const rj = j * n;
      const sum = a[ri + j] - rowDot(l, ri, rj, j);
      if (i === j) {
        if (!(sum > 0)) return null;
        l[ri + i] = sqrt(sum);
      } else {
        l[ri + j] = sum / l[rj + j];
      }
    }
  }
  return l;
}

/** sum_{k<len} v[a+k] v[b+k], unrolled by 4 (the hot loop of the Cholesky factorisation). */
function rowDot(v: Float64Array, a: number, b: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += v[a + k] * v[b + k];
    s1 += v[a + k + 1] * v[b + k + 1];
    s2 += v[a + k + 2] * v[b + k + 2];
    s3 += v[a + k + 3] * v[b + k + 3];
  }
  for (; k < len; k++) s0 += v[a + k] * v[b + k];
  return s0 + s1 + s2 + s3;
}

/** x with L L^T x = b. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // forward: y_i = (b_i - sum_{k<i} L_ik y_k) / L_ii
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * y[k];
    y[i] = sum / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    // back: x_i = (y_i - sum_{k>i} L_ki x_k) / L_ii
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
    x[i] = sum / l[i * n + i];
  }
  return x;
}

/** diag(A^-1) from A's Cholesky factor: (A^-1)_ii = sum_k ((L^-1)_ki)^2. */
export function inverseDiagonal(l: Float64Array, n: number): Float64Array {
  const diag = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    // column j of L^-1 by forward substitution on e_j (entries above j are zero)
    col.fill(0);
    col[j] = 1 / l[j * n + j];
    diag[j] += col[j] * col[j];
    for (let i = j + 1; i < n; i++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= l[i * n + k] * col[k];
      col[i] = sum / l[i * n + i];
      diag[j] += col[i] * col[i];
    }
  }
  return diag;
}

/** C = A B for A (m x k) and B (k x p), all row-major. */
export function matMul(a: Float64Array, b: Float64Array, m: number, k: number, p: number): Float64Array {
  const c = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      const ait = a[i * k + t];
      if (ait === 0) continue;
      for (let j = 0; j < p; j++) c[i * p + j] += ait * b[t * p + j];
    }
  }
  return c;
}

/** A^T for A (m x k). */
export function transpose(a: Float64Array, m: number, k: number): Float64Array {
  const t = new Float64Array(k * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) t[j * m + i] = a[i * k + j];
  return t;
}

export function identity(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

function frobenius(m: Float64Array): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) s += m[i] * m[i];
  return sqrt(s);
}

function offDiagonalNorm(m: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += m[i * n + j] * m[i * n + j];
  return sqrt(s);
}

function assertSquare(a: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n) {
    throw new PhyloInputError(`matrix must be n x n with n >= 1: got length ${a.length} for n = ${n}`);
  }
}

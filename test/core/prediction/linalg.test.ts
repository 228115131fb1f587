import {
  cholesky,
  choleskySolve,
  inverseDiagonal,
  matMul,
  symmetricEigen,
  transpose,
} from '../../../src/core/prediction/linalg';
import { createRandom, normal } from '../../../src/core/random';

function randomSymmetric(n: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const b = Float64Array.from({ length: n * n }, () => normal(random));
  // B B^T + n I is symmetric positive definite
  const a = matMul(b, transpose(b, n, n), n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}

describe('symmetricEigen', () => {
  it('symmetricEigen(2x2) matches the closed form', () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1)/sqrt2 and (1, -1)/sqrt2
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0] * vectors[2]).toBeCloseTo(0.5, 12);
  });

  it('symmetricEigen(A) reconstructs A = V diag(values) V^T with orthonormal V, values decreasing', () => {
    const n = 12;
    const a = randomSymmetric(n, 3);
    const copy = Float64Array.from(a);
    const { values, vectors } = symmetricEigen(a, n);
    expect(a).toEqual(copy);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    const scaled = Float64Array.from(vectors, (v, idx) => v * values[idx % n]);
    const rebuilt = matMul(scaled, transpose(vectors, n, n), n, n, n);
    const vtv = matMul(transpose(vectors, n, n), vectors, n, n, n);
    for (let i = 0; i < n * n; i++) {
      expect(rebuilt[i]).toBeCloseTo(a[i], 9);
      expect(vtv[i]).toBeCloseTo(i % (n + 1) === 0 ? 1 : 0, 12);
    }
  });
});

describe('cholesky', () => {
  it('cholesky(A) solves A x = b and gives diag(A^-1)', () => {
    const n = 9;
    const a = randomSymmetric(n, 5);
    const l = cholesky(a, n);
    expect(l).not.toBeNull();
    const b = Array.from({ length: n }, (_, i) => i - 4);
    const x = choleskySolve(l!, n, b);
    const ax = matMul(a, x, n, n, 1);
    ax.forEach((v, i) => expect(v).toBeCloseTo(b[i], 10));
    // column j of A^-1 solves A c = e_j
    const diag = inverseDiagonal(l!, n);
    for (let j = 0; j < n; j++) {
      const e = Array.from({ length: n }, (_, i) => (i === j ? 1 : 0));
      expect(diag[j]).toBeCloseTo(choleskySolve(l!, n, e)[j], 12);
    }
  });

  it('cholesky(indefinite) returns null', () => {
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
  });
});

/**
 * Kernel ridge's grouped closed form (leave one family out inside the training models, the inner
 * loop of `tuned`) takes the diagonal blocks of (K + lambda I)^-1 from L^-1 instead of a full
 * inverse (issue 15, item 3). These check it against the full inverse it replaced, on the real
 * data's kernels at every allele length and every (ell, lambda) of the grid: the same losses,
 * hence the same hyperparameters chosen.
 */
import { blockLoss, ELL_FACTORS, LAMBDAS, leaveGroupOutLoss } from '../../../src/core/prediction/kernel-ridge';
import { cholesky, choleskySolve } from '../../../src/core/prediction/linalg';
import { medianOffDiagonal } from '../../../src/core/prediction/types';
import { TUNED_ALLELE_LENGTHS } from '../../../src/core/prediction/tuned';
import { labelledSet, misguidedAttention } from '../../helpers/allele-views';

/** The loss as it was computed before: A^-1 column by column (m solves), then each block's loss. */
function lossByFullInverse(l: Float64Array, m: number, alpha: Float64Array, blocks: number[][]): number {
  const inv = new Float64Array(m * m);
  const e = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    e.fill(0);
    e[j] = 1;
    inv.set(choleskySolve(l, m, e), j * m);
  }
  let loss = 0;
  for (const g of blocks) {
    const b = g.length;
    const sub = new Float64Array(b * b);
    g.forEach((i, a) => g.forEach((j, c) => (sub[a * b + c] = inv[i * m + j])));
    loss += blockLoss(sub, g, alpha);
  }
  return loss;
}

/** K + lambda I with k = exp(-(D_ij + D_ji) / (2 ell)), as kernel ridge builds it. */
function kernel(d: Float64Array, n: number, ell: number, lambda: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      a[i * n + j] = Math.exp(-(d[i * n + j] + d[j * n + i]) / (2 * ell)) + (i === j ? lambda : 0);
  return a;
}

const set = labelledSet(misguidedAttention(), TUNED_ALLELE_LENGTHS);
const n = set.scores.length;
const yBar = set.scores.reduce((s, v) => s + v, 0) / n;
const r = set.scores.map((v) => v - yBar);
const blocks = [...new Set(set.families!)].map((f) => set.families!.flatMap((g, i) => (g === f ? [i] : [])));
const lengths = [{ alleleLength: 4, distances: set.distances }, ...set.views!];

describe('grouped closed-form loss of kernel ridge from L^-1', () => {
  it.each(lengths.map((v) => [v.alleleLength, v.distances] as const))(
    'equals the full-inverse loss at allele length %i for every (ell, lambda), so the same pair is chosen',
    (_length, d) => {
      const med = medianOffDiagonal(d, n);
      let bestFast = { at: -1, loss: Infinity };
      let bestFull = { at: -1, loss: Infinity };
      let compared = 0;
      ELL_FACTORS.forEach((f, a) =>
        LAMBDAS.forEach((lambda, b) => {
          const l = cholesky(kernel(d, n, f * med, lambda), n);
          if (l === null) return;
          const alpha = choleskySolve(l, n, r);
          const fast = leaveGroupOutLoss(l, n, alpha, blocks);
          const full = lossByFullInverse(l, n, alpha, blocks);
          expect(Math.abs(fast - full)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(full)));
          compared++;
          // the selection's rule: strictly lower by more than 1e-12, first wins ties
          if (fast < bestFast.loss - 1e-12) bestFast = { at: a * LAMBDAS.length + b, loss: fast };
          if (full < bestFull.loss - 1e-12) bestFull = { at: a * LAMBDAS.length + b, loss: full };
        }),
      );
      expect(compared).toBeGreaterThan(ELL_FACTORS.length * LAMBDAS.length * 0.5);
      expect(bestFast.at).toBe(bestFull.at);
    },
  );

  it('with A = I the loss is |alpha|^2: each held-out family keeps its whole residual', () => {
    const m = 4;
    const l = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const alpha = new Float64Array([1, 2, 3, 4]);
    expect(
      leaveGroupOutLoss(l, m, alpha, [
        [0, 1],
        [2, 3],
      ]),
    ).toBeCloseTo(30, 12);
    expect(
      lossByFullInverse(l, m, alpha, [
        [0, 1],
        [2, 3],
      ]),
    ).toBeCloseTo(30, 12);
  });
});

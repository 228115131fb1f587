/**
 * Split-conformal prediction intervals from held-out residuals.
 *
 * With n calibration residuals r_i = y_i - y_hat_i exchangeable with the test point's, the
 * interval y_hat +/- q with
 *
 *     q = the ceil((n + 1) * level)-th smallest |r_i|      (q = +Infinity if that exceeds n)
 *
 * covers the true score with probability >= level (Vovk et al. 2005; Lei et al. 2018, Thm 2.2);
 * the (n + 1) is the finite-sample correction for the test point itself.
 *
 * Absolute rather than signed residuals: the symmetric score needs one order statistic at
 * rank ceil((n+1) level), while a signed two-tailed interval needs two at level (1 +/- level)/2
 * each, so with the ~50 residuals of a leave-one-family-out run it is far more often finite and
 * less noisy. Bias here is not a constant shift either: shrinkage toward the mean makes the sign
 * of the residual depend on the true score, which a global signed quantile cannot fix.
 *
 * Complexity: O(n log n).
 *
 * @see Vovk V, Gammerman A, Shafer G. 2005. Algorithmic Learning in a Random World. Springer.
 * @see Lei J, G'Sell M, Rinaldo A, Tibshirani RJ, Wasserman L. 2018. Distribution-free predictive
 *   inference for regression. J Am Stat Assoc 113:1094-1111.
 */
import { PhyloInputError } from '../errors';

/** Offsets to add to a point prediction: [y_hat + lower, y_hat + upper], with lower = -upper. */
export interface ConformalOffsets {
  lower: number;
  upper: number;
}

export function conformalInterval(residuals: readonly number[], level = 0.8): ConformalOffsets {
  if (!(level > 0 && level < 1)) throw new PhyloInputError(`level must be in (0, 1), got ${level}`);
  residuals.forEach((r, i) => {
    if (!Number.isFinite(r)) throw new PhyloInputError(`residuals must be finite: residual ${i} is ${r}`);
  });
  const n = residuals.length;
  // rank = ceil((n + 1) * level); the small epsilon keeps e.g. (9 + 1) * 0.8 = 8.000000000000002 at 8,
  // and the floor of 1 keeps a tiny level (below about 1e-9 / (n + 1)) from rounding to rank 0,
  // which would read past the start of `sorted` (NaN); for any level > 0 the true rank is >= 1.
  const rank = Math.max(1, Math.ceil((n + 1) * level - 1e-9));
  if (rank > n) return { lower: -Infinity, upper: Infinity };
  const sorted = Float64Array.from(residuals, Math.abs).sort();
  const q = sorted[rank - 1];
  return { lower: -q, upper: q };
}

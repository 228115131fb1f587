/**
 * Equal-weight average of knn and kernel ridge ("ensemble").
 *
 *     y_hat(x) = ( y_hat_knn(x) + y_hat_kernel-ridge(x) ) / 2
 *
 * Each member selects its own hyperparameters as it does alone (knn.ts, kernel-ridge.ts). The two
 * err differently: knn copies its nearest relatives (sharp, noisy), kernel ridge smooths every
 * training model toward the mean (stable, biased), and averaging two unbiased-ish estimators with
 * partly independent errors lowers the variance of the prediction (Breiman 1996; Hastie et al.
 * 2009, §8.8). The weights are fixed at 1/2 rather than fitted: with a few dozen scored models a
 * learnt stacking weight would itself be noisy. It was the default until issue 15; the default
 * now runs it on distances averaged over allele lengths (multiscale.ts), and `tuned` (tuned.ts)
 * builds it from members that choose by leave-one-family-out (README, "Predictions").
 *
 * Complexity: the sum of the members' (fit O(n^3) for kernel ridge, prediction O(n log n) + O(n)).
 *
 * @see Breiman L. 1996. Stacked regressions. Machine Learning 24:49-64.
 * @see Hastie T, Tibshirani R, Friedman J. 2009. The Elements of Statistical Learning, §8.8.
 */
import { createKernelRidgePredictor } from './kernel-ridge';
import { createKnnPredictor } from './knn';
import { clamp01, type FitOptions, type FittedPredictor, type Predictor, type TrainingSet } from './types';

export interface FittedEnsemble extends FittedPredictor {
  members: FittedPredictor[];
}

export function createEnsemblePredictor(
  members: () => Predictor[] = () => [createKnnPredictor(), createKernelRidgePredictor()],
  { name = 'ensemble', alleleLengths }: { name?: string; alleleLengths?: readonly number[] } = {},
): Predictor {
  return {
    name,
    alleleLengths,
    fit(train: TrainingSet, options: FitOptions = {}): FittedEnsemble {
      const made = members();
      const fitted = made.map((m) => m.fit(train, options));
      return {
        members: fitted,
        // each member's choices, named after it ("knn.k", "kernel-ridge.alleleLength", ...)
        hyperparameters: fitted.flatMap((f, i) =>
          (f.hyperparameters ?? []).map((p) => ({ name: `${made[i].name}.${p.name}`, value: p.value })),
        ),
        predict(row: readonly number[], viewRows?: readonly (readonly number[])[]): number {
          // y_hat = (1/m) sum_k y_hat_k; each member validates the query
          let sum = 0;
          for (const f of fitted) sum += f.predict(row, viewRows);
          return clamp01(sum / fitted.length);
        },
      };
    },
  };
}

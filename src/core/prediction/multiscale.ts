/**
 * The ensemble (knn + kernel ridge) on Nei distances averaged over several allele lengths
 * ("multiscale").
 *
 *     D_bar(a, b) = (1 / |L|) sum_{l in L} D_l(a, b),    L = MULTISCALE_ALLELE_LENGTHS = {4, 6, 8, 12, 16}
 *     y_hat(x)    = ensemble fitted on D_bar (ensemble.ts: knn and kernel ridge, each choosing its
 *                   hyperparameters by cross-validation on the training models only)
 *
 * D_l is the Nei distance with alleles of l characters, counted from the same raw samples. Short
 * alleles merge continuations that differ later on; long ones split every sample into its own
 * allele and similarities collapse to noise. Rather than choose one l, which on a few dozen
 * scored models is itself a noisy choice (README, "Predictions": choosing l by inner
 * leave-one-family-out, `tuned`, lost to this on the real data), every l in a fixed, documented
 * set contributes: D_bar = -ln of the geometric mean of the Nei identities, the distance analogue
 * of summing string kernels over several substring lengths (the weighted-degree kernel of Rätsch
 * & Sonnenburg 2004; the spectrum kernels of Leslie et al. 2002). The set is fixed in advance, not
 * tuned on the evaluation data. Where longer alleles add nothing (each continuation already a
 * distinct allele at 4 characters, as in the simulated zoo) D_bar = D_4 and this is `ensemble`.
 *
 * Complexity: the ensemble's, plus O(|L| n^2) to average; the server counts the extra lengths'
 * populations from the stored samples and caches their matrices (DistanceService).
 *
 * @see Rätsch G, Sonnenburg S. 2004. Accurate splice site detection for Caenorhabditis elegans.
 *   In Kernel Methods in Computational Biology, MIT Press, 277-298.
 * @see Leslie C, Eskin E, Noble WS. 2002. The spectrum kernel: a string kernel for SVM protein
 *   classification. Pacific Symposium on Biocomputing 7:564-575.
 */
import { PhyloInputError } from '../errors';
import { createEnsemblePredictor } from './ensemble';
import {
  type FitOptions,
  type FittedPredictor,
  type Predictor,
  type TrainingSet,
  validateQuery,
  validateTrainingSet,
} from './types';

/** The allele lengths averaged (the first is the reference length of the primary distances). */
export const MULTISCALE_ALLELE_LENGTHS: readonly number[] = Object.freeze([4, 6, 8, 12, 16]);

export function createMultiscalePredictor(inner: () => Predictor = () => createEnsemblePredictor()): Predictor {
  const lengths = MULTISCALE_ALLELE_LENGTHS.slice(1);
  return {
    name: 'multiscale',
    alleleLengths: lengths,
    fit(train: TrainingSet, options: FitOptions = {}): FittedPredictor {
      const n = validateTrainingSet(train);
      // the views averaged: those at MULTISCALE lengths (the server passes all; without any this is the ensemble)
      const at = (train.views ?? []).flatMap((view, v) => (lengths.includes(view.alleleLength) ? [v] : []));
      const mats = [train.distances, ...at.map((v) => train.views![v].distances)];
      const mean = new Float64Array(n * n);
      for (const m of mats) for (let k = 0; k < mean.length; k++) mean[k] += m[k] / mats.length;
      const fitted = inner().fit({ distances: mean, scores: train.scores, families: train.families }, options);
      return {
        hyperparameters: [...(fitted.hyperparameters ?? []), { name: 'alleleLengthsAveraged', value: mats.length }],
        predict(row: readonly number[], viewRows?: readonly (readonly number[])[]): number {
          validateQuery(row, n);
          const rows = at.map((v) => {
            const r = viewRows?.[v];
            if (!r)
              throw new PhyloInputError(
                `multiscale was fitted with allele length ${train.views![v].alleleLength}: its distances are needed too`,
              );
            validateQuery(r, n);
            return r;
          });
          // D_bar for the query, as for the training models
          return fitted.predict(row.map((d, j) => rows.reduce((s, r) => s + r[j], d) / (rows.length + 1)));
        },
      };
    },
  };
}

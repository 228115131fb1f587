/**
 * The ensemble of knn and kernel ridge with every choice made by leave-one-family-out inside the
 * training models ("tuned").
 *
 *     y_hat(x) = ( y_hat_knn(x; k, h, L_knn) + y_hat_kernel-ridge(x; ell, lambda, L_kr) ) / 2
 *
 * Each member chooses its hyperparameters AND the allele length L of its distances, from
 * TUNED_ALLELE_LENGTHS (4, the reference, plus longer alleles counted from the same raw samples),
 * by grouped cross-validation over the training families (knn.ts, kernel-ridge.ts with
 * `groupedSelection` and `selectLength`): a candidate is scored on predicting each training
 * family from the other training families, the task a prediction faces. Plain leave-one-out lets
 * a model's own relatives vote for the hyperparameters that copy them, which favours small k and
 * narrow kernels that do not carry over to a new family (Roberts et al. 2017, blocked
 * cross-validation). Longer alleles separate continuations that share their first 4 characters,
 * so they carry more signal about capability, until they turn into singletons (every sample its
 * own allele) and similarities collapse; the inner loop finds where that happens for the data.
 *
 * The selection only ever sees the training set it is given: evaluation.ts then nests it inside
 * each outer fold, so a reported error never rests on a choice made with the held-out family.
 *
 * Complexity: |L| times each member's selection (knn O(n^2 log n + n^2 |h|) per length, kernel
 * ridge O(m^3 |ell| |lambda|) with m <= 150, plus O(m^3) per grouped solve) and one final fit each.
 *
 * @see Roberts DR et al. 2017. Cross-validation strategies for data with temporal, spatial,
 *   hierarchical, or phylogenetic structure. Ecography 40:913-929.
 * @see Varma S, Simon R. 2006. Bias in error estimation when using cross-validation for model
 *   selection. BMC Bioinformatics 7:91.
 */
import { createEnsemblePredictor } from './ensemble';
import { createKernelRidgePredictor } from './kernel-ridge';
import { createKnnPredictor } from './knn';
import type { Predictor } from './types';

/** The allele lengths `tuned` chooses among (the first is the reference length of the primary distances). */
export const TUNED_ALLELE_LENGTHS: readonly number[] = Object.freeze([4, 6, 8, 12, 16]);

export function createTunedPredictor(): Predictor {
  const selection = { groupedSelection: true, selectLength: true };
  const ensemble = createEnsemblePredictor(
    () => [createKnnPredictor(selection), createKernelRidgePredictor(selection)],
    { name: 'tuned', alleleLengths: TUNED_ALLELE_LENGTHS.slice(1) },
  );
  // the members select once per allele length (and grouped kernel-ridge selection inverts the whole
  // kernel matrix): about the lengths' count times the ensemble's work per fit
  return { ...ensemble, fitCost: TUNED_ALLELE_LENGTHS.length };
}

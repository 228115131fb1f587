/**
 * Registry of benchmark-score predictors, keyed by name. Unknown names fail loudly with the
 * list of available ones.
 *
 * `defaultPredictorName` is the predictor with the best leave-one-family-out MAE on the real
 * Misguided Attention data (test/core/prediction/real-data.test.ts prints the table): knn
 * MAE 0.102 (r 0.48) against reference 0.109 (r 0.32), kernel-ridge 0.116, mean 0.119, with
 * 58 models in 16 families. The margin is small and the data noisy (2-3 samples per gene).
 */
import { PhyloInputError } from '../errors';
import { createEnsemblePredictor } from './ensemble';
import { createKernelRidgePredictor } from './kernel-ridge';
import { createKnnPredictor } from './knn';
import { createMeanPredictor } from './mean';
import { createReferencePredictor } from './reference';
import type { Predictor } from './types';

const predictors: Record<string, () => Predictor> = {
  reference: () => createReferencePredictor(),
  knn: () => createKnnPredictor(),
  'kernel-ridge': () => createKernelRidgePredictor(),
  ensemble: () => createEnsemblePredictor(),
  mean: () => createMeanPredictor(),
};

export const predictorNames: readonly string[] = Object.freeze(Object.keys(predictors));

export const defaultPredictorName = 'ensemble';

export function getPredictor(name: string): Predictor {
  const make = Object.prototype.hasOwnProperty.call(predictors, name) ? predictors[name] : undefined;
  if (!make) throw new PhyloInputError(`unknown predictor: ${name}; available: ${predictorNames.join(', ')}`);
  return make();
}

/**
 * Registry of benchmark-score predictors, keyed by name. Unknown names fail loudly with the
 * list of available ones.
 *
 * `defaultPredictorName` is chosen by leave-one-family-out evidence on two data sets (README,
 * "Predictions"; `BENCH=prediction-evidence npm run bench`): the real Misguided Attention data
 * (58 models, 16 families, 64-character samples) and the simulated zoo (24 scored models, 5
 * families, seeds 0-15). `multiscale` (the ensemble on Nei distances averaged over allele lengths
 * 4, 6, 8, 12 and 16) beats `ensemble` on the real data, r 0.445 vs 0.350 and MAE 0.097 vs 0.103,
 * with 80% intervals covering 0.810; on the zoo, whose continuations are already distinct at 4
 * characters, it is the ensemble (mean r 0.635, MAE 0.125 on both). `tuned` (every choice,
 * allele length included, by leave-one-family-out inside the training families) loses on both:
 * r 0.141, MAE 0.114 on the real data, MAE 0.130 on the zoo; with 15 training families or fewer
 * the grouped selection is noisier than what it selects. Earlier: `ensemble` beat `reference`
 * (0.103 vs 0.109 on Misguided Attention, 0.125 vs 0.191 on the zoo).
 */
import { PhyloInputError } from '../errors';
import { createEnsemblePredictor } from './ensemble';
import { createKernelRidgePredictor } from './kernel-ridge';
import { createKnnPredictor } from './knn';
import { createMeanPredictor } from './mean';
import { createMultiscalePredictor } from './multiscale';
import { createReferencePredictor } from './reference';
import { createTunedPredictor } from './tuned';
import type { Predictor } from './types';

const predictors: Record<string, () => Predictor> = {
  reference: () => createReferencePredictor(),
  knn: () => createKnnPredictor(),
  'kernel-ridge': () => createKernelRidgePredictor(),
  ensemble: () => createEnsemblePredictor(),
  mean: () => createMeanPredictor(),
  tuned: () => createTunedPredictor(),
  multiscale: () => createMultiscalePredictor(),
};

export const predictorNames: readonly string[] = Object.freeze(Object.keys(predictors));

export const defaultPredictorName = 'multiscale';

export function getPredictor(name: string): Predictor {
  const make = Object.prototype.hasOwnProperty.call(predictors, name) ? predictors[name] : undefined;
  if (!make) throw new PhyloInputError(`unknown predictor: ${name}; available: ${predictorNames.join(', ')}`);
  return make();
}

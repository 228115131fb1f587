/** Benchmark-score prediction from Nei distances: predictors, LOFO evaluation, conformal intervals. */
export * from './types';
export * from './registry';
export * from './evaluation';
export * from './conformal';
export {
  createReferencePredictor,
  type ReferenceOptions,
  type FittedReference,
  type ReferencePredictor,
} from './reference';
export { createKnnPredictor, type FittedKnn, type SelectionOptions } from './knn';
export { createKernelRidgePredictor, type FittedKernelRidge } from './kernel-ridge';
export { createEnsemblePredictor, type FittedEnsemble } from './ensemble';
export { createMeanPredictor } from './mean';
export { createTunedPredictor, TUNED_ALLELE_LENGTHS } from './tuned';
export { createMultiscalePredictor, MULTISCALE_ALLELE_LENGTHS } from './multiscale';
export { fastIca, icaTransform, type FastIcaModel, type FastIcaOptions } from './fast-ica';
export {
  trainSigmoidUnit,
  initSigmoidUnit,
  applySigmoidUnit,
  sigmoid,
  type SigmoidUnit,
  type AdamOptions,
} from './sigmoid-unit';
export { createRandom, normal, uniform, sampleIndices, type Random } from '../random';

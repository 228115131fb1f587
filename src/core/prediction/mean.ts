/**
 * Baseline predictor ("mean"): the training mean, whatever the distances. Any predictor worth
 * using must beat it under leave-one-family-out.
 *
 * Complexity: O(n) fit, O(n) prediction (the query is still validated).
 */
import { type FittedPredictor, type Predictor, type TrainingSet, validateQuery, validateTrainingSet } from './types';

export function createMeanPredictor(): Predictor {
  return {
    name: 'mean',
    fit(train: TrainingSet): FittedPredictor {
      const n = validateTrainingSet(train);
      // y_bar = (1/n) sum_i y_i
      const yBar = train.scores.reduce((s, v) => s + v, 0) / n;
      return {
        predict(row: readonly number[]): number {
          validateQuery(row, n);
          return yBar;
        },
      };
    },
  };
}

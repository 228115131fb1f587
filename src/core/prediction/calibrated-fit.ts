/**
 * A predictor fitted on every training model, with a split-conformal interval calibrated by
 * leave-family-out residuals (core `fitWithInterval`, made affordable for large training sets).
 *
 * Up to CALIBRATION_MODELS training models and CALIBRATION_FOLDS families this is exactly
 * `fitWithInterval`: one fit per family, each predicting the held-out family, and the interval
 * y_hat +/- q with q the ceil((n + 1) level)-th smallest |residual| (conformal.ts). Beyond that,
 * the cost of one fit per family (F fits of n models) is capped two ways, both of which keep the
 * residuals honest (every residual comes from a fit that never saw the model's family):
 * - residuals come from a seeded sample of CALIBRATION_MODELS training models;
 * - families are dealt round-robin into CALIBRATION_FOLDS folds, each held out as a whole.
 * The caps are set so that a cold prediction against 1,000 scored models with the default
 * (ensemble) predictor stays within a second: 120 residuals still place the 80% quantile at the
 * 97th of 120.
 * Both make the interval slightly conservative (calibration fits use fewer models than the final
 * one). A null family counts as a family of its own (the caller passes a unique label).
 *
 * @see Barber RF et al. 2021. Predictive inference with the jackknife+. Ann Stat 49:486-507.
 */
import { PhyloInputError } from '../errors';
import { createRandom, sampleIndices } from '../random';
import { conformalInterval } from './conformal';
import { block, leaveOneFamilyOut } from './evaluation';
import { type AlleleView, clamp01, type Hyperparameter, type Predictor, validateTrainingSet } from './types';

/** Largest calibration set; above it a seeded sample is used. */
export const CALIBRATION_MODELS = 120;
/** Largest number of held-out folds when calibrating one prediction. */
export const CALIBRATION_FOLDS = 10;
/** Largest number of held-out folds in an evaluation (groups of whole families). */
export const MAX_FOLDS = 20;

export interface CalibratedFit {
  /** q: the interval is [value - q, value + q] clipped to [0, 1]; Infinity when too few residuals */
  halfWidth: number;
  /**
   * How far from the models it was predicted from the farthest calibration model lay: the
   * largest, over calibration models, of the distance to the nearest model outside its fold. A
   * query farther than this from every training model is an extrapolation: no residual behind
   * the interval came from a model that far out.
   */
  reach: number;
  /** the hyperparameters of the fit on every training model */
  hyperparameters: Hyperparameter[];
  predict(
    row: readonly number[],
    viewRows?: readonly (readonly number[])[],
  ): { value: number; low: number; high: number };
}

export function fitCalibrated(
  predictor: Predictor,
  train: {
    distances: Float64Array;
    scores: readonly number[];
    families: readonly string[];
    /** D from training model i, as held out in calibration, to training model j (default: `distances`) */
    heldOut?: (i: number, j: number) => number;
    /** other allele lengths (types.ts) and, like `heldOut`, their held-out distances */
    views?: readonly AlleleView[];
    heldOutViews?: readonly ((i: number, j: number) => number)[];
  },
  { seed, level }: { seed: number; level: number },
): CalibratedFit {
  const n = validateTrainingSet(train);
  const picked =
    n > CALIBRATION_MODELS ? sampleIndices(createRandom(seed), n, CALIBRATION_MODELS).sort((a, b) => a - b) : range(n);
  const families = picked.map((i) => train.families[i]);
  if (new Set(families).size < 2)
    throw new PhyloInputError('the scored models must span at least 2 families to calibrate the interval');
  const heldOut = train.heldOut;
  const calibration = {
    distances: block(train.distances, n, picked),
    scores: picked.map((i) => train.scores[i]),
    families: foldsOf(families, CALIBRATION_FOLDS),
    heldOut: heldOut && ((k: number, l: number) => heldOut(picked[k], picked[l])),
    views: train.views?.map((v) => ({ alleleLength: v.alleleLength, distances: block(v.distances, n, picked) })),
    heldOutViews: train.heldOutViews?.map((h) => (k: number, l: number) => h(picked[k], picked[l])),
  };
  const lofo = leaveOneFamilyOut(predictor, calibration, { seed });
  const { upper } = conformalInterval(
    calibration.scores.map((y, k) => y - lofo.predicted[k]),
    level,
  );
  const fitted = predictor.fit(train, { seed });
  return {
    halfWidth: upper,
    reach: reachOf(calibration),
    hyperparameters: [...(fitted.hyperparameters ?? [])],
    predict(row, viewRows) {
      const value = fitted.predict(row, viewRows);
      return { value, low: clamp01(value - upper), high: clamp01(value + upper) };
    },
  };
}

/** Fold label per model: its family, or (over `folds` families) family number mod `folds`. */
export function foldsOf(families: readonly string[], folds = MAX_FOLDS): string[] {
  const number = new Map<string, number>();
  for (const f of families) if (!number.has(f)) number.set(f, number.size);
  if (number.size <= folds) return [...families];
  return families.map((f) => `fold ${number.get(f)! % folds}`);
}

/** max over models k of min over models l outside k's fold of D(k, l), as held out. */
function reachOf(set: {
  distances: Float64Array;
  families: readonly string[];
  heldOut?: (k: number, l: number) => number;
}): number {
  const m = set.families.length;
  const d = set.heldOut ?? ((k: number, l: number) => set.distances[k * m + l]);
  let reach = 0;
  for (let k = 0; k < m; k++) {
    let nearest = Infinity;
    for (let l = 0; l < m; l++) if (set.families[l] !== set.families[k]) nearest = Math.min(nearest, d(k, l));
    if (Number.isFinite(nearest)) reach = Math.max(reach, nearest);
  }
  return reach;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Honest evaluation of benchmark predictors: leave-one-family-out (LOFO) point predictions,
 * and conformal intervals whose calibration never sees the held-out family.
 *
 * LOFO (the PhyloLM protocol): for each family F, fit on all models outside F and predict
 * every model of F from its distances to those training models. Pearson r and MAE are taken
 * over all held-out predictions.
 *
 * Nested intervals: for each family F, the calibration residuals are the LOFO residuals of a
 * run on the models outside F only (an inner LOFO), and the interval for a model of F is its
 * outer prediction +/- the split-conformal quantile of those residuals (conformal.ts), clipped
 * to [0, 1]. Residuals come from fits on slightly fewer models than the outer fit, which makes
 * the interval mildly conservative; this is the cross-conformal / jackknife+ idea of
 * Barber et al. 2021 with families as folds.
 *
 * Cross intervals (`calibration: 'cross'`, for large sets): the calibration residuals for a
 * family F are the outer LOFO residuals of every model outside F. F's own labels never enter
 * its residual set, but they were in the training sets that produced those residuals, so the
 * guarantee is the jackknife+ one (coverage at least 1 - 2 alpha, close to 1 - alpha in practice)
 * rather than the nested one.
 *
 * Complexity: F fits for LOFO and for cross intervals, F + F(F-1) fits for nested intervals
 * (F = number of families).
 *
 * @see Yax, Oudeyer, Palminteri. PhyloLM. arXiv 2404.04671 (ICLR 2025).
 * @see Barber RF, Candès EJ, Ramdas A, Tibshirani RJ. 2021. Predictive inference with the
 *   jackknife+. Ann Stat 49:486-507.
 * @see Lei J et al. 2018. J Am Stat Assoc 113:1094-1111.
 */
import { PhyloInputError } from '../errors';
import { conformalInterval } from './conformal';
import {
  type AlleleView,
  clamp01,
  type FitOptions,
  type FittedPredictor,
  type Hyperparameter,
  MIN_TRAINING_MODELS,
  type Predictor,
  type TrainingSet,
  validateTrainingSet,
} from './types';

export interface LabelledSet {
  alleleLength?: number;
  distances: Float64Array;
  scores: readonly number[];
  families: readonly string[];
  /**
   * D from held-out model i to training model j when predicting i (default: `distances`): lets
   * a calibration predict held-out models from other evidence than the fit's, e.g. thinned to a
   * query's sampling (genetics/thin.ts).
   */
  heldOut?: (i: number, j: number) => number;
  /** other allele lengths (types.ts), for predictors that choose among them */
  views?: readonly AlleleView[];
  /** like `heldOut`, per view */
  heldOutViews?: readonly ((i: number, j: number) => number)[];
}

/** What the fit of one outer fold chose, fitted without the held-out family (or fold). */
export interface FoldChoice {
  heldOut: string;
  hyperparameters: Hyperparameter[];
}

export interface LofoResult {
  predicted: number[];
  pearson: number;
  mae: number;
  folds: FoldChoice[];
}

export interface EvaluationPoint {
  index: number;
  actual: number;
  predicted: number;
  low: number;
  high: number;
}

export type Calibration = 'nested' | 'cross';

export interface Evaluation {
  calibration: Calibration;
  n: number;
  pearson: number;
  mae: number;
  coverage: number;
  level: number;
  /** Mean interval width high - low. */
  meanWidth: number;
  points: EvaluationPoint[];
  /** per outer fold, the hyperparameters chosen inside its training models */
  folds: FoldChoice[];
}

export function leaveOneFamilyOut(predictor: Predictor, all: LabelledSet, options: FitOptions = {}): LofoResult {
  const n = validateLabelledSet(all);
  const predicted = new Array<number>(n).fill(NaN);
  const folds: FoldChoice[] = [];
  const d = all.heldOut ?? ((i: number, j: number) => all.distances[i * n + j]);
  const views = (all.views ?? []).map(
    (v, t) => all.heldOutViews?.[t] ?? ((i: number, j: number) => v.distances[i * n + j]),
  );
  for (const [family, members] of familyGroups(all.families)) {
    const train = complement(members, n);
    if (train.length < MIN_TRAINING_MODELS) {
      throw new PhyloInputError(
        `leave-one-family-out needs at least ${MIN_TRAINING_MODELS} models outside each family; family "${all.families[members[0]]}" leaves ${train.length}`,
      );
    }
    // the whole selection (hyperparameters, allele length) happens inside this fit, on `train` only
    const fitted = predictor.fit(subset(all, train), options);
    folds.push({ heldOut: family, hyperparameters: [...(fitted.hyperparameters ?? [])] });
    for (const i of members) {
      const viewRows = views.map((v) => train.map((j) => v(i, j)));
      predicted[i] = fitted.predict(
        train.map((j) => d(i, j)),
        viewRows,
      );
    }
  }
  return {
    predicted,
    pearson: pearson(predicted, all.scores),
    mae: meanAbsoluteError(predicted, all.scores),
    folds,
  };
}

export function evaluatePredictor(
  predictor: Predictor,
  all: LabelledSet,
  options: FitOptions & { level?: number; calibration?: Calibration } = {},
): Evaluation {
  const { level = 0.8, calibration = 'nested' } = options;
  const n = validateLabelledSet(all);
  const outer = leaveOneFamilyOut(predictor, all, options);
  const outerResiduals = all.scores.map((y, i) => y - outer.predicted[i]);
  const points: EvaluationPoint[] = [];
  for (const members of familyGroups(all.families).values()) {
    // calibrate on models outside the held-out family only
    const inside = complement(members, n);
    const residuals =
      calibration === 'nested' ? innerResiduals(predictor, all, inside, options) : inside.map((i) => outerResiduals[i]);
    const { lower, upper } = conformalInterval(residuals, level);
    for (const i of members) {
      const p = outer.predicted[i];
      points.push({ index: i, actual: all.scores[i], predicted: p, low: clamp01(p + lower), high: clamp01(p + upper) });
    }
  }
  points.sort((a, b) => a.index - b.index);
  const covered = points.filter((p) => p.low <= p.actual && p.actual <= p.high).length;
  const meanWidth = points.reduce((s, p) => s + (p.high - p.low), 0) / n;
  return {
    calibration,
    n,
    pearson: outer.pearson,
    mae: outer.mae,
    coverage: covered / n,
    level,
    meanWidth,
    points,
    folds: outer.folds,
  };
}

/** LOFO residuals of a run on the given models only (the inner LOFO of nested intervals). */
function innerResiduals(predictor: Predictor, all: LabelledSet, inside: number[], options: FitOptions): number[] {
  const inner = subset(all, inside) as LabelledSet;
  const lofo = leaveOneFamilyOut(predictor, inner, options);
  return inner.scores.map((y, k) => y - lofo.predicted[k]);
}

/** A fitted predictor that also returns a conformal interval calibrated by LOFO on its training set. */
export interface CalibratedPredictor {
  halfWidth: number;
  level: number;
  predict(
    distancesToTraining: readonly number[],
    viewRows?: readonly (readonly number[])[],
  ): { value: number; low: number; high: number };
}

/**
 * Fits on all of `train` and calibrates the interval with LOFO residuals on `train` (each model
 * with a null or missing family is its own family, i.e. leave-one-out).
 */
export function fitWithInterval(
  predictor: Predictor,
  train: TrainingSet,
  options: FitOptions & { level?: number } = {},
): CalibratedPredictor {
  const { level = 0.8 } = options;
  const n = validateTrainingSet(train);
  // a unique key per unlabelled model; "\u0000" cannot collide with user family names in practice
  const families = Array.from({ length: n }, (_, i) => train.families?.[i] ?? `\u0000${i}`);
  const lofo = leaveOneFamilyOut(
    predictor,
    { distances: train.distances, scores: train.scores, families, views: train.views },
    options,
  );
  const { upper } = conformalInterval(
    train.scores.map((y, i) => y - lofo.predicted[i]),
    level,
  );
  const fitted: FittedPredictor = predictor.fit(train, options);
  return {
    halfWidth: upper,
    level,
    predict(d: readonly number[], viewRows?: readonly (readonly number[])[]) {
      const value = fitted.predict(d, viewRows);
      return { value, low: clamp01(value - upper), high: clamp01(value + upper) };
    },
  };
}

/** Pearson correlation; defined as 0 when either side has zero variance. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  // r = s_xy / sqrt(s_xx s_yy)
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

export function meanAbsoluteError(x: readonly number[], y: readonly number[]): number {
  return x.reduce((s, v, i) => s + Math.abs(v - y[i]), 0) / x.length;
}

function validateLabelledSet(all: LabelledSet): number {
  const n = validateTrainingSet(all);
  if (all.families.length !== n)
    throw new PhyloInputError(
      `families must have one entry per model: ${all.families.length} families for ${n} scores`,
    );
  if (new Set(all.families).size < 2) throw new PhyloInputError('leave-one-family-out needs at least 2 families');
  return n;
}

/** family -> member indices, in order of first appearance. */
function familyGroups(families: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  families.forEach((f, i) => {
    const g = groups.get(f);
    if (g) g.push(i);
    else groups.set(f, [i]);
  });
  return groups;
}

function complement(members: number[], n: number): number[] {
  const out = new Set(members);
  return Array.from({ length: n }, (_, i) => i).filter((i) => !out.has(i));
}

function subset(all: LabelledSet, idx: number[]): LabelledSet {
  return {
    distances: block(all.distances, all.scores.length, idx),
    alleleLength: all.alleleLength,
    views: all.views?.map((v) => ({
      alleleLength: v.alleleLength,
      distances: block(v.distances, all.scores.length, idx),
    })),
    scores: idx.map((i) => all.scores[i]),
    families: idx.map((i) => all.families[i]),
  };
}

/** The sub-matrix idx x idx of an n x n row-major matrix. */
export function block(d: Float64Array, n: number, idx: readonly number[]): Float64Array {
  const m = idx.length;
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[a * m + b] = d[idx[a] * n + idx[b]];
  return out;
}

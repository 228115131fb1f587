/**
 * Contracts shared by the benchmark-score predictors, plus input validation at their entry.
 *
 * Inputs are Nei distances D = -ln S between models (Nei 1972) and benchmark scores in [0, 1].
 * A predictor is fitted on the training block of D (n x n, row-major) and predicts a new model
 * from its row of distances to the same n training models, in the same order.
 *
 * @see Nei M. 1972. Genetic distance between populations. Am Nat 106:283-292.
 * @see Yax, Oudeyer, Palminteri. PhyloLM. arXiv 2404.04671 (ICLR 2025), benchmark prediction.
 */
import { PhyloInputError } from '../errors';

/** The reference allele length (method.md): the primary `distances` are counted with it unless said otherwise. */
export const REFERENCE_ALLELE_LENGTH = 4;

/** The same training models' distances with alleles of another length (counted from the raw samples). */
export interface AlleleView {
  alleleLength: number;
  /** n x n row-major Nei distances, same models and order as the primary `distances`. */
  distances: Float64Array;
}

/** A chosen hyperparameter, reported with a prediction and per evaluation fold. */
export interface Hyperparameter {
  name: string;
  value: number;
}

export interface TrainingSet {
  /** n x n row-major Nei distances among the training models. */
  distances: Float64Array;
  /** allele length of `distances` (default REFERENCE_ALLELE_LENGTH) */
  alleleLength?: number;
  /** other allele lengths a length-selecting predictor may choose from (others ignore them) */
  views?: readonly AlleleView[];
  /** Benchmark scores of the training models, each in [0, 1]. */
  scores: readonly number[];
  /** Optional family of each training model; null means "a family of its own". */
  families?: readonly (string | null)[];
}

export interface FitOptions {
  /** Seed of the PRNG used for initialisation and subsampling (default 0). */
  seed?: number;
}

export interface Predictor {
  readonly name: string;
  /**
   * Allele lengths whose distances the predictor chooses among (as `views`, besides the primary
   * reference length); absent: it only reads the primary distances.
   */
  readonly alleleLengths?: readonly number[];
  /** work of one fit relative to the ensemble's (default 1): bounds how many fits an evaluation nests */
  readonly fitCost?: number;
  fit(train: TrainingSet, options?: FitOptions): FittedPredictor;
}

export interface FittedPredictor {
  /**
   * Predicted score in [0, 1] from the distances to the n training models; `viewRows[v]` holds
   * them at the allele length of the training set's `views[v]` (needed by length-selecting fits).
   */
  predict(distancesToTraining: readonly number[], viewRows?: readonly (readonly number[])[]): number;
  /** the hyperparameters the fit chose (none for fits without any) */
  readonly hyperparameters?: readonly Hyperparameter[];
}

/** The minimum training size every predictor accepts. */
export const MIN_TRAINING_MODELS = 3;

/** Throws PhyloInputError naming the broken rule; returns n. */
export function validateTrainingSet(train: TrainingSet): number {
  const n = train.scores.length;
  if (n < MIN_TRAINING_MODELS) {
    throw new PhyloInputError(`need at least ${MIN_TRAINING_MODELS} training models, got ${n}`);
  }
  if (train.distances.length !== n * n) {
    throw new PhyloInputError(
      `distance matrix must be ${n} x ${n} (${n * n} values) for ${n} scores, got ${train.distances.length} values`,
    );
  }
  train.scores.forEach((y, i) => {
    if (!Number.isFinite(y) || y < 0 || y > 1)
      throw new PhyloInputError(`scores must be finite and in [0, 1]: score ${i} is ${y}`);
  });
  for (let k = 0; k < train.distances.length; k++) {
    const d = train.distances[k];
    if (!Number.isFinite(d) || d < 0) {
      throw new PhyloInputError(
        `distances must be finite and non-negative: entry (${Math.floor(k / n)}, ${k % n}) is ${d}`,
      );
    }
  }
  train.views?.forEach((v, t) => {
    if (!Number.isInteger(v.alleleLength) || v.alleleLength < 1)
      throw new PhyloInputError(`view ${t}: allele length must be a positive integer, got ${v.alleleLength}`);
    if (v.distances.length !== n * n)
      throw new PhyloInputError(`view ${t} (allele length ${v.alleleLength}) must be ${n} x ${n}`);
    for (let k = 0; k < v.distances.length; k++) {
      const d = v.distances[k];
      if (!Number.isFinite(d) || d < 0)
        throw new PhyloInputError(
          `distances at allele length ${v.alleleLength} must be finite and non-negative: entry (${Math.floor(k / n)}, ${k % n}) is ${d}`,
        );
    }
  });
  if (train.families !== undefined && train.families.length !== n) {
    throw new PhyloInputError(
      `families must have one entry per model: ${train.families.length} families for ${n} scores`,
    );
  }
  return n;
}

/** Throws unless `d` holds n finite non-negative distances. */
export function validateQuery(d: readonly number[], n: number): void {
  if (d.length !== n) throw new PhyloInputError(`need distances to all ${n} training models, got ${d.length}`);
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(d[j]) || d[j] < 0)
      throw new PhyloInputError(`distances must be finite and non-negative: distance ${j} is ${d[j]}`);
  }
}

/**
 * The candidate distance matrices of a length-selecting fit: the primary one (index -1) then each
 * view (index v), with their allele lengths.
 */
export function candidateViews(train: TrainingSet): { view: number; alleleLength: number; distances: Float64Array }[] {
  return [
    { view: -1, alleleLength: train.alleleLength ?? REFERENCE_ALLELE_LENGTH, distances: train.distances },
    ...(train.views ?? []).map((v, view) => ({ view, alleleLength: v.alleleLength, distances: v.distances })),
  ];
}

/** The query row of a fit that chose `view` (-1: the primary distances); validated against n. */
export function rowOfView(
  row: readonly number[],
  viewRows: readonly (readonly number[])[] | undefined,
  view: number,
  n: number,
): readonly number[] {
  validateQuery(row, n);
  if (view < 0) return row;
  const chosen = viewRows?.[view];
  if (!chosen) throw new PhyloInputError(`this fit chose allele view ${view}: its distances must be given too`);
  validateQuery(chosen, n);
  return chosen;
}

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Median of the off-diagonal entries of an n x n matrix (1 when it is 0, so bandwidths stay positive). */
export function medianOffDiagonal(d: Float64Array, n: number): number {
  // upper triangle only; selection instead of a sort: O(n^2), not O(n^2 log n)
  const off = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off[k++] = (d[i * n + j] + d[j * n + i]) / 2;
  const mid = off.length >> 1;
  const upper = kthSmallest(off, mid);
  let med = upper;
  if (off.length % 2 === 0) {
    // after selection everything below `mid` is <= off[mid]; the lower middle is their maximum
    let lower = -Infinity;
    for (let t = 0; t < mid; t++) if (off[t] > lower) lower = off[t];
    med = (lower + upper) / 2;
  }
  return med > 0 ? med : 1;
}

/** The r-th smallest value (0-based) of `v`, by Hoare's quickselect; reorders `v`. O(length) expected. */
export function kthSmallest(v: Float64Array, r: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const tmp = v[i];
        v[i] = v[j];
        v[j] = tmp;
        i++;
        j--;
      }
    }
    if (r <= j) hi = j;
    else if (r >= i) lo = i;
    else return v[r];
  }
  return v[r];
}

/**
 * Group label per model for grouped (leave-one-family-out) hyperparameter selection: the family
 * when given, otherwise a unique group per model (plain leave-one-out).
 */
export function groupIds(train: TrainingSet, n: number): Int32Array {
  const ids = new Int32Array(n);
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const f = train.families?.[i] ?? null;
    if (f === null) {
      ids[i] = seen.size + n + i;
      continue;
    }
    if (!seen.has(f)) seen.set(f, i);
    ids[i] = seen.get(f)!;
  }
  return ids;
}

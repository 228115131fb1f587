/**
 * Benchmark-score predictions from Nei distances (method.md, "Benchmark prediction"), with
 * conformal error bars, and their leave-one-family-out evaluation.
 *
 * Training set of a prediction: every OTHER model with samples on the genome and a score for the
 * benchmark. Features: D = -ln(max(S, 1e-10)) from the DistanceService's similarity matrix.
 * Families come from Model.family; a model without one is a family of its own.
 *
 * Results are cached (memory + the `computations` table) under a fingerprint of exactly what they
 * depend on: the genome, each involved model's population revision and family, the benchmark's
 * scores of those models, the method, level and seed. A new sample or score for an involved model
 * changes the key; samples of models outside the training set do not.
 */
import { PhyloInputError } from '../core/errors';
import { foldsOf } from '../core/prediction/calibrated-fit';
import { defaultPredictorName, predictorNames } from '../core/prediction/registry';
import type { Calibration, Evaluation, EvaluationPoint } from '../core/prediction/evaluation';
import type { GenomeRow, ModelRow, ScoreRow, Store } from '../db/store';
import { jsonCodec } from './codecs';
import type { Compute } from './compute';
import { ComputationCache, type Dependencies } from './computation-cache';
import type { DistanceService, SimilarityMatrix } from './distance.service';
import { badInput } from './errors';
import { fingerprint } from './fingerprint';
import type { GenomeService } from './genome.service';
import type { ModelService } from './model.service';
import { ALLELE_LENGTH } from './population.service';
import type { WriteBehind } from './write-behind';

/** Seed of every predictor fit (FastICA initialisation, subsampling): results are reproducible. */
export const PREDICTION_SEED = 0;
export const DEFAULT_LEVEL = 0.8;
/** Nearest scored models returned with a prediction. */
export const NEIGHBOURS = 5;
/** Cached predictions (evaluations) kept per genome; older ones are pruned. */
const KEEP = 256;

export interface PredictionNeighbour {
  modelId: number;
  distance: number;
  score: number;
}

export interface PredictionResult {
  value: number;
  low: number;
  high: number;
  level: number;
  method: string;
  neighbors: PredictionNeighbour[];
}

/** A held-out point, named by model id instead of the core's row index. */
export type EvaluationPointResult = Omit<EvaluationPoint, 'index'> & { modelId: number };

export type EvaluationResult = Omit<Evaluation, 'points'> & { method: string; points: EvaluationPointResult[] };

export interface PredictionRequest {
  model: string;
  benchmark: string;
  genome: string;
  method?: string | null;
  level?: number | null;
}

/** A labelled set drawn from one similarity matrix: rows `index` of the matrix, in model-id order. */
interface ScoredSet {
  models: ModelRow[];
  index: number[];
  scores: number[];
  families: string[];
}

export class PredictionService {
  private readonly predictions: ComputationCache<PredictionResult>;
  private readonly evaluations: ComputationCache<EvaluationResult>;
  /** predictions and evaluations being computed, by key: identical concurrent requests share one */

  constructor(
    private readonly store: Store,
    private readonly models: ModelService,
    private readonly genomes: GenomeService,
    private readonly distances: DistanceService,
    writes: WriteBehind,
    private readonly compute: Compute,
  ) {
    this.predictions = new ComputationCache(
      store,
      'prediction/v1',
      jsonCodec<PredictionResult>(),
      writes,
      32 * 1024 * 1024,
    );
    this.evaluations = new ComputationCache(
      store,
      'prediction-evaluation/v1',
      jsonCodec<EvaluationResult>(),
      writes,
      32 * 1024 * 1024,
    );
  }

  predictors(): readonly string[] {
    return predictorNames;
  }

  defaultPredictor(): string {
    return defaultPredictorName;
  }

  async predict(request: PredictionRequest): Promise<PredictionResult> {
    const method = checkMethod(request.method);
    const level = checkLevel(request.level);
    const genome = await this.genomes.get(request.genome);
    const target = await this.models.get(request.model);
    const scores = await this.scoresOf(request.benchmark);
    const matrix = await this.matrixWith(genome, target);
    const at = matrix.modelIds.indexOf(target.id);
    const train = await this.scoredSet(matrix, scores, target.id);
    if (train.models.length < 3) {
      throw badInput(
        `need at least 3 models other than "${target.name}" with a ${request.benchmark} score and samples on genome "${genome.name}"; found ${train.models.length}`,
      );
    }
    const dependencies = dependenciesOf(matrix, [at, ...train.index]);
    const key = fingerprint(
      'prediction/v1',
      `${target.id}@${matrix.dependencies[at][1]}`,
      this.keyOf(matrix, request.benchmark, train),
      method,
      level,
      PREDICTION_SEED,
    );
    return this.predictions.getOrCompute(key, async () => {
      const fit = await calibrationErrors(
        this.compute.run('predict', {
          similarity: matrix.similarity,
          size: matrix.modelIds.length,
          at,
          index: train.index,
          scores: train.scores,
          families: train.families,
          method,
          level,
          seed: PREDICTION_SEED,
        }),
      );
      const neighbors = nearestScored(fit.row, train, NEIGHBOURS);
      const result: PredictionResult = { value: fit.value, low: fit.low, high: fit.high, level, method, neighbors };
      return { genomeId: genome.id, dependencies, value: result, current: currentRevisions(matrix), keep: KEEP };
    });
  }

  async evaluate(request: Omit<PredictionRequest, 'model'>): Promise<EvaluationResult> {
    const method = checkMethod(request.method);
    const level = checkLevel(request.level);
    const genome = await this.genomes.get(request.genome);
    const scores = await this.scoresOf(request.benchmark);
    const matrix = await this.distances.similarity(genome);
    const all = await this.scoredSet(matrix, scores, null);
    if (all.models.length < 4) {
      throw badInput(
        `need at least 4 models with a ${request.benchmark} score and samples on genome "${genome.name}"; found ${all.models.length}`,
      );
    }
    const dependencies = dependenciesOf(matrix, all.index);
    const key = fingerprint(
      'prediction-evaluation/v1',
      this.keyOf(matrix, request.benchmark, all),
      method,
      level,
      PREDICTION_SEED,
    );
    return this.evaluations.getOrCompute(key, async () => {
      // More than MAX_FOLDS families are held out in MAX_FOLDS groups of whole families.
      const folds = foldsOf(all.families);
      const calibration = evaluationCalibration(new Set(folds).size, all.models.length);
      const e = await calibrationErrors(
        this.compute.run('evaluate', {
          similarity: matrix.similarity,
          size: matrix.modelIds.length,
          index: all.index,
          scores: all.scores,
          families: folds,
          method,
          level,
          seed: PREDICTION_SEED,
          calibration,
        }),
      );
      const result: EvaluationResult = {
        method,
        calibration,
        n: e.n,
        pearson: e.pearson,
        mae: e.mae,
        coverage: e.coverage,
        level,
        meanWidth: e.meanWidth,
        points: e.points.map((p) => ({
          modelId: all.models[p.index].id,
          actual: p.actual,
          predicted: p.predicted,
          low: p.low,
          high: p.high,
        })),
      };
      return { genomeId: genome.id, dependencies, value: result, current: currentRevisions(matrix), keep: KEEP };
    });
  }

  /** The benchmark's scores; none at all means an unknown benchmark. */
  private async scoresOf(benchmark: string): Promise<ScoreRow[]> {
    const scores = await this.store.scoresFor(benchmark);
    if (scores.length === 0) {
      const known = await this.store.benchmarkNames();
      throw badInput(
        `no scores for benchmark "${benchmark}"; known benchmarks: ${known.length ? known.join(', ') : '(none yet)'}`,
      );
    }
    return scores;
  }

  /** Every model's similarity on the genome, after checking the target has samples there. */
  private async matrixWith(genome: GenomeRow, target: ModelRow): Promise<SimilarityMatrix> {
    const mine = await this.store.populationRevisions(genome.id, [target.id]);
    if (mine.length === 0) throw badInput(`model "${target.name}" has no samples on genome "${genome.name}"`);
    return this.distances.similarity(genome);
  }

  /** Models of the matrix with a score (except `exclude`), in model-id order, scores checked. */
  private async scoredSet(
    matrix: SimilarityMatrix,
    scores: readonly ScoreRow[],
    exclude: number | null,
  ): Promise<ScoredSet> {
    const position = new Map(matrix.modelIds.map((id, i) => [id, i]));
    const usable = scores.filter((s) => s.modelId !== exclude && position.has(s.modelId));
    const byId = new Map((await this.store.getModels(usable.map((s) => s.modelId))).map((m) => [m.id, m]));
    const models = usable.map((s) => byId.get(s.modelId)!);
    usable.forEach((s, i) => {
      if (!(s.value >= 0 && s.value <= 1)) {
        throw badInput(
          `predictions need ${s.benchmark} scores in [0, 1]; model "${models[i].name}" has ${s.value} (import with a scale, e.g. 0.01 for percentages)`,
        );
      }
    });
    return {
      models,
      index: usable.map((s) => position.get(s.modelId)!),
      scores: usable.map((s) => s.value),
      // a model without a family is a family of its own; "\u0000" keeps the label apart from real names
      families: models.map((m) => m.family ?? `\u0000${m.id}`),
    };
  }

  /** Fingerprint of a scored set's inputs: genome, allele rule, revisions, families and scores. */
  private keyOf(matrix: SimilarityMatrix, benchmark: string, set: ScoredSet): string {
    const rows = set.models.map(
      (m, i) => `${m.id}@${matrix.dependencies[set.index[i]][1]}:${set.families[i]}:${set.scores[i]}`,
    );
    return fingerprint('scored-set/v1', matrix.genome.id, matrix.genome.fingerprint, ALLELE_LENGTH, benchmark, ...rows);
  }
}

function checkMethod(method: string | null | undefined): string {
  const name = method ?? defaultPredictorName;
  if (!predictorNames.includes(name))
    throw badInput(`unknown method "${name}"; available: ${predictorNames.join(', ')}`);
  return name;
}

function checkLevel(level: number | null | undefined): number {
  const value = level ?? DEFAULT_LEVEL;
  if (!(value > 0 && value < 1)) throw badInput(`level must be strictly between 0 and 1, got ${value}`);
  return value;
}

/** Core input errors while fitting (e.g. a single family) become bad-input errors with context. */
async function calibrationErrors<T>(running: Promise<T>): Promise<T> {
  try {
    return await running;
  } catch (error) {
    if (error instanceof PhyloInputError)
      throw badInput(`cannot fit and calibrate leave-one-family-out: ${error.message}`);
    throw error;
  }
}

function dependenciesOf(matrix: SimilarityMatrix, rows: readonly number[]): Dependencies {
  return rows.map((i) => matrix.dependencies[i]);
}

function currentRevisions(matrix: SimilarityMatrix): Map<number, number> {
  return new Map(matrix.dependencies);
}

/** The k scored models nearest by D (ties by model id). */
function nearestScored(row: readonly number[], set: ScoredSet, k: number): PredictionNeighbour[] {
  return row
    .map((distance, i) => ({ modelId: set.models[i].id, distance, score: set.scores[i] }))
    .sort((a, b) => a.distance - b.distance || a.modelId - b.modelId)
    .slice(0, k);
}

/**
 * Nested intervals cost F + F(F - 1) fits of about n^2 work each; past this budget (about three
 * seconds of fits on this project's reference machine) the evaluation uses cross intervals,
 * F fits in all, so one request never holds the server for minutes. The answer says which.
 */
export const NESTED_CALIBRATION_BUDGET = 1_500_000;

export function evaluationCalibration(families: number, models: number): Calibration {
  return (families + families * (families - 1)) * models * models <= NESTED_CALIBRATION_BUDGET ? 'nested' : 'cross';
}

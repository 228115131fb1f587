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
import { defaultPredictorName, getPredictor, predictorNames } from '../core/prediction/registry';
import type { Hyperparameter } from '../core/prediction/types';
import type { Calibration, Evaluation, EvaluationPoint } from '../core/prediction/evaluation';
import { median, sharedGeneCount, shortfall } from '../core/genetics/coverage';
import { populationsJson } from '../core/tasks';
import type { GenomeRow, ModelRow, PopulationRevision, ScoreRow, Store } from '../db/store';
import { jsonCodec } from './codecs';
import type { Compute } from './compute';
import { ComputationCache, type Dependencies } from './computation-cache';
import type { DistanceService, SimilarityMatrix } from './distance.service';
import { badInput } from './errors';
import { fingerprint } from './fingerprint';
import type {
  EvidenceService,
  EvidenceThresholds,
  Exclusion,
  ModelEvidence,
  ThresholdRequest,
} from './evidence.service';
import type { GenomeService } from './genome.service';
import type { ModelService } from './model.service';
import { ALLELE_LENGTH, type PopulationService } from './population.service';
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
  /** what the answer rests on that a reader should know, in plain words (none: nothing to flag) */
  warnings: string[];
  /** genes the model has samples on that at least one training model has samples on too */
  sharedGenes: number;
  /** D to the nearest training model */
  nearestDistance: number;
  /** nearestDistance is beyond every calibration model's distance to the models it was predicted from */
  extrapolation: boolean;
  /** the interval was calibrated on training models subsampled to this model's samples per gene */
  samplingMatched: boolean;
  /** scored models with samples left out of training, with why */
  excluded: Exclusion[];
  /** what the fit chose (k, bandwidths, ridge strength, allele length), inside the training models only */
  hyperparameters: Hyperparameter[];
}

/** A held-out point, named by model id instead of the core's row index. */
export type EvaluationPointResult = Omit<EvaluationPoint, 'index'> & { modelId: number };

export type EvaluationResult = Omit<Evaluation, 'points'> & { method: string; points: EvaluationPointResult[] };

export interface PredictionRequest extends ThresholdRequest {
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
    private readonly evidence: EvidenceService,
    private readonly populations: PopulationService,
  ) {
    this.predictions = new ComputationCache(
      store,
      'prediction/v3',
      jsonCodec<PredictionResult>(),
      writes,
      32 * 1024 * 1024,
    );
    this.evaluations = new ComputationCache(
      store,
      'prediction-evaluation/v2',
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
    const thresholds = this.evidence.thresholds(request);
    const genome = await this.genomes.get(request.genome);
    const target = await this.models.get(request.model);
    const scores = await this.scoresOf(request.benchmark);
    const { matrix, at, evidence, excluded } = await this.matrixWith(genome, target, thresholds);
    const views = await this.viewsOf(genome, matrix, method);
    const out = new Set([target.id, ...excluded.map((e) => e.modelId)]);
    const train = await this.scoredSet(matrix, scores, out);
    if (train.models.length < 3) {
      throw badInput(
        `need at least 3 models other than "${target.name}" with a ${request.benchmark} score and enough samples on genome "${genome.name}"; found ${train.models.length}` +
          (excluded.length
            ? ` (${excluded.length} left out for too little evidence: see minSamplesPerGene, minGeneCoverage)`
            : ''),
      );
    }
    const mine = evidence[at];
    const theirs = train.index.map((i) => evidence[i]);
    const thin = sampledLess(mine, theirs);
    const dependencies = dependenciesOf(matrix, [at, ...train.index]);
    const key = fingerprint(
      'prediction/v3',
      `${target.id}@${matrix.dependencies[at][1]}`,
      this.keyOf(matrix, request.benchmark, train, views),
      method,
      level,
      PREDICTION_SEED,
      // the thresholds word the warnings and the exclusions' reasons
      `${thresholds.minSamplesPerGene}:${thresholds.minGeneCoverage}`,
      excluded.map((e) => e.modelId).join(','),
    );
    return this.predictions.getOrCompute(key, async () => {
      const lengths = views.map((v) => v.alleleLength);
      const texts = async (alleleLength: number) =>
        populationsJson(
          (await this.populations.textsOf(genome, dependenciesRows(dependencies), alleleLength, lengths)).map(
            (p) => p.json,
          ),
        );
      const thinTo = thin
        ? {
            populations: await texts(ALLELE_LENGTH),
            views: await Promise.all(views.map((v) => texts(v.alleleLength))),
          }
        : undefined;
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
          views: views.map((v) => ({ alleleLength: v.alleleLength, similarity: v.similarity })),
          thinTo,
        }),
      );
      const neighbors = nearestScored(fit.row, train, NEIGHBOURS);
      const nearestDistance = Math.min(...fit.row);
      const extrapolation = nearestDistance > fit.reach;
      const sharedGenes = sharedWith(mine, theirs);
      const result: PredictionResult = {
        value: fit.value,
        low: fit.low,
        high: fit.high,
        level,
        method,
        neighbors,
        warnings: predictionWarnings({
          mine,
          theirs,
          thresholds,
          thin,
          sharedGenes,
          nearestDistance,
          reach: fit.reach,
          extrapolation,
          excluded: excluded.length,
        }),
        sharedGenes,
        nearestDistance,
        extrapolation,
        samplingMatched: thin,
        excluded,
        hyperparameters: fit.hyperparameters,
      };
      return { genomeId: genome.id, dependencies, value: result, current: currentRevisions(matrix), keep: KEEP };
    });
  }

  async evaluate(request: Omit<PredictionRequest, 'model'>): Promise<EvaluationResult> {
    const method = checkMethod(request.method);
    const level = checkLevel(request.level);
    const genome = await this.genomes.get(request.genome);
    const scores = await this.scoresOf(request.benchmark);
    const matrix = await this.distances.similarity(genome);
    const all = await this.scoredSet(matrix, scores, new Set());
    const views = await this.viewsOf(genome, matrix, method);
    if (all.models.length < 4) {
      throw badInput(
        `need at least 4 models with a ${request.benchmark} score and samples on genome "${genome.name}"; found ${all.models.length}`,
      );
    }
    const dependencies = dependenciesOf(matrix, all.index);
    const key = fingerprint(
      'prediction-evaluation/v2',
      this.keyOf(matrix, request.benchmark, all, views),
      method,
      level,
      PREDICTION_SEED,
    );
    return this.evaluations.getOrCompute(key, async () => {
      // More than MAX_FOLDS families are held out in MAX_FOLDS groups of whole families.
      const folds = foldsOf(all.families);
      const calibration = evaluationCalibration(new Set(folds).size, all.models.length, costOf(method));
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
          views: views.map((v) => ({ alleleLength: v.alleleLength, similarity: v.similarity })),
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
        // a model without a family is held out under its own label: name it by the model
        folds: e.folds.map((f) => ({ ...f, heldOut: foldName(f.heldOut, all) })),
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

  /**
   * The similarity of every model with enough evidence (the training candidates, in the order of
   * the default distance matrix, so predictions share its cached matrix) and of the target (its
   * row `at`; appended when it falls short itself), after checking the target has samples there.
   * Candidates sharing no gene with the target have no distance to it: they are excluded too.
   */
  private async matrixWith(
    genome: GenomeRow,
    target: ModelRow,
    thresholds: EvidenceThresholds,
  ): Promise<{ matrix: SimilarityMatrix; at: number; evidence: ModelEvidence[]; excluded: Exclusion[] }> {
    const [mine] = await this.evidence.of(genome, await this.evidence.revisionsFor(genome, [target]));
    const selection = await this.evidence.select(genome, undefined, thresholds);
    const excluded = selection.excluded.filter((e) => e.modelId !== target.id);
    for (const e of selection.evidence) {
      if (e.modelId !== target.id && sharedGeneCount(e.mask, mine.mask) === 0) {
        excluded.push({ modelId: e.modelId, reason: 'shares no gene with the predicted model (distance unknown)' });
      }
    }
    let at = selection.evidence.findIndex((e) => e.modelId === target.id);
    const evidence = at >= 0 ? selection.evidence : [...selection.evidence, mine];
    if (at < 0) at = evidence.length - 1;
    const matrix = await this.distances.similarityOf(
      genome,
      evidence.map((e) => ({ modelId: e.modelId, revision: e.revision, sampleCount: e.coverage.samples })),
    );
    return { matrix, at, evidence, excluded };
  }

  /** Models of the matrix with a score (except those in `exclude`), in model-id order, scores checked. */
  private async scoredSet(
    matrix: SimilarityMatrix,
    scores: readonly ScoreRow[],
    exclude: ReadonlySet<number>,
  ): Promise<ScoredSet> {
    const position = new Map(matrix.modelIds.map((id, i) => [id, i]));
    const usable = scores.filter((s) => !exclude.has(s.modelId) && position.has(s.modelId));
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

  /**
   * The same rows' similarities at each other allele length the method chooses among (none for
   * the fixed-length predictors), counted from the stored raw samples and cached like the
   * reference matrix (DistanceService, one cache per length).
   */
  private async viewsOf(genome: GenomeRow, matrix: SimilarityMatrix, method: string): Promise<SimilarityMatrix[]> {
    const lengths = alleleLengthsOf(method);
    const rows = dependenciesRows(matrix.dependencies);
    // built in parallel, each model's raw samples read once for all the lengths (alongWith)
    const views = await Promise.all(lengths.map((l) => this.distances.similarityOf(genome, rows, l, lengths)));
    for (const v of views) {
      // rows are named by model id in the same order; a differing order would mix models up
      if (v.modelIds.some((id, i) => id !== matrix.modelIds[i]))
        throw new Error(`allele-length ${v.alleleLength} matrix rows differ from the reference matrix's`);
    }
    return views;
  }

  /** Fingerprint of a scored set's inputs: genome, allele rules, revisions, families and scores. */
  private keyOf(matrix: SimilarityMatrix, benchmark: string, set: ScoredSet, views: SimilarityMatrix[]): string {
    const rows = set.models.map(
      (m, i) => `${m.id}@${matrix.dependencies[set.index[i]][1]}:${set.families[i]}:${set.scores[i]}`,
    );
    // each view's own revisions (read at most as new as the reference's) go in with its length
    const lengths = views.map((v) => `${v.alleleLength}:${set.index.map((i) => v.dependencies[i][1]).join(',')}`);
    return fingerprint(
      'scored-set/v1',
      matrix.genome.id,
      matrix.genome.fingerprint,
      ALLELE_LENGTH,
      benchmark,
      ...rows,
      ...lengths,
    );
  }
}

/** A fold label as a reader knows it: the family, "fold N", or the name of a model without a family. */
function foldName(label: string, set: ScoredSet): string {
  if (!label.startsWith('\u0000')) return label;
  const i = set.families.indexOf(label);
  return i >= 0 ? set.models[i].name : label.slice(1);
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

/**
 * Whether the predicted model rests on less evidence than the training models typically do:
 * fewer samples per gene, or fewer genes, than their medians. Its interval is then calibrated on
 * training models thinned to its sampling (core/genetics/thin.ts).
 */
function sampledLess(mine: ModelEvidence, theirs: readonly ModelEvidence[]): boolean {
  const perGene = median(theirs.map((e) => e.coverage.medianSamplesPerGene));
  const genes = median(theirs.map((e) => e.coverage.genesWithSamples));
  return mine.coverage.medianSamplesPerGene < perGene || mine.coverage.genesWithSamples < genes;
}

/** Genes of the model that at least one training model has samples on too. */
function sharedWith(mine: ModelEvidence, theirs: readonly ModelEvidence[]): number {
  const union = new Uint32Array(mine.mask.length);
  for (const e of theirs) for (let w = 0; w < union.length; w++) union[w] |= e.mask[w];
  return sharedGeneCount(mine.mask, union);
}

/** The warnings of a prediction, in plain words. */
function predictionWarnings(p: {
  mine: ModelEvidence;
  theirs: readonly ModelEvidence[];
  thresholds: EvidenceThresholds;
  thin: boolean;
  sharedGenes: number;
  nearestDistance: number;
  reach: number;
  extrapolation: boolean;
  excluded: number;
}): string[] {
  const warnings: string[] = [];
  const c = p.mine.coverage;
  const short = shortfall(c, p.thresholds);
  if (short !== null) warnings.push(`this model has too little evidence to be used by default: ${short}`);
  if (p.thin) {
    warnings.push(
      `this model has a median ${c.medianSamplesPerGene} samples per gene on ${c.genesWithSamples} genes, ` +
        `the training models ${median(p.theirs.map((e) => e.coverage.medianSamplesPerGene))} on ` +
        `${median(p.theirs.map((e) => e.coverage.genesWithSamples))}: the interval was calibrated on the training ` +
        'models subsampled to its sampling',
    );
  }
  if (p.sharedGenes < p.thresholds.minGeneCoverage * c.genes) {
    warnings.push(`shares only ${p.sharedGenes} of ${c.genes} genes with the training models`);
  }
  if (p.extrapolation) {
    warnings.push(
      `extrapolation: the nearest training model is at distance ${round(p.nearestDistance)}, farther than any ` +
        `calibration model was from the models it was predicted from (${round(p.reach)})`,
    );
  }
  if (p.excluded > 0) {
    warnings.push(`${p.excluded} models with samples were left out of training (see excluded)`);
  }
  return warnings;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function dependenciesRows(dependencies: Dependencies): PopulationRevision[] {
  return dependencies.map(([modelId, revision]) => ({ modelId, revision, sampleCount: 0 }));
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

export function evaluationCalibration(families: number, models: number, cost = 1): Calibration {
  return (families + families * (families - 1)) * models * models * cost <= NESTED_CALIBRATION_BUDGET
    ? 'nested'
    : 'cross';
}

/** Work of one fit relative to the ensemble's (a length-selecting predictor selects once per length). */
export function costOf(method: string): number {
  return getPredictor(method).fitCost ?? 1;
}

/** The other allele lengths a method reads (default method when null; none for an unknown name). */
export function alleleLengthsOf(method: string | null): readonly number[] {
  const name = method ?? defaultPredictorName;
  return predictorNames.includes(name) ? (getPredictor(name).alleleLengths ?? []) : [];
}

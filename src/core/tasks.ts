/**
 * The server's heavy computations as a table of pure tasks: Nei similarity matrices, trees (NJ or
 * UPGMA, rooting, bootstrap support, Newick), predictions (fit and conformal calibration),
 * evaluations, and allele re-counting under another allele length.
 *
 * Every input and output is structured-cloneable (strings, plain objects, typed arrays), so the
 * same table runs inside a worker thread (src/compute) or inline on the caller's thread
 * (src/services/compute.ts) and both give the same numbers. Populations travel as the JSON text
 * the store keeps them in: a string is copied in one block when posted to a worker, while parsed
 * objects would be serialised key by key on the posting thread, the very work that has to leave it.
 */
import type { AlleleCounts } from './genetics/population';
import { countAlleles } from './genetics/population';
import { samplesPerGene } from './genetics/coverage';
import { neiDistance, neiSimilarity, neiSimilarityMatrix } from './genetics/nei';
import { type SimilarityLayout, similarityLayout, similarityRows } from './genetics/similarity-blocks';
import { thinTo } from './genetics/thin';
import { formatNewick } from './format/newick';
import { bootstrapSupport } from './tree/bootstrap';
import { getTreeBuilder, type TreeMethodName } from './tree/registry';
import { midpointRoot, outgroupRoot } from './tree/reroot';
import type { Tree } from './tree/tree';
import { createRandom, keyedRandom } from './random';
import { fitCalibrated } from './prediction/calibrated-fit';
import { evaluatePredictor, type Calibration, type Evaluation } from './prediction/evaluation';
import { getPredictor } from './prediction/registry';
import type { AlleleView, Hyperparameter } from './prediction/types';
import { comparePopulations, type Comparison } from './identity/compare';

/**
 * Populations in row order as one JSON array of AlleleCounts: a string (`populationsJson`), or
 * its UTF-8 bytes, which the services write into shared memory for many models
 * (services/packed-populations.ts) so posting them to a worker copies nothing. One array rather
 * than one text per model: posting 2,000 strings to a worker cost the event loop 80 ms.
 */
export type PopulationsJson = string | Uint8Array;

/** Populations in matrix row order and pairs already known (NaN: unknown). */
export interface SimilarityTask {
  populations: PopulationsJson;
  known?: Float64Array;
}

/**
 * Rows [from, to) of a big matrix by the blocked sparse product (genetics/similarity-blocks.ts),
 * written into `out` (n x n, shared memory): several such tasks fill one matrix in parallel.
 */
export interface SimilarityRowsTask {
  layout: SimilarityLayout;
  from: number;
  to: number;
  out: Float64Array;
  /** leave the cells of `out` that already hold a number (pairs known from a cache) */
  keepKnown?: boolean;
}

export type TreeRootingTask = { kind: 'NONE' } | { kind: 'MIDPOINT' } | { kind: 'OUTGROUP'; outgroup: string };

export interface TreeTask {
  /** row-major n x n Nei identities S */
  similarity: Float64Array;
  names: readonly string[];
  method: TreeMethodName;
  rooting: TreeRootingTask;
  /** bootstrap over genes: the populations of the rows (JSON text), replicates and seed */
  bootstrap?: { replicates: number; seed: number; populations: string };
}

export interface TreeResult {
  tree: Tree;
  /** by node id: fraction of bootstrap trees with the node's split; null at leaves, the root, or without bootstrap */
  support: (number | null)[];
  /** Newick with support in percent as inner-node labels when bootstrapped */
  newick: string;
}

/**
 * D(i thinned to the query's sampling, j) for training rows i, j, where `populations` holds the
 * query then the training rows. Each row is thinned once, with its own seeded stream, on first use.
 */
function thinnedDistances(populations: AlleleCounts[], seed: number): (i: number, j: number) => number {
  const [query, ...train] = populations;
  const perGene = samplesPerGene(query);
  const thinned = new Map<number, AlleleCounts>();
  return (i, j) => {
    let t = thinned.get(i);
    if (!t) {
      t = thinTo(train[i], perGene, keyedRandom(seed, 'thin', i));
      thinned.set(i, t);
    }
    return neiDistance(neiSimilarity(t, train[j]));
  };
}

/** A labelled set: rows `index` of an n x n similarity matrix (n = `size`), with scores and fold labels. */
interface ScoredRows {
  similarity: Float64Array;
  size: number;
  index: readonly number[];
  scores: readonly number[];
  families: readonly string[];
  method: string;
  level: number;
  seed: number;
  /**
   * The same matrix rows with alleles of other lengths (same size and order), for predictors that
   * choose the allele length (registry `alleleLengths`).
   */
  views?: readonly { alleleLength: number; similarity: Float64Array }[];
}

export interface PredictTask extends ScoredRows {
  /** the row of the predicted model */
  at: number;
  /**
   * Calibrate on the query's sampling: the populations (JSON array) of the query, then of each
   * training row in `index` order. Each held-out calibration model is thinned to the query's
   * samples per gene (genetics/thin.ts) before its distances to the training models are taken.
   */
  thinTo?: { populations: string; views?: readonly string[] };
}

export interface PredictResult {
  value: number;
  low: number;
  high: number;
  /** D from the predicted model to each training row, in `index` order */
  row: number[];
  /** farthest nearest-other-family distance among the calibration models (calibrated-fit.ts) */
  reach: number;
  /** what the fit on every training model chose */
  hyperparameters: Hyperparameter[];
}

export interface EvaluateTask extends ScoredRows {
  calibration: Calibration;
}

export interface RecountTask {
  geneCount: number;
  alleleLength: number;
  genes: readonly number[];
  texts: readonly string[];
}

/** One model's raw samples, counted under several allele lengths at once (read once, counted once per length). */
export interface RecountLengthsTask {
  geneCount: number;
  alleleLengths: readonly number[];
  genes: readonly number[];
  texts: readonly string[];
}

/** Samples on each gene of each population, row after row (n x genes), from their JSON array. */
export interface CoverageResult {
  genes: number;
  perGene: Int32Array;
}

/** Two populations (JSON text of AlleleCounts) to compare: identity test and bootstrap interval. */
export interface CompareTask {
  a: string;
  b: string;
  seed: number;
}

export const tasks = {
  similarity: ({ populations, known }: SimilarityTask): Float64Array =>
    neiSimilarityMatrix(parsePopulations(populations), known),

  /** The populations (JSON array) laid out for `similarityRows`, in shared memory. */
  similarityLayout: ({ populations }: { populations: PopulationsJson }): SimilarityLayout =>
    similarityLayout(parsePopulations(populations), true),

  /** Fills rows [from, to) of `out`; answers how many rows it did. */
  similarityRows: ({ layout, from, to, out, keepKnown }: SimilarityRowsTask): number => {
    similarityRows(layout, from, to, out, keepKnown);
    return to - from;
  },

  tree: ({ similarity, names, method, rooting, bootstrap }: TreeTask): TreeResult => {
    const build = getTreeBuilder(method);
    const built = build(distancesOf(similarity), names);
    const tree =
      rooting.kind === 'MIDPOINT'
        ? midpointRoot(built)
        : rooting.kind === 'OUTGROUP'
          ? outgroupRoot(built, rooting.outgroup)
          : built;
    const support = bootstrap
      ? bootstrapSupport(tree, parsePopulations(bootstrap.populations), names, build, {
          replicates: bootstrap.replicates,
          random: createRandom(bootstrap.seed),
        })
      : tree.nodes.map(() => null);
    return { tree, support, newick: formatNewick(withSupportLabels(tree, support)) };
  },

  predict: (task: PredictTask): PredictResult => {
    const { similarity, size, at, index, thinTo } = task;
    const rowOf = (s: Float64Array) => index.map((j) => neiDistance(s[at * size + j]));
    const row = rowOf(similarity);
    const fit = fitCalibrated(
      getPredictor(task.method),
      {
        distances: distanceBlock(similarity, size, index),
        scores: task.scores,
        families: task.families,
        views: viewsOf(task),
        heldOut: thinTo && thinnedDistances(parsePopulations(thinTo.populations), task.seed),
        heldOutViews: thinTo?.views?.map((p) => thinnedDistances(parsePopulations(p), task.seed)),
      },
      { seed: task.seed, level: task.level },
    );
    const viewRows = (task.views ?? []).map((v) => rowOf(v.similarity));
    return { ...fit.predict(row, viewRows), row, reach: fit.reach, hyperparameters: fit.hyperparameters };
  },

  evaluate: (task: EvaluateTask): Evaluation =>
    evaluatePredictor(
      getPredictor(task.method),
      {
        distances: distanceBlock(task.similarity, task.size, task.index),
        scores: task.scores,
        families: task.families,
        views: viewsOf(task),
      },
      { seed: task.seed, level: task.level, calibration: task.calibration },
    ),

  /**
   * Samples per gene of many populations at once (genetics/coverage.ts): what the evidence
   * thresholds read. Parsing 2,000 populations is tens of milliseconds, so it leaves the event loop too.
   */
  coverage: ({ populations }: { populations: PopulationsJson }): CoverageResult => {
    const parsed = parsePopulations(populations);
    const genes = parsed.length === 0 ? 0 : parsed[0].length;
    const perGene = new Int32Array(parsed.length * genes);
    parsed.forEach((counts, i) => perGene.set(samplesPerGene(counts), i * genes));
    return { genes, perGene };
  },

  /** Nei D, its bootstrap interval over genes and the permutation p-value (core/identity). */
  compare: ({ a, b, seed }: CompareTask): Comparison =>
    comparePopulations(JSON.parse(a) as AlleleCounts, JSON.parse(b) as AlleleCounts, { seed }),

  /** AlleleCounts as JSON text, counted from raw samples with alleles of `alleleLength` code points. */
  recount: ({ geneCount, alleleLength, genes, texts }: RecountTask): string =>
    JSON.stringify(
      countAlleles(
        geneCount,
        genes.map((gene, i) => ({ gene, text: texts[i] })),
        alleleLength,
      ),
    ),

  /**
   * `recount` for several allele lengths from the one copy of the samples: AlleleCounts as JSON
   * text per length, in the order of `alleleLengths`. The samples cross to the worker once.
   */
  recountLengths: ({ geneCount, alleleLengths, genes, texts }: RecountLengthsTask): string[] => {
    const samples = genes.map((gene, i) => ({ gene, text: texts[i] }));
    return alleleLengths.map((length) => JSON.stringify(countAlleles(geneCount, samples, length)));
  },
};

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
export type TaskInput<K extends TaskName> = Parameters<Tasks[K]>[0];
export type TaskOutput<K extends TaskName> = ReturnType<Tasks[K]>;

export function runTask<K extends TaskName>(task: K, input: TaskInput<K>): TaskOutput<K> {
  const run = tasks[task] as (input: TaskInput<K>) => TaskOutput<K>;
  if (typeof run !== 'function') throw new RangeError(`unknown task: ${String(task)}`);
  return run(input);
}

/** The JSON array of several populations, from each one's JSON text (as the store keeps them). */
export function populationsJson(texts: readonly string[]): string {
  return `[${texts.join(',')}]`;
}

function parsePopulations(json: PopulationsJson): AlleleCounts[] {
  return JSON.parse(typeof json === 'string' ? json : utf8.decode(json)) as AlleleCounts[];
}

const utf8 = new TextDecoder();

/** D = -ln(max(S, 1e-10)) for every entry (method.md). */
export function distancesOf(similarity: Float64Array): Float64Array {
  return similarity.map((s) => neiDistance(s));
}

/** D among the task's rows at each other allele length. */
function viewsOf(task: ScoredRows): AlleleView[] | undefined {
  return task.views?.map((v) => ({
    alleleLength: v.alleleLength,
    distances: distanceBlock(v.similarity, task.size, task.index),
  }));
}

/** D among the given rows of an n x n similarity matrix; 0 on the diagonal. */
function distanceBlock(similarity: Float64Array, size: number, index: readonly number[]): Float64Array {
  const n = index.length;
  const d = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) d[a * n + b] = a === b ? 0 : neiDistance(similarity[index[a] * size + index[b]]);
  }
  return d;
}

/** Inner nodes labelled with their support in percent, as tree viewers read bootstrap values. */
function withSupportLabels(tree: Tree, support: readonly (number | null)[]): Tree {
  if (support.every((s) => s === null)) return tree;
  return {
    ...tree,
    nodes: tree.nodes.map((node, id) =>
      support[id] === null ? node : { ...node, name: String(Math.round((support[id] as number) * 100)) },
    ),
  };
}

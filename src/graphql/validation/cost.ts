/**
 * The cost model: an estimate of the work one whole operation asks for, made after validation
 * with the operation's variables and before any resolver runs.
 *
 * Units are about a microsecond of work on one core (weights measured on the pure core with
 * synthetic populations: a cold Nei matrix, NJ, bootstrap replicates; see WEIGHTS). Every field
 * occurrence counts, aliases and each fragment spread included (a spread also counts as one
 * selection itself), multiplied by the number of
 * objects its parent list holds; so 20 aliased trees cost 20 trees, and a fragment spread twice
 * per level costs twice per level. The numbers that depend on data (models with samples on a
 * genome, its genes, benchmarks, providers) come in through `CostFigures`.
 *
 * Linear in the document: the tally of a selection set is computed once per (type, scope) and
 * remembered, so fragments are walked once however often they are spread.
 */
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { MAX_NEAREST_CELLS, MAX_NEAREST_K, PAIR_PAGE } from '../../services/matrix-pages';
import { BOOTSTRAP_BUDGET } from '../../services/tree.service';
import { alleleLengthsOf } from '../../services/prediction.service';

/** Weights, in cost units (about a microsecond each). */
export const WEIGHTS = {
  /** resolving one field of one object */
  field: 1,
  /** one element of a list argument (ids, genes, completions, scores) */
  argumentItem: 1,
  /** one number of a matrix answer, through graphql-js and JSON */
  cell: 0.5,
  /** one model's counts on one gene: loading, encoding, resampling (memory-bound on big genomes) */
  modelGene: 1,
  /** one number of a cached matrix read while looking for pairs or nearest neighbors */
  scanCell: 0.005,
  /** one gene of one Nei pair */
  pairGene: 0.02,
  /** NJ or UPGMA, per n^3 */
  treeCube: 0.001,
  /** one model x gene when another allele length is counted from the raw samples */
  alleleRecount: 5,
  /** a prediction: a predictor fitted on the scored models, plus their matrix */
  prediction: 100_000,
  /** a leave-one-family-out evaluation (nested calibration stops at about 3 s) */
  evaluation: 3_000_000,
  /** one write transaction */
  mutation: 1_000,
  /** a probing job: it spends provider money */
  startProbing: 100_000,
  /** one call to a provider's API */
  providerCall: 100_000,
  /** one gene of one permutation of the identity test (compareModels, identifyModel), 1,000 per pair */
  permutationGene: 0.5,
  /** objects assumed in a list nothing better is known about */
  defaultList: 10,
} as const;

export interface GenomeFigures {
  geneCount: number;
  /** models with samples on the genome */
  modelsWithSamples: number;
}

/** Data-dependent numbers the estimate needs (loaded through the services, see figures.ts). */
export interface CostFigures {
  /** undefined when there is no such genome (the resolver will say so) */
  genome(id: string): GenomeFigures | undefined;
  benchmarks: number;
  genomes: number;
  providers: { total: number; configured: number };
  builtinGenomes: number;
}

export interface CostContributor {
  /** schema coordinate, e.g. `Query.tree` */
  field: string;
  cost: number;
  /** what made the largest single occurrence expensive */
  detail?: string;
}

export interface CostEstimate {
  cost: number;
  providerCalls: number;
  /** the fields that cost most, most first */
  contributors: CostContributor[];
}

/** Per object of the parent type: the sizes its fields' costs depend on. */
interface Scope {
  key: string;
  /** models in a matrix, tree or evaluation */
  n?: number;
  /** page size of a connection */
  size?: number;
}

interface Tally {
  cost: number;
  providerCalls: number;
  byField: Map<string, { cost: number; detail?: string; largest: number }>;
}

/** How one field of one object costs: its own work, and how many objects its children run on. */
interface FieldCost {
  self: number;
  /** objects the sub-selection runs on (1 for an object, the length for a list) */
  each: number;
  /** provider calls of the field itself */
  calls?: number;
  /** multiplier for the children's provider calls (defaults to `each`) */
  callEach?: number;
  scope?: Scope;
  detail?: string;
}

const NO_SCOPE: Scope = { key: '' };

const CONNECTION_PAGES: Record<string, [fallback: number, max: number]> = {
  'Query.models': [100, 1000],
  'Query.jobs': [100, 1000],
  'Query.samples': [100, 10_000],
  'Genome.genes': [200, 10_000],
};

/** Work of one Nei matrix over n models and G genes (method.md), counted from scratch. */
export function matrixWork(n: number, genes: number, alleleLength = 4): number {
  if (n <= 0) return 0;
  const recount = alleleLength === 4 ? 0 : WEIGHTS.alleleRecount * n * genes;
  return WEIGHTS.modelGene * n * genes + WEIGHTS.pairGene * ((n * n) / 2) * genes + recount;
}

/** The matrices a prediction reads: the reference one plus one per other allele length of its method. */
function predictionMatrices(method: unknown, n: number, genes: number): number {
  const lengths = alleleLengthsOf(typeof method === 'string' ? method : null);
  return matrixWork(n, genes) + lengths.reduce((sum, l) => sum + matrixWork(n, genes, l), 0);
}

/** Work of `pairs` identity tests (1,000 permutations and bootstrap replicates each) on G genes. */
export function comparisonWork(pairs: number, genes: number): number {
  return WEIGHTS.permutationGene * 1000 * genes * pairs;
}

/** Work of one NJ or UPGMA tree over n taxa. */
export function treeWork(n: number): number {
  return WEIGHTS.treeCube * n ** 3;
}

/**
 * Work of `replicates` bootstrap trees (Felsenstein 1985): each resamples the genes, rebuilds the
 * matrix and the tree. Zero when the tree service will refuse the request at once (outside
 * 0..10,000, or over its own replicates x models^2 budget), since then none of it runs.
 */
export function bootstrapWork(replicates: number, n: number, genes: number): number {
  if (!Number.isInteger(replicates) || replicates <= 0 || replicates > 10_000) return 0;
  if (replicates * n * n > BOOTSTRAP_BUDGET) return 0;
  return replicates * (matrixWork(n, genes) + treeWork(n));
}

export function estimateCost(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  figures: CostFigures,
): CostEstimate {
  const memo = new Map<SelectionSetNode, Map<string, Tally>>();
  const inProgress = new Set<SelectionSetNode>();

  const tallyOf = (set: SelectionSetNode, type: GraphQLObjectType, scope: Scope): Tally => {
    const key = `${type.name}|${scope.key}`;
    const remembered = memo.get(set)?.get(key);
    if (remembered) return remembered;
    const tally = emptyTally();
    if (inProgress.has(set)) return tally; // a fragment cycle: refused by validation anyway
    inProgress.add(set);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        add(tally, fieldTally(selection, type, scope), 1);
      } else {
        const definition = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!definition) continue;
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          // a spread is a selection to expand, like a field; this also makes spread chains that
          // double at every level (the "fragment bomb") expensive however small their last field
          add(tally, spreadTally(), 1);
        }
        const condition = definition.typeCondition ? schema.getType(definition.typeCondition.name.value) : type;
        if (isObjectType(condition)) add(tally, tallyOf(definition.selectionSet, condition, scope), 1);
      }
    }
    inProgress.delete(set);
    if (!memo.has(set)) memo.set(set, new Map());
    memo.get(set)!.set(key, tally);
    return tally;
  };

  const fieldTally = (node: FieldNode, parent: GraphQLObjectType, scope: Scope): Tally => {
    const tally = emptyTally();
    const definition = parent.getFields()[node.name.value];
    if (!definition) {
      tally.cost = WEIGHTS.field; // __typename and other meta fields
      return tally;
    }
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(definition, node, variables);
    } catch {
      // invalid arguments: execution reports them before any work
    }
    const coordinate = `${parent.name}.${definition.name}`;
    const rule = costOf(coordinate, definition, args, scope, figures);
    const self = rule.self + WEIGHTS.argumentItem * listItems(args);
    tally.cost = self;
    tally.providerCalls = rule.calls ?? 0;
    tally.byField.set(coordinate, { cost: self, detail: rule.detail, largest: self });
    const child = getNamedType(definition.type);
    if (node.selectionSet && isObjectType(child)) {
      const children = tallyOf(node.selectionSet, child, rule.scope ?? NO_SCOPE);
      add(tally, children, rule.each, rule.callEach ?? rule.each);
    }
    return tally;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, providerCalls: 0, contributors: [] };
  const total = tallyOf(operation.selectionSet, root, NO_SCOPE);
  const contributors = [...total.byField.entries()]
    .map(([field, { cost, detail }]) => ({ field, cost: Math.round(cost), ...(detail ? { detail } : {}) }))
    .sort((a, b) => b.cost - a.cost)
    .slice(0, 3);
  return { cost: Math.round(total.cost), providerCalls: total.providerCalls, contributors };
}

function costOf(
  coordinate: string,
  definition: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  scope: Scope,
  figures: CostFigures,
): FieldCost {
  const sizes = () => {
    const genome = typeof args.genome === 'string' ? figures.genome(args.genome) : undefined;
    const withSamples = genome?.modelsWithSamples ?? 0;
    // a listed model without samples is refused by the service, so at most the models with samples run
    const n = Array.isArray(args.models) ? Math.min(args.models.length, withSamples) : withSamples;
    return { n, genes: genome?.geneCount ?? 0 };
  };
  const alleleLength = typeof args.alleleLength === 'number' ? args.alleleLength : 4;
  switch (coordinate) {
    case 'Query.distanceMatrix': {
      const { n, genes } = sizes();
      return {
        self: matrixWork(n, genes, alleleLength),
        each: 1,
        scope: { key: `n=${n}`, n },
        detail: `a matrix of ${n} models on ${genes} genes`,
      };
    }
    case 'Query.tree': {
      const { n, genes } = sizes();
      const replicates = typeof args.bootstrap === 'number' ? args.bootstrap : 0;
      const bootstrap = bootstrapWork(replicates, n, genes);
      return {
        self: matrixWork(n, genes, alleleLength) + treeWork(n) + bootstrap,
        each: 1,
        scope: { key: `n=${n}`, n },
        detail:
          bootstrap > 0
            ? `${replicates} bootstrap replicates of ${n} models on ${genes} genes`
            : `a tree of ${n} models on ${genes} genes`,
      };
    }
    case 'Query.prediction': {
      const { n, genes } = sizes();
      return {
        self: WEIGHTS.prediction + predictionMatrices(args.method, n, genes),
        each: 1,
        scope: { key: `n=${n}`, n },
      };
    }
    case 'Query.predictionEvaluation': {
      const { n, genes } = sizes();
      return {
        // the service holds the fits to the same budget whatever the predictor (evaluationCalibration)
        self: WEIGHTS.evaluation + predictionMatrices(args.method, n, genes),
        each: 1,
        scope: { key: `n=${n}`, n },
        detail: `an evaluation over up to ${n} models`,
      };
    }
    case 'Query.compareModels': {
      const { genes } = sizes();
      return { self: comparisonWork(1, genes), each: 1, detail: `an identity test on ${genes} genes` };
    }
    case 'Query.identifyModel': {
      const genome = typeof args.genome === 'string' ? figures.genome(args.genome) : undefined;
      const withSamples = genome?.modelsWithSamples ?? 0;
      const genes = genome?.geneCount ?? 0;
      const n = Array.isArray(args.candidates) ? Math.min(args.candidates.length, withSamples) : withSamples;
      return {
        self: comparisonWork(n, genes),
        each: n,
        detail: `identity tests against ${n} candidates on ${genes} genes`,
      };
    }
    case 'Query.drift': {
      const { genes } = sizes();
      // one identity test per pair of successive rounds; rounds are not known here: assume 10
      return { self: comparisonWork(WEIGHTS.defaultList, genes), each: WEIGHTS.defaultList };
    }
    case 'Mutation.scheduleProbing':
      return { self: WEIGHTS.startProbing, each: 1, detail: 'schedules paid probing rounds' };
    case 'Query.probingEstimate': {
      const input = args.input as { genome?: unknown } | undefined;
      const genome = typeof input?.genome === 'string' ? figures.genome(input.genome) : undefined;
      return { self: WEIGHTS.field * (genome?.geneCount ?? 0), each: 1 };
    }
    case 'DistanceMatrix.similarity':
    case 'DistanceMatrix.distance':
    case 'DistanceMatrix.knownDistance':
      return { self: WEIGHTS.cell * (scope.n ?? 0) ** 2, each: 1 };
    case 'DistanceMatrix.rows': {
      const n = scope.n ?? 0;
      const offset = typeof args.offset === 'number' ? Math.max(0, args.offset) : 0;
      const rows = typeof args.count === 'number' ? Math.max(0, Math.min(args.count, n - offset)) : 0;
      return { self: WEIGHTS.field, each: rows, scope: { key: `n=${n}`, n }, detail: `${rows} rows of ${n}` };
    }
    case 'DistanceRow.similarity':
    case 'DistanceRow.distance':
      return { self: WEIGHTS.cell * (scope.n ?? 0), each: 1 };
    case 'DistanceMatrix.pairs': {
      const n = scope.n ?? 0;
      const first =
        typeof args.first === 'number' && args.first > 0 ? Math.min(args.first, PAIR_PAGE.max) : PAIR_PAGE.default;
      return {
        self: WEIGHTS.scanCell * ((n * n) / 2),
        each: 1,
        scope: { key: `size=${first}`, size: first },
        detail: `pairs of ${n} models, ${first} a page`,
      };
    }
    case 'DistanceMatrix.nearest': {
      const n = scope.n ?? 0;
      const k = typeof args.k === 'number' ? Math.max(0, Math.min(args.k, MAX_NEAREST_K)) : 0;
      const offset = typeof args.offset === 'number' ? Math.max(0, args.offset) : 0;
      const fallback = Math.floor(MAX_NEAREST_CELLS / Math.max(1, k));
      const count = typeof args.count === 'number' ? args.count : fallback;
      const rows = Math.max(0, Math.min(count, n - offset));
      return {
        self: WEIGHTS.scanCell * rows * n,
        each: rows,
        scope: { key: `size=${k}`, size: k },
        detail: `${k} nearest of ${rows} models`,
      };
    }
    case 'NearestModels.neighbors':
      return { self: WEIGHTS.field, each: scope.size ?? 0 };
    case 'DistanceMatrix.coverage':
    case 'DistanceMatrix.excluded':
    case 'DistanceMatrix.unknownPairs':
    case 'Tree.excluded':
    case 'Prediction.excluded':
      return { self: WEIGHTS.field, each: scope.n ?? 0 };
    case 'Model.coverage': {
      // one model's population read and counted, gene by gene
      const genome = typeof args.genome === 'string' ? figures.genome(args.genome) : undefined;
      return { self: WEIGHTS.modelGene * (genome?.geneCount ?? 0), each: 1 };
    }
    case 'DistanceMatrix.phylip':
      return { self: 2 * WEIGHTS.cell * (scope.n ?? 0) ** 2, each: 1 };
    case 'DistanceMatrix.models':
    case 'PredictionEvaluation.points':
      return { self: WEIGHTS.field, each: scope.n ?? 0 };
    case 'Tree.nodes':
      return { self: WEIGHTS.field, each: Math.max(0, 2 * (scope.n ?? 0) - 1) };
    case 'Tree.newick':
      return { self: 10 * WEIGHTS.field * (scope.n ?? 0), each: 1 };
    case 'Prediction.neighbors':
      return { self: WEIGHTS.field, each: Math.min(scope.n ?? 0, WEIGHTS.defaultList) };
    case 'Query.genomes':
      return { self: WEIGHTS.field, each: figures.genomes };
    case 'Query.builtinGenomes':
      return { self: WEIGHTS.field, each: figures.builtinGenomes };
    case 'Query.providers':
      // every provider object resolves its fields; only configured ones call their API
      return { self: WEIGHTS.field, each: figures.providers.total, callEach: figures.providers.configured };
    case 'Provider.models':
      return {
        self: WEIGHTS.providerCall,
        each: WEIGHTS.defaultList,
        calls: 1,
        detail: 'lists models through a provider API',
      };
    case 'Model.scores':
      return { self: WEIGHTS.field, each: Math.max(1, figures.benchmarks) };
    case 'Mutation.startProbing':
      return { self: WEIGHTS.startProbing, each: 1, detail: 'starts a paid probing job' };
  }
  const page = CONNECTION_PAGES[coordinate];
  if (page) {
    const [fallback, max] = page;
    const first = typeof args.first === 'number' && args.first > 0 ? Math.min(args.first, max) : fallback;
    return { self: WEIGHTS.field, each: 1, scope: { key: `size=${first}`, size: first } };
  }
  if (coordinate.endsWith('Connection.nodes') || coordinate.endsWith('Connection.edges')) {
    return { self: WEIGHTS.field, each: scope.size ?? WEIGHTS.defaultList };
  }
  const self = coordinate.startsWith('Mutation.') ? WEIGHTS.mutation : WEIGHTS.field;
  return { self, each: isListType(getNullableType(definition.type)) ? WEIGHTS.defaultList : 1 };
}

function spreadTally(): Tally {
  const cost = WEIGHTS.field;
  return { cost, providerCalls: 0, byField: new Map([['fragment spreads', { cost, largest: cost }]]) };
}

function emptyTally(): Tally {
  return { cost: 0, providerCalls: 0, byField: new Map() };
}

/** Adds `source` run on `times` objects (and its provider calls on `callTimes`) into `target`. */
function add(target: Tally, source: Tally, times: number, callTimes = times): void {
  target.cost += source.cost * times;
  target.providerCalls += source.providerCalls * callTimes;
  for (const [field, entry] of source.byField) {
    const mine = target.byField.get(field);
    if (!mine) {
      target.byField.set(field, { ...entry, cost: entry.cost * times });
      continue;
    }
    mine.cost += entry.cost * times;
    if (entry.largest > mine.largest) {
      mine.largest = entry.largest;
      mine.detail = entry.detail;
    }
  }
}

/** Elements of the lists in an argument value, counted without recursion (values may be large). */
function listItems(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      count += item.length;
      for (const element of item) if (element !== null && typeof element === 'object') stack.push(element);
    } else if (item !== null && typeof item === 'object') {
      for (const element of Object.values(item))
        if (element !== null && typeof element === 'object') stack.push(element);
    }
  }
  return count;
}

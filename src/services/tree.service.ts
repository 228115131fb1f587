/**
 * Phylogenetic trees over a distance matrix: neighbour joining (the reference, method.md
 * "Trees") or UPGMA, optionally with bootstrap support over genes. Cached under the matrix's
 * key, the method and the bootstrap settings, so a tree is rebuilt exactly when its matrix
 * changes.
 */
import { neighborJoining } from '../core/tree/neighbor-joining';
import { formatNewick } from '../core/tree/newick';
import type { Tree } from '../core/tree/tree';
import { upgma } from '../core/tree/upgma';
import type { GenomeRow, ModelRow, Store } from '../db/store';
import { jsonCodec } from './codecs';
import { ComputationCache } from './computation-cache';
import { createRandom } from '../core/random';
import { bootstrapSupport } from '../core/tree/bootstrap';
import { distancesOf, type DistanceService, type SimilarityMatrix } from './distance.service';
import { badInput } from './errors';
import { fingerprint } from './fingerprint';
import type { PopulationService } from './population.service';
import { requireIntIn } from './validate';
import type { WriteBehind } from './write-behind';

export type TreeMethod = 'NJ' | 'UPGMA';

export interface ModelTree {
  method: TreeMethod;
  /** true for UPGMA; an NJ tree is unrooted and drawn from an arbitrary inner node */
  rooted: boolean;
  newick: string;
  tree: Tree;
  /** model id of each taxon index of `tree` */
  modelIds: number[];
  /** bootstrap replicates behind `support` (0: none computed) */
  bootstrap: number;
  /** by node id: fraction of bootstrap trees with that node's split; null at leaves and the root */
  support: (number | null)[];
}

/**
 * Bootstrap costs a Nei matrix and a tree per replicate; this bounds replicates x models^2 so a
 * request cannot occupy the server for minutes (1,000 replicates of 100 models fit).
 */
export const BOOTSTRAP_BUDGET = 10_000_000;
const BOOTSTRAP_SEED = 1;

const BUILD: Record<TreeMethod, (d: Float64Array, names: readonly string[]) => Tree> = {
  NJ: (d, names) => neighborJoining(d, names),
  UPGMA: (d, names) => upgma(d, names),
};

export class TreeService {
  private readonly cache: ComputationCache<ModelTree>;

  constructor(
    store: Store,
    private readonly distances: DistanceService,
    private readonly populations: PopulationService,
    private readonly modelNames: (ids: readonly number[]) => Promise<string[]>,
    writes: WriteBehind,
  ) {
    this.cache = new ComputationCache(store, 'tree/v1', jsonCodec<ModelTree>(), writes, 64 * 1024 * 1024);
  }

  async tree(
    genome: GenomeRow,
    models: readonly ModelRow[] | undefined,
    method: TreeMethod,
    bootstrap = 0,
  ): Promise<ModelTree> {
    if (models !== undefined && models.length < 3) throw badInput(`a tree needs at least 3 models, got ${models.length}`);
    requireIntIn('bootstrap', bootstrap, 0, 10_000);
    const matrix = await this.distances.similarity(genome, models);
    const n = matrix.modelIds.length;
    if (n < 3) throw badInput(`a tree needs at least 3 models with samples on genome "${genome.name}", found ${n}`);
    if (bootstrap * n * n > BOOTSTRAP_BUDGET) {
      throw badInput(
        `${bootstrap} bootstrap replicates of ${n} models is too much work for one request; ` +
          `at most ${Math.floor(BOOTSTRAP_BUDGET / (n * n))} for ${n} models`,
      );
    }
    const key = fingerprint('tree/v1', method, matrix.key, bootstrap, BOOTSTRAP_SEED);
    const hit = await this.cache.get(key);
    if (hit) return hit.value;

    const names = await this.modelNames(matrix.modelIds);
    const tree = BUILD[method](distancesOf(matrix.similarity), names);
    const support = bootstrap > 0 ? await this.support(genome, matrix, tree, names, method, bootstrap) : tree.nodes.map(() => null);
    const value: ModelTree = {
      method,
      rooted: tree.rooted,
      newick: formatNewick(withSupportLabels(tree, support)),
      tree,
      modelIds: matrix.modelIds,
      bootstrap,
      support,
    };
    this.cache.put(
      { key, genomeId: genome.id, dependencies: matrix.dependencies, value },
      new Map(matrix.dependencies.map(([m, r]) => [m, r])),
      64,
    );
    return value;
  }

  private async support(
    genome: GenomeRow,
    matrix: SimilarityMatrix,
    tree: Tree,
    names: readonly string[],
    method: TreeMethod,
    replicates: number,
  ): Promise<(number | null)[]> {
    const revisions = matrix.dependencies.map(([modelId, revision]) => ({ modelId, revision, sampleCount: 0 }));
    const populations = await this.populations.load(genome.id, revisions);
    return bootstrapSupport(
      tree,
      populations.map((p) => p.counts),
      names,
      BUILD[method],
      { replicates, random: createRandom(BOOTSTRAP_SEED) },
    );
  }
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

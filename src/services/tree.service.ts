/**
 * Phylogenetic trees over a distance matrix: neighbour joining (the reference, method.md
 * "Trees") or UPGMA. Cached under the matrix's key and the method, so a tree is rebuilt exactly
 * when its matrix changes.
 */
import { neighborJoining } from '../core/tree/neighbor-joining';
import { formatNewick } from '../core/tree/newick';
import type { Tree } from '../core/tree/tree';
import { upgma } from '../core/tree/upgma';
import type { GenomeRow, ModelRow, Store } from '../db/store';
import { jsonCodec } from './codecs';
import { ComputationCache } from './computation-cache';
import { distancesOf, type DistanceService } from './distance.service';
import { badInput } from './errors';
import { fingerprint } from './fingerprint';
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
}

const BUILD: Record<TreeMethod, (d: Float64Array, names: readonly string[]) => Tree> = {
  NJ: (d, names) => neighborJoining(d, names),
  UPGMA: (d, names) => upgma(d, names),
};

export class TreeService {
  private readonly cache: ComputationCache<ModelTree>;

  constructor(
    store: Store,
    private readonly distances: DistanceService,
    private readonly modelNames: (ids: readonly number[]) => Promise<string[]>,
    writes: WriteBehind,
  ) {
    this.cache = new ComputationCache(store, 'tree/v1', jsonCodec<ModelTree>(), writes, 64 * 1024 * 1024);
  }

  async tree(genome: GenomeRow, models: readonly ModelRow[] | undefined, method: TreeMethod): Promise<ModelTree> {
    if (models !== undefined && models.length < 3) throw badInput(`a tree needs at least 3 models, got ${models.length}`);
    const matrix = await this.distances.similarity(genome, models);
    const n = matrix.modelIds.length;
    if (n < 3) throw badInput(`a tree needs at least 3 models with samples on genome "${genome.name}", found ${n}`);
    const key = fingerprint('tree/v1', method, matrix.key);
    const hit = await this.cache.get(key);
    if (hit) return hit.value;

    const names = await this.modelNames(matrix.modelIds);
    const tree = BUILD[method](distancesOf(matrix.similarity), names);
    const value: ModelTree = { method, rooted: tree.rooted, newick: formatNewick(tree), tree, modelIds: matrix.modelIds };
    this.cache.put(
      { key, genomeId: genome.id, dependencies: matrix.dependencies, value },
      new Map(matrix.dependencies.map(([m, r]) => [m, r])),
      64,
    );
    return value;
  }
}

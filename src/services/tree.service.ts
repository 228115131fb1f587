/**
 * Phylogenetic trees over a distance matrix: neighbour joining (the reference, method.md
 * "Trees") or UPGMA, optionally with bootstrap support over genes. Cached under the matrix's
 * key, the method and the bootstrap settings, so a tree is rebuilt exactly when its matrix
 * changes.
 */
import type { ComputeClaims } from './compute-claims';
import { exportNewick, type ExportTree } from '../core/format/export-tree';
import { populationsJson } from '../core/tasks';
import type { TreeMethodName } from '../core/tree/registry';
import type { Tree } from '../core/tree/tree';
import type { GenomeRow, ModelRow, Store } from '../db/store';
import { jsonCodec } from './codecs';
import { ComputationCache } from './computation-cache';
import type { Compute } from './compute';
import { type DistanceService, requireIncluded, type SimilarityMatrix } from './distance.service';
import {
  DEFAULT_THRESHOLDS,
  type EvidenceService,
  type EvidenceThresholds,
  type Exclusion,
  type ThresholdRequest,
} from './evidence.service';
import { badInput } from './errors';
import { fingerprint } from './fingerprint';
import type { GenomeService } from './genome.service';
import type { ModelService } from './model.service';
import type { PopulationService } from './population.service';
import { requireIntIn } from './validate';
import type { WriteBehind } from './write-behind';

export type TreeMethod = TreeMethodName;

/** Where to draw the root: NONE keeps the method's own (NJ: none, UPGMA: its root). */
export type TreeRooting = { kind: 'NONE' } | { kind: 'MIDPOINT' } | { kind: 'OUTGROUP'; model: ModelRow };

export interface ModelTree {
  method: TreeMethod;
  /** true for UPGMA or when a root was chosen; an NJ tree is otherwise drawn from an arbitrary inner node */
  rooted: boolean;
  /** what put the root where it is: 'method' (UPGMA), 'midpoint', 'outgroup', or null (unrooted) */
  rootedBy: 'method' | 'midpoint' | 'outgroup' | null;
  newick: string;
  tree: Tree;
  /** model id of each taxon index of `tree` */
  modelIds: number[];
  /** bootstrap replicates behind `support` (0: none computed) */
  bootstrap: number;
  /** by node id: fraction of bootstrap trees with that node's split; null at leaves and the root */
  support: (number | null)[];
}

/** A request for a tree, with its genome, models and outgroup given by id. */
export interface TreeRequest extends ThresholdRequest {
  genome: string;
  /** the models in the tree; none: every model with samples on the genome */
  models?: readonly string[] | null;
  method: TreeMethod;
  bootstrap: number;
  root: TreeRooting['kind'];
  outgroup?: string | null;
  alleleLength?: number;
}

/** A tree node as the API shows it; a leaf names its model. */
export interface TreeNodeView {
  id: number;
  parent: number | null;
  branchLength: number | null;
  support: number | null;
  /** the model at a leaf; null at inner nodes */
  modelId: number | null;
}

/** A tree as the API shows it. */
export interface TreeView extends Pick<ModelTree, 'method' | 'rooted' | 'rootedBy' | 'newick' | 'bootstrap'> {
  nodes: TreeNodeView[];
  /** the tree with its models' names and families, for the export formats (tree-formats.ts) */
  exported: ExportTree;
  /** models with samples left out (too little evidence, or no gene shared with another), with why */
  excluded: Exclusion[];
}

/**
 * Bootstrap costs a Nei matrix and a tree per replicate; this bounds replicates x models^2 so a
 * request holds the server for at most a couple of seconds (100 replicates of 141 models fit).
 */
export const BOOTSTRAP_BUDGET = 2_000_000;
const BOOTSTRAP_SEED = 1;

export class TreeService {
  private readonly cache: ComputationCache<ModelTree>;
  /** trees being computed, by key: identical concurrent requests share one computation */

  constructor(
    store: Store,
    private readonly distances: DistanceService,
    private readonly populations: PopulationService,
    private readonly models: ModelService,
    private readonly genomes: GenomeService,
    writes: WriteBehind,
    private readonly compute: Compute,
    private readonly evidence: EvidenceService,
    claims?: ComputeClaims,
  ) {
    this.cache = new ComputationCache(store, 'tree/v1', jsonCodec<ModelTree>(), writes, 64 * 1024 * 1024, claims);
  }

  /** The tree a request names, resolving its ids, as the API shows it. */
  async build(request: TreeRequest): Promise<TreeView> {
    const genome = await this.genomes.get(request.genome);
    const models = await this.models.selected(request.models);
    const thresholds = this.evidence.thresholds(request);
    const rooting = await this.rooting(request.root, request.outgroup);
    const { tree, excluded } = await this.selectedTree(
      genome,
      models,
      request.method,
      request.bootstrap,
      rooting,
      request.alleleLength,
      thresholds,
    );
    return treeView(tree, excluded, await this.exportLeaves(tree.modelIds));
  }

  /** Each taxon's model: its name and its family (the provider when no family is set), for colouring. */
  private async exportLeaves(modelIds: readonly number[]): Promise<ExportTree['leaves']> {
    const rows = await this.models.byIds(modelIds);
    return rows.map((row, k) =>
      row instanceof Error
        ? { name: String(modelIds[k]), modelId: modelIds[k], family: null }
        : { name: row.name, modelId: row.id, family: row.family ?? row.provider },
    );
  }

  /**
   * The tree of the given models, or of every model with enough evidence (`thresholds`, default
   * DEFAULT_THRESHOLDS). Models sharing no gene with another are left out either way: neighbour
   * joining and UPGMA need every distance, and 23 (= -ln 1e-10) is not one.
   */
  async tree(
    genome: GenomeRow,
    models: readonly ModelRow[] | undefined,
    method: TreeMethod,
    bootstrap = 0,
    rooting: TreeRooting = { kind: 'NONE' },
    alleleLength?: number,
    thresholds: EvidenceThresholds = DEFAULT_THRESHOLDS,
  ): Promise<ModelTree> {
    return (await this.selectedTree(genome, models, method, bootstrap, rooting, alleleLength, thresholds)).tree;
  }

  private async selectedTree(
    genome: GenomeRow,
    models: readonly ModelRow[] | undefined,
    method: TreeMethod,
    bootstrap: number,
    rooting: TreeRooting,
    alleleLength: number | undefined,
    thresholds: EvidenceThresholds,
  ): Promise<{ tree: ModelTree; excluded: Exclusion[] }> {
    if (models !== undefined && models.length < 3)
      throw badInput(`a tree needs at least 3 models, got ${models.length}`);
    requireIntIn('bootstrap', bootstrap, 0, 10_000);
    const selection = this.evidence.withoutUnknownPairs(await this.evidence.select(genome, models, thresholds));
    const matrix = await this.distances.similarityOf(genome, requireIncluded(genome, selection), alleleLength);
    const n = matrix.modelIds.length;
    if (n < 3) {
      const left = selection.excluded.length ? ` (${selection.excluded.length} excluded for too little evidence)` : '';
      throw badInput(`a tree needs at least 3 models with samples on genome "${genome.name}", found ${n}${left}`);
    }
    if (bootstrap * n * n > BOOTSTRAP_BUDGET) {
      throw badInput(
        `${bootstrap} bootstrap replicates of ${n} models is too much work for one request; ` +
          `at most ${Math.floor(BOOTSTRAP_BUDGET / (n * n))} for ${n} models`,
      );
    }
    if (rooting.kind === 'OUTGROUP' && !matrix.modelIds.includes(rooting.model.id)) {
      const why = selection.excluded.find((e) => e.modelId === rooting.model.id);
      throw badInput(`the outgroup "${rooting.model.name}" is not in the tree${why ? `: ${why.reason}` : ''}`);
    }
    const rootingKey = rooting.kind === 'OUTGROUP' ? `OUTGROUP:${rooting.model.id}` : rooting.kind;
    const key = fingerprint('tree/v1', method, matrix.key, bootstrap, BOOTSTRAP_SEED, rootingKey);
    const tree = await this.cache.getOrCompute(key, async () => {
      const names = await this.models.names(matrix.modelIds);
      const built = await this.compute.run('tree', {
        similarity: matrix.similarity,
        names,
        method,
        rooting: rooting.kind === 'OUTGROUP' ? { kind: 'OUTGROUP', outgroup: rooting.model.name } : rooting,
        bootstrap:
          bootstrap > 0
            ? {
                replicates: bootstrap,
                seed: BOOTSTRAP_SEED,
                populations: await this.bootstrapPopulations(genome, matrix),
              }
            : undefined,
      });
      const value: ModelTree = {
        method,
        rooted: built.tree.rooted,
        rootedBy:
          rooting.kind === 'MIDPOINT'
            ? 'midpoint'
            : rooting.kind === 'OUTGROUP'
              ? 'outgroup'
              : built.tree.rooted
                ? 'method'
                : null,
        newick: built.newick,
        tree: built.tree,
        modelIds: matrix.modelIds,
        bootstrap,
        support: built.support,
      };
      return {
        genomeId: genome.id,
        dependencies: matrix.dependencies,
        value,
        current: new Map(matrix.dependencies),
        keep: 64,
      };
    });
    return { tree, excluded: selection.excluded };
  }

  /** The rooting a request names; an outgroup must be a model, and only goes with OUTGROUP. */
  async rooting(kind: TreeRooting['kind'], outgroup: string | null | undefined): Promise<TreeRooting> {
    if (kind !== 'OUTGROUP') {
      if (outgroup != null) throw badInput('outgroup goes with root: OUTGROUP');
      return { kind };
    }
    if (outgroup == null) throw badInput('root: OUTGROUP needs an outgroup model');
    return { kind, model: await this.models.get(outgroup) };
  }

  /** The matrix's populations (JSON text) at its revisions, for bootstrap replicates over genes. */
  private async bootstrapPopulations(genome: GenomeRow, matrix: SimilarityMatrix): Promise<string> {
    const revisions = matrix.dependencies.map(([modelId, revision]) => ({ modelId, revision, sampleCount: 0 }));
    const populations = await this.populations.textsOf(genome, revisions, matrix.alleleLength);
    return populationsJson(populations.map((p) => p.json));
  }
}

/**
 * The API's view of a built tree: each leaf's taxon index becomes its model id, and the Newick is
 * written with names ape and Bio.Phylo read back unchanged (core/format/names.ts).
 */
function treeView(
  { method, rooted, rootedBy, bootstrap, tree, support, modelIds }: ModelTree,
  excluded: Exclusion[],
  leaves: ExportTree['leaves'],
): TreeView {
  const nodes = tree.nodes.map((node) => ({
    id: node.id,
    parent: node.parent,
    branchLength: node.branchLength,
    support: support[node.id],
    modelId: node.taxon === null ? null : modelIds[node.taxon],
  }));
  const exported: ExportTree = { tree, support, leaves };
  return { method, rooted, rootedBy, newick: exportNewick(exported), bootstrap, nodes, exported, excluded };
}

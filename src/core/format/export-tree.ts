/**
 * A built tree as the export formats see it: the tree, its bootstrap supports and, for each
 * taxon, the model it stands for. The formats (Newick, NEXUS, d3 JSON, SVG) name leaves their own
 * way (names.ts) from `leaves[taxon].name`.
 */
import type { Tree } from '../tree/tree';
import { newickLabels } from './names';
import { formatNewick } from './newick';

export interface ExportLeaf {
  /** the model's name, as stored */
  name: string;
  modelId: number;
  /** the model's family (or provider) for colouring; null when unknown */
  family: string | null;
}

export interface ExportTree {
  tree: Tree;
  /** by node id: fraction of bootstrap trees with the node's split, null where none */
  support: readonly (number | null)[];
  /** by taxon index */
  leaves: readonly ExportLeaf[];
}

/** Support in percent, as inner-node labels carry it (PHYLIP consense, ape, Bio.Phylo read it so). */
export function supportPercent(support: number): string {
  return String(Math.round(support * 100));
}

/**
 * `tree` with each leaf named by `labels[taxon]` and each inner node labelled with its support
 * in percent (unlabelled without support). The input is not changed.
 */
export function labelledTree({ tree, support }: ExportTree, labels: readonly string[]): Tree {
  return {
    ...tree,
    nodes: tree.nodes.map((node) => {
      if (node.taxon !== null) return { ...node, name: labels[node.taxon] };
      const s = support[node.id];
      return { ...node, name: s === null || s === undefined ? null : supportPercent(s) };
    }),
  };
}

/**
 * Newick of an exported tree: leaves named by `newickLabels` (read back unchanged by
 * ape::read.tree and Bio.Phylo), support in percent on inner nodes, "[&R] " when rooted.
 */
export function exportNewick(exported: ExportTree): string {
  const labels = newickLabels(exported.leaves.map((leaf) => leaf.name));
  return formatNewick(labelledTree(exported, labels), { bare: true });
}

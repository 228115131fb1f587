/**
 * Where each node of a tree goes: d3-hierarchy's `stratify` builds the hierarchy from the API's
 * flat node list (id, parent) and `cluster` spreads the leaves evenly in tree order (the
 * dendrogram layout); depth is then either the summed branch lengths (a phylogram) or the
 * cluster's leaf-aligned depth (a cladogram). Negative branch lengths, which neighbour joining
 * can give (Saitou & Nei 1987; Felsenstein, Inferring Phylogenies, ch. 11), are drawn as 0 and
 * counted, so the page can say so.
 */
import { cluster, stratify, type HierarchyPointNode } from 'd3-hierarchy';

export interface TreeNodeData {
  id: string;
  parent: string | null;
  branchLength: number | null;
  support: number | null;
  model: { id: string; name: string; family: string | null } | null;
}

export type Lengths = 'phylogram' | 'cladogram';

export interface PlacedNode {
  data: TreeNodeData;
  /** position across the leaves, in [0, 1] (leaf order) */
  across: number;
  /** distance from the root, in [0, 1] of the deepest leaf */
  depth: number;
  parent?: PlacedNode;
}

export interface TreeLayout {
  nodes: PlacedNode[];
  /** leaves in drawing order */
  leaves: PlacedNode[];
  /** branches with a negative length, drawn as 0 */
  negativeLengths: number;
  /** the deepest leaf's summed length (phylogram units; 1 for a cladogram) */
  height: number;
}

export function layoutTree(nodes: readonly TreeNodeData[], lengths: Lengths): TreeLayout {
  const root = stratify<TreeNodeData>()
    .id((d) => d.id)
    .parentId((d) => d.parent)([...nodes]);
  // leaves sorted by subtree size then name: a stable, readable order (ladderised)
  root.count().sort((a, b) => (a.value ?? 0) - (b.value ?? 0) || label(a.data).localeCompare(label(b.data)));
  const placed = cluster<TreeNodeData>().size([1, 1])(root);
  let negativeLengths = 0;
  const summed = new Map<HierarchyPointNode<TreeNodeData>, number>();
  placed.each((node) => {
    const length = node.data.branchLength ?? 0;
    if (node.parent && length < 0) negativeLengths += 1;
    summed.set(node, node.parent ? summed.get(node.parent)! + Math.max(0, length) : 0);
  });
  const height = lengths === 'phylogram' ? Math.max(...placed.leaves().map((l) => summed.get(l)!)) || 1 : 1;
  const byNode = new Map<HierarchyPointNode<TreeNodeData>, PlacedNode>();
  const all: PlacedNode[] = [];
  placed.each((node) => {
    const depth = lengths === 'phylogram' ? summed.get(node)! / height : node.y;
    const entry: PlacedNode = {
      data: node.data,
      across: node.x,
      depth,
      parent: node.parent ? byNode.get(node.parent) : undefined,
    };
    byNode.set(node, entry);
    all.push(entry);
  });
  return { nodes: all, leaves: placed.leaves().map((l) => byNode.get(l)!), negativeLengths, height };
}

function label(data: TreeNodeData): string {
  return data.model?.name ?? '';
}

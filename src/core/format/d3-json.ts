/**
 * A tree as nested JSON for d3-hierarchy (`d3.hierarchy(root)` reads `children` by default):
 * every node has `name`, `length` (the edge to its parent as computed: NJ may give a negative
 * one; null at the root) and `support` (fraction of bootstrap trees, null where none); a leaf adds
 * its `modelId` and `family` and has no `children`. Built without recursion, so a deep tree does
 * not overflow the call stack here.
 *
 * Complexity: O(nodes).
 */
import { preorder } from '../tree/traversal';
import type { ExportTree } from './export-tree';

export interface D3TreeNode {
  /** the model's name at a leaf; null at inner nodes */
  name: string | null;
  length: number | null;
  support: number | null;
  modelId?: number;
  family?: string | null;
  children?: D3TreeNode[];
}

export function d3Hierarchy({ tree, support, leaves }: ExportTree): D3TreeNode {
  const built: D3TreeNode[] = new Array(tree.nodes.length);
  for (const id of preorder(tree)) {
    const node = tree.nodes[id];
    const leaf = node.taxon === null ? undefined : leaves[node.taxon];
    const out: D3TreeNode = leaf
      ? { name: leaf.name, length: node.branchLength, support: null, modelId: leaf.modelId, family: leaf.family }
      : { name: null, length: node.branchLength, support: support[id] ?? null, children: [] };
    built[id] = out;
    if (node.parent !== null && id !== tree.root) built[node.parent].children!.push(out);
  }
  return built[tree.root];
}

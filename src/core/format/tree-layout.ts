/**
 * The classic recursive layout of a phylogeny (Felsenstein 2004, "Inferring Phylogenies",
 * ch. 34; what ape's plot.phylo and d3's cluster layout do), written iteratively:
 *
 * - `order`: leaves take slots 0, 1, ... in depth-first order; an inner node sits halfway
 *   between its first and last child, so no edges cross.
 * - `depth`: a phylogram places a node at the sum of the branch lengths from the root, a
 *   negative length (neighbour joining can give one) counted as 0; a cladogram ignores lengths and
 *   puts every leaf at the same depth, each inner node one level above its highest child.
 *
 * Rectangular drawings use (depth, order) as (x, y); radial ones as (radius, angle).
 *
 * Complexity: O(nodes).
 */
import { postorder, preorder } from '../tree/traversal';
import type { Tree } from '../tree/tree';

export type BranchLengths = 'phylogram' | 'cladogram';

export interface NodePosition {
  depth: number;
  order: number;
}

export interface TreeLayout {
  /** by node id */
  positions: NodePosition[];
  /** the deepest node's depth (> 0 unless every length is 0) */
  maxDepth: number;
  leafCount: number;
  /** edges with a negative length, drawn as 0 */
  negativeLengths: number;
}

export function layoutTree(tree: Tree, lengths: BranchLengths = 'phylogram'): TreeLayout {
  const positions: NodePosition[] = tree.nodes.map(() => ({ depth: 0, order: 0 }));
  let leafCount = 0;
  let negativeLengths = 0;
  for (const id of preorder(tree)) {
    const node = tree.nodes[id];
    if (node.children.length === 0) positions[id].order = leafCount++;
    if (node.branchLength !== null && node.branchLength < 0 && id !== tree.root) negativeLengths++;
  }
  const height: number[] = tree.nodes.map(() => 0);
  for (const id of postorder(tree)) {
    const children = tree.nodes[id].children;
    if (children.length === 0) continue;
    positions[id].order = (positions[children[0]].order + positions[children[children.length - 1]].order) / 2;
    height[id] = 1 + Math.max(...children.map((c) => height[c]));
  }
  let maxDepth = 0;
  for (const id of preorder(tree)) {
    const node = tree.nodes[id];
    if (id === tree.root || node.parent === null) continue;
    positions[id].depth =
      lengths === 'cladogram'
        ? height[tree.root] - height[id]
        : positions[node.parent].depth + Math.max(0, node.branchLength ?? 0);
    maxDepth = Math.max(maxDepth, positions[id].depth);
  }
  return { positions, maxDepth, leafCount, negativeLengths };
}

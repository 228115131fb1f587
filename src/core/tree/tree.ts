/**
 * Tree data types shared by the tree builders, Newick I/O and tree comparison, the one way to
 * build a tree (`newNode`, `attach`), and small read-only helpers (walks: traversal.ts).
 *
 * Nodes live in a flat array and refer to each other by index (`id` = array index). A
 * leaf's `taxon` indexes the distance matrix (or, for a parsed Newick tree, the order the
 * leaves appear in the text). `rooted: false` means the root is only where an unrooted
 * tree is drawn from (NJ), not a claim about ancestry.
 *
 * Complexity: `leafNames` O(nodes); `patristicDistances` O(leaves * nodes).
 */
import { PhyloInputError } from '../errors';
import { leaves, undirectedEdges, walkFrom } from './traversal';

export interface TreeNode {
  id: number;
  parent: number | null;
  children: number[];
  /** index into the input matrix, leaves only */
  taxon: number | null;
  name: string | null;
  /** length of the edge to parent; null at root */
  branchLength: number | null;
}

export interface Tree {
  nodes: TreeNode[];
  root: number;
  /** false for NJ: the root is just where the unrooted tree is drawn from */
  rooted: boolean;
}

/** One join of a clustering method: clusters `i` and `j` (node ids) under a new node. */
export interface Join {
  i: number;
  j: number;
  /** branch length from the new node to i */
  li: number;
  /** branch length from the new node to j */
  lj: number;
}

/** A node with no parent, children, taxon, name or length yet. */
export function newNode(id: number): TreeNode {
  return { id, parent: null, children: [], taxon: null, name: null, branchLength: null };
}

/** Hangs `child` under `parent` by an edge of `length`, after the children it already has. */
export function attach(nodes: TreeNode[], parent: number, child: number, length: number): void {
  nodes[child].parent = parent;
  nodes[child].branchLength = length;
  nodes[parent].children.push(child);
}

/** Leaf names in taxon order (empty string for an unnamed leaf). */
export function leafNames(tree: Tree): string[] {
  return leaves(tree).map((node) => node.name ?? '');
}

/**
 * Path lengths between all pairs of leaves, row-major, in the order of {@link leafNames}.
 * Throws when an edge on the way has no length.
 */
export function patristicDistances(tree: Tree): Float64Array {
  const order = leaves(tree);
  const m = order.length;
  const edges = undirectedEdges(tree, requireLength);
  const out = new Float64Array(m * m);
  order.forEach((leaf, k) => {
    // distance[v] = path length leaf -> v
    const { distance } = walkFrom(edges, leaf.id);
    order.forEach((other, j) => (out[k * m + j] = distance[other.id]));
  });
  return out;
}

function requireLength(child: TreeNode): number {
  if (child.branchLength === null) {
    throw new PhyloInputError(`patristic distances need branch lengths: edge above node ${child.id} has none`);
  }
  return child.branchLength;
}

/**
 * Builds a Tree from a join list: leaves are nodes 0..n-1 (taxon = index), join k creates
 * node n+k. `finalChildren` (node ids) hang from the root without a further join.
 */
export function treeFromJoins(
  names: readonly string[],
  joins: readonly Join[],
  finalChildren: readonly { id: number; length: number }[],
  rooted: boolean,
): Tree {
  const n = names.length;
  const nodes: TreeNode[] = names.map((name, k) => ({ ...newNode(k), taxon: k, name }));
  joins.forEach((join, k) => {
    nodes.push(newNode(n + k));
    attach(nodes, n + k, join.i, join.li);
    attach(nodes, n + k, join.j, join.lj);
  });
  let root = nodes.length - 1;
  if (finalChildren.length > 0) {
    root = nodes.length;
    nodes.push(newNode(root));
    for (const { id, length } of finalChildren) attach(nodes, root, id, length);
  }
  return { nodes, root, rooted };
}

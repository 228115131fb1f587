/**
 * Tree data types shared by the tree builders, Newick I/O and tree comparison, plus small
 * read-only helpers.
 *
 * Nodes live in a flat array and refer to each other by index (`id` = array index). A
 * leaf's `taxon` indexes the distance matrix (or, for a parsed Newick tree, the order the
 * leaves appear in the text). `rooted: false` means the root is only where an unrooted
 * tree is drawn from (NJ), not a claim about ancestry.
 *
 * Complexity: `leafNames` O(nodes); `patristicDistances` O(leaves * nodes).
 */
import { PhyloInputError } from '../errors';

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

/** Leaves in taxon order (leaves without a taxon last, in node order). */
export function leaves(tree: Tree): TreeNode[] {
  const result = tree.nodes.filter((node) => node.children.length === 0);
  return result.sort((a, b) => (a.taxon ?? Infinity) - (b.taxon ?? Infinity) || a.id - b.id);
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
  const out = new Float64Array(m * m);
  const depth = new Float64Array(tree.nodes.length);
  const column = new Int32Array(tree.nodes.length).fill(-1);
  order.forEach((leaf, k) => (column[leaf.id] = k));
  order.forEach((leaf, k) => {
    // walk outward from the leaf: depth[v] = path length leaf -> v
    const stack = [leaf.id];
    const seen = new Uint8Array(tree.nodes.length);
    seen[leaf.id] = 1;
    depth[leaf.id] = 0;
    while (stack.length > 0) {
      const v = stack.pop() as number;
      if (column[v] >= 0) out[k * m + column[v]] = depth[v];
      for (const w of neighbours(tree, v)) {
        if (seen[w]) continue;
        seen[w] = 1;
        depth[w] = depth[v] + edgeLength(tree, v, w);
        stack.push(w);
      }
    }
  });
  return out;
}

function neighbours(tree: Tree, v: number): number[] {
  const node = tree.nodes[v];
  return node.parent === null ? node.children : [...node.children, node.parent];
}

function edgeLength(tree: Tree, v: number, w: number): number {
  const child = tree.nodes[v].parent === w ? tree.nodes[v] : tree.nodes[w];
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
  const nodes: TreeNode[] = names.map((name, k) => ({
    id: k,
    parent: null,
    children: [],
    taxon: k,
    name,
    branchLength: null,
  }));
  const attach = (parent: number, child: number, length: number) => {
    nodes[child].parent = parent;
    nodes[child].branchLength = length;
    nodes[parent].children.push(child);
  };
  joins.forEach((join, k) => {
    nodes.push({ id: n + k, parent: null, children: [], taxon: null, name: null, branchLength: null });
    attach(n + k, join.i, join.li);
    attach(n + k, join.j, join.lj);
  });
  let root = nodes.length - 1;
  if (finalChildren.length > 0) {
    root = nodes.length;
    nodes.push({ id: root, parent: null, children: [], taxon: null, name: null, branchLength: null });
    for (const { id, length } of finalChildren) attach(root, id, length);
  }
  return { nodes, root, rooted };
}

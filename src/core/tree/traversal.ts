/**
 * The ways the tree code walks a tree, written once. Every walk is iterative, so a deep
 * (caterpillar) tree of thousands of leaves cannot overflow the call stack.
 *
 * Rooted walks follow `children` in stored order from the root. Undirected walks treat the tree
 * as a graph (an unrooted tree's root is only where it is drawn from), for path lengths and
 * re-rooting.
 *
 * Complexity: O(nodes) per walk.
 */
import type { Tree, TreeNode } from './tree';

/** Depth-first visit: `enter` before a node's children (with its rank among its siblings), `leave` after. */
export interface Visitor {
  enter?(id: number, rank: number): void;
  leave?(id: number): void;
}

export function depthFirst(tree: Tree, visitor: Visitor, from: number = tree.root): void {
  visitor.enter?.(from, 0);
  const stack: { id: number; next: number }[] = [{ id: from, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const children = tree.nodes[top.id].children;
    if (top.next < children.length) {
      const rank = top.next++;
      visitor.enter?.(children[rank], rank);
      stack.push({ id: children[rank], next: 0 });
    } else {
      visitor.leave?.(top.id);
      stack.pop();
    }
  }
}

/** Node ids, every parent before its children. */
export function preorder(tree: Tree, from: number = tree.root): number[] {
  const order: number[] = [];
  depthFirst(tree, { enter: (id) => order.push(id) }, from);
  return order;
}

/** Node ids, every node after its children. */
export function postorder(tree: Tree, from: number = tree.root): number[] {
  const order: number[] = [];
  depthFirst(tree, { leave: (id) => order.push(id) }, from);
  return order;
}

/** Leaves in taxon order (leaves without a taxon last, in node order). */
export function leaves(tree: Tree): TreeNode[] {
  const result = tree.nodes.filter((node) => node.children.length === 0);
  return result.sort((a, b) => (a.taxon ?? Infinity) - (b.taxon ?? Infinity) || a.id - b.id);
}

/** An edge seen from one end: the node at the other end and the edge's length. */
export interface Edge {
  to: number;
  length: number;
}

/** The tree as an undirected graph: each node's edges, lengths given by `length(child)`. */
export function undirectedEdges(tree: Tree, length: (child: TreeNode) => number): Edge[][] {
  const edges: Edge[][] = tree.nodes.map(() => []);
  for (const node of tree.nodes) {
    if (node.parent === null) continue;
    const l = length(node);
    edges[node.id].push({ to: node.parent, length: l });
    edges[node.parent].push({ to: node.id, length: l });
  }
  return edges;
}

/** The tree seen from one node: the nodes it reaches, each with the previous node on the way. */
export interface Walk {
  /** reached nodes, `start` first, each after the node it was reached from */
  order: number[];
  /** the node each was reached from; -1 for `start` and nodes not reached */
  parent: Int32Array;
  /** the length of the edge it was reached by */
  length: Float64Array;
  /** path length from `start`; NaN for nodes not reached */
  distance: Float64Array;
}

/**
 * Walks the undirected graph from `start`. A node's neighbours are reached in the order of its
 * edge list, so orienting the edges in walk order keeps each node's children in that order.
 */
export function walkFrom(edges: readonly Edge[][], start: number): Walk {
  const size = edges.length;
  const parent = new Int32Array(size).fill(-1);
  const length = new Float64Array(size);
  const distance = new Float64Array(size).fill(NaN);
  const seen = new Uint8Array(size);
  const order = [start];
  seen[start] = 1;
  distance[start] = 0;
  const stack = [start];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    for (const edge of edges[node]) {
      if (seen[edge.to]) continue;
      seen[edge.to] = 1;
      parent[edge.to] = node;
      length[edge.to] = edge.length;
      distance[edge.to] = distance[node] + edge.length;
      order.push(edge.to);
      stack.push(edge.to);
    }
  }
  return { order, parent, length, distance };
}

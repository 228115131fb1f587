/**
 * Rooting an unrooted tree for display. An NJ tree says nothing about where the root is
 * (method.md, "Trees"); a drawing needs one, and the choice must be labelled as a choice:
 *
 * - midpoint: the root sits halfway along the longest leaf-to-leaf path (Farris 1972), which
 *   assumes roughly clock-like evolution;
 * - outgroup: the root sits halfway along the edge above a chosen leaf, which then hangs
 *   alone on one side of the root.
 *
 * Both keep every path length between leaves; they only add one node on an edge and orient
 * edges away from it. Negative NJ branch lengths are kept as they are; the longest path is
 * taken by summed length.
 *
 * Complexity: midpoint O(leaves * nodes) for the path lengths; outgroup O(nodes).
 *
 * @see Farris JS. 1972. Estimating phylogenetic trees from distance matrices. Am Nat 106:645-668.
 */
import { PhyloInputError } from '../errors';
import type { Tree, TreeNode } from './tree';

interface Edge {
  to: number;
  length: number;
}

/** The tree rooted at the middle of its longest leaf-to-leaf path. */
export function midpointRoot(tree: Tree): Tree {
  const adjacency = undirected(tree);
  const leafIds = tree.nodes.filter((n) => adjacency[n.id].length === 1).map((n) => n.id);
  if (leafIds.length < 2) throw new PhyloInputError('midpoint rooting needs at least 2 leaves');
  // the two leaves farthest apart, by path length (exhaustive: lengths may be negative)
  let best = { from: leafIds[0], to: leafIds[0], length: -Infinity };
  for (const from of leafIds) {
    const { distance } = walkFrom(adjacency, from);
    for (const to of leafIds) if (to !== from && distance[to] > best.length) best = { from, to, length: distance[to] };
  }
  // walk back from `to` toward `from` until half the length is covered
  const { parent, distance } = walkFrom(adjacency, best.from);
  const half = best.length / 2;
  let node = best.to;
  while (parent[node] !== -1 && distance[parent[node]] > half) node = parent[node];
  const above = parent[node];
  // the midpoint lies on edge (above, node), `half - distance[above]` away from `above`
  return rootOnEdge(tree, adjacency, above, node, half - distance[above]);
}

/** The tree rooted halfway along the edge above the leaf named `outgroup`. */
export function outgroupRoot(tree: Tree, outgroup: string): Tree {
  const leaf = tree.nodes.find((n) => n.children.length === 0 && n.name === outgroup);
  if (!leaf) throw new PhyloInputError(`no leaf named "${outgroup}" to root on`);
  const adjacency = undirected(tree);
  const [edge] = adjacency[leaf.id];
  return rootOnEdge(tree, adjacency, edge.to, leaf.id, edge.length / 2);
}

/** Undirected edges of the tree (an unrooted tree's root is just an inner node). */
function undirected(tree: Tree): Edge[][] {
  const adjacency: Edge[][] = tree.nodes.map(() => []);
  for (const node of tree.nodes) {
    if (node.parent === null) continue;
    const length = node.branchLength ?? 0;
    adjacency[node.id].push({ to: node.parent, length });
    adjacency[node.parent].push({ to: node.id, length });
  }
  return dropDegreeTwoRoot(tree, adjacency);
}

/**
 * A rooted input has a root of degree 2, which is not a real node of the unrooted tree: join
 * its two edges into one, so re-rooting does not leave an extra node behind.
 */
function dropDegreeTwoRoot(tree: Tree, adjacency: Edge[][]): Edge[][] {
  const edges = adjacency[tree.root];
  if (edges.length !== 2) return adjacency;
  const [a, b] = edges;
  const length = a.length + b.length;
  adjacency[a.to] = adjacency[a.to].map((e) => (e.to === tree.root ? { to: b.to, length } : e));
  adjacency[b.to] = adjacency[b.to].map((e) => (e.to === tree.root ? { to: a.to, length } : e));
  adjacency[tree.root] = [];
  return adjacency;
}

/** Path lengths and parents from one node over the undirected tree. */
function walkFrom(adjacency: Edge[][], start: number): { distance: Float64Array; parent: Int32Array } {
  const distance = new Float64Array(adjacency.length).fill(NaN);
  const parent = new Int32Array(adjacency.length).fill(-1);
  distance[start] = 0;
  const stack = [start];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    for (const { to, length } of adjacency[node]) {
      if (!Number.isNaN(distance[to])) continue;
      distance[to] = distance[node] + length;
      parent[to] = node;
      stack.push(to);
    }
  }
  return { distance, parent };
}

/** A new root on edge (u, v), `fromU` along it from u; every edge oriented away from it. */
function rootOnEdge(tree: Tree, adjacency: Edge[][], u: number, v: number, fromU: number): Tree {
  const edge = adjacency[u].find((e) => e.to === v);
  if (!edge) throw new PhyloInputError(`nodes ${u} and ${v} are not adjacent`);
  const root = tree.nodes.length;
  const nodes: TreeNode[] = tree.nodes.map((n) => ({ ...n, parent: null, children: [], branchLength: null }));
  nodes.push({ id: root, parent: null, children: [], taxon: null, name: null, branchLength: null });
  const attach = (parent: number, child: number, length: number) => {
    nodes[child].parent = parent;
    nodes[child].branchLength = length;
    nodes[parent].children.push(child);
  };
  attach(root, u, fromU);
  attach(root, v, edge.length - fromU);
  // orient the rest away from the root, never crossing the split edge again
  const stack: [number, number][] = [
    [u, v],
    [v, u],
  ];
  while (stack.length > 0) {
    const [node, from] = stack.pop() as [number, number];
    for (const { to, length } of adjacency[node]) {
      if (to === from) continue;
      attach(node, to, length);
      stack.push([to, node]);
    }
  }
  return compact({ nodes, root, rooted: true });
}

/** Drops nodes that are no longer attached (a removed degree-2 root) and renumbers ids. */
function compact(tree: Tree): Tree {
  const keep = tree.nodes.filter((n) => n.id === tree.root || n.parent !== null);
  if (keep.length === tree.nodes.length) return tree;
  const id = new Map(keep.map((n, k) => [n.id, k]));
  const nodes = keep.map((n) => ({
    ...n,
    id: id.get(n.id) as number,
    parent: n.parent === null ? null : (id.get(n.parent) as number),
    children: n.children.map((c) => id.get(c) as number),
  }));
  return { nodes, root: id.get(tree.root) as number, rooted: true };
}

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
import { type Edge, undirectedEdges, walkFrom } from './traversal';
import { attach, newNode, type Tree, type TreeNode } from './tree';

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
  return dropDegreeTwoRoot(
    tree,
    undirectedEdges(tree, (node) => node.branchLength ?? 0),
  );
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

/** A new root on edge (u, v), `fromU` along it from u; every edge oriented away from it. */
function rootOnEdge(tree: Tree, adjacency: Edge[][], u: number, v: number, fromU: number): Tree {
  const edge = adjacency[u].find((e) => e.to === v);
  if (!edge) throw new PhyloInputError(`nodes ${u} and ${v} are not adjacent`);
  const root = tree.nodes.length;
  const nodes: TreeNode[] = tree.nodes.map((n) => ({ ...n, parent: null, children: [], branchLength: null }));
  nodes.push(newNode(root));
  attach(nodes, root, u, fromU);
  attach(nodes, root, v, edge.length - fromU);
  // orient the rest away from the root: as reached from u, except v, which now hangs from the root
  const walk = walkFrom(adjacency, u);
  for (const node of walk.order) {
    if (node !== u && node !== v) attach(nodes, walk.parent[node], node, walk.length[node]);
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

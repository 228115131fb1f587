import { formatNewick, parseNewick } from '../../../src/core/format/newick';
import { depthFirst, leaves, postorder, preorder, undirectedEdges, walkFrom } from '../../../src/core/tree/traversal';
import { patristicDistances, treeFromJoins, type Join, type Tree } from '../../../src/core/tree/tree';

const names = (tree: Tree, ids: readonly number[]) => ids.map((id) => tree.nodes[id].name);

/** A caterpillar ((((l0,l1),l2),l3)...) of `n` leaves: as deep as a tree of n leaves gets. */
function caterpillar(n: number): Tree {
  const names = Array.from({ length: n }, (_, k) => `l${k}`);
  const joins: Join[] = names.slice(1).map((_, k) => ({ i: k === 0 ? 0 : n + k - 1, j: k + 1, li: 1, lj: 1 }));
  return treeFromJoins(names, joins, [], true);
}

/** Its Newick text, built without a tree. */
function caterpillarNewick(n: number): string {
  let text = 'l0:1';
  for (let k = 1; k < n; k++) text = `(${text},l${k}:1)${k < n - 1 ? ':1' : ''}`;
  return `${text};`;
}

describe('preorder and postorder', () => {
  const tree = parseNewick('((a,b)ab,(c,d,e)cde)root;');

  it('preorder(tree) lists each parent before its children, children in stored order', () => {
    expect(names(tree, preorder(tree))).toEqual(['root', 'ab', 'a', 'b', 'cde', 'c', 'd', 'e']);
  });

  it('postorder(tree) lists each node after its children, children in stored order', () => {
    expect(names(tree, postorder(tree))).toEqual(['a', 'b', 'ab', 'c', 'd', 'e', 'cde', 'root']);
  });

  it('preorder(tree, from) walks only the subtree below `from`', () => {
    const cde = tree.nodes.find((node) => node.name === 'cde')!;
    expect(names(tree, preorder(tree, cde.id))).toEqual(['cde', 'c', 'd', 'e']);
  });

  it('depthFirst gives each node its rank among its siblings', () => {
    const ranks: string[] = [];
    depthFirst(tree, { enter: (id, rank) => ranks.push(`${tree.nodes[id].name}:${rank}`) });
    expect(ranks).toEqual(['root:0', 'ab:0', 'a:0', 'b:1', 'cde:1', 'c:0', 'd:1', 'e:2']);
  });

  it('walks a caterpillar of 50,000 leaves without overflowing the call stack', () => {
    const deep = caterpillar(50_000);
    expect(preorder(deep)).toHaveLength(99_999);
    expect(postorder(deep).at(-1)).toBe(deep.root);
    expect(formatNewick(deep)).toBe('[&R] ' + caterpillarNewick(50_000));
  });
});

describe('leaves', () => {
  it('leaves(tree) are in taxon order, whatever their place in the node list', () => {
    const tree = parseNewick('((b,a),c);');
    expect(leaves(tree).map((leaf) => leaf.name)).toEqual(['b', 'a', 'c']);
    tree.nodes.find((node) => node.name === 'b')!.taxon = 5;
    expect(leaves(tree).map((leaf) => leaf.name)).toEqual(['a', 'c', 'b']);
  });
});

describe('walkFrom', () => {
  // a:1 and b:2 under x:3; c:4 and d:5 under the root
  const tree = parseNewick('((a:1,b:2)x:3,c:4,d:5);');
  const edges = undirectedEdges(tree, (node) => node.branchLength ?? 0);
  const id = (name: string) => tree.nodes.findIndex((node) => node.name === name);

  it('walkFrom(edges, leaf) measures path lengths across the root, as if the tree were unrooted', () => {
    const { distance } = walkFrom(edges, id('a'));
    expect(['a', 'b', 'x', 'c', 'd'].map((name) => distance[id(name)])).toEqual([0, 3, 1, 8, 9]);
    expect(distance[tree.root]).toBe(4);
  });

  it('walkFrom lists every node after the one it was reached from, with that edge', () => {
    const walk = walkFrom(edges, id('c'));
    expect(walk.order[0]).toBe(id('c'));
    expect(walk.order).toHaveLength(tree.nodes.length);
    for (const node of walk.order.slice(1)) {
      expect(walk.order.indexOf(walk.parent[node])).toBeLessThan(walk.order.indexOf(node));
      expect(walk.distance[node]).toBe(walk.distance[walk.parent[node]] + walk.length[node]);
    }
  });

  it('patristicDistances agrees with a walk from each leaf', () => {
    const p = patristicDistances(tree);
    const order = leaves(tree);
    order.forEach((leaf, k) => {
      const { distance } = walkFrom(edges, leaf.id);
      order.forEach((other, j) => expect(p[k * order.length + j]).toBe(distance[other.id]));
    });
  });
});

import { formatNewick, parseNewick } from '../../../src/core/format/newick';
import { midpointRoot, outgroupRoot } from '../../../src/core/tree/reroot';
import { maxPatristicDifference, rootDistances, rootSides } from '../helpers/tree-compare';

describe('midpointRoot', () => {
  it('midpointRoot puts the root halfway along the longest leaf-to-leaf path and keeps every path length', () => {
    // longest path: b - c, 1 + 1 + 6 = 8; its midpoint is 4 from c, on the edge above c
    const tree = parseNewick('((a:1,b:1):1,c:6,d:0.5);');
    const rooted = midpointRoot(tree);
    expect(rooted.rooted).toBe(true);
    expect(rootSides(rooted)).toEqual([['c'], ['a', 'b', 'd']]);
    const toRoot = rootDistances(rooted);
    expect(toRoot.get('c')).toBeCloseTo(4, 12);
    expect(toRoot.get('b')).toBeCloseTo(4, 12);
    expect(maxPatristicDifference(tree, rooted)).toBeLessThan(1e-12);
  });

  it('midpointRoot of a rooted tree re-roots it without leaving the old root behind', () => {
    const tree = parseNewick('((a:1,b:1):0.5,(c:3,d:1):0.5);');
    const rooted = midpointRoot(tree);
    expect(rooted.nodes).toHaveLength(tree.nodes.length);
    expect(maxPatristicDifference(tree, rooted)).toBeLessThan(1e-12);
    expect(parseNewick(formatNewick(rooted)).nodes).toHaveLength(rooted.nodes.length);
  });

  // phangorn::midpoint on NJ trees: test/core/oracles/trees.oracle.test.ts (fixtures) and
  // trees.live.test.ts (a fresh matrix, live)
});

describe('outgroupRoot', () => {
  it('outgroupRoot hangs the outgroup alone on one side of the root, halfway along its edge', () => {
    const tree = parseNewick('((a:1,b:1):1,c:6,d:0.5);');
    const rooted = outgroupRoot(tree, 'd');
    expect(rootSides(rooted)).toEqual([['d'], ['a', 'b', 'c']]);
    expect(rootDistances(rooted).get('d')).toBeCloseTo(0.25, 12);
    expect(maxPatristicDifference(tree, rooted)).toBeLessThan(1e-12);
  });

  it('outgroupRoot refuses a name that is not a leaf', () => {
    expect(() => outgroupRoot(parseNewick('(a,b,c);'), 'z')).toThrow('no leaf named "z"');
  });
});

import { spawnSync } from 'node:child_process';
import { formatNewick, parseNewick } from '../../../src/core/format/newick';
import { neighborJoining } from '../../../src/core/tree/neighbor-joining';
import { midpointRoot, outgroupRoot } from '../../../src/core/tree/reroot';
import type { Tree } from '../../../src/core/tree/tree';
import { hasCommand, mulberry32, randomMatrix } from '../helpers/fixtures';
import { maxPatristicDifference } from '../helpers/tree-compare';

/** Leaf names on each side of the root, sorted. */
function rootSides(tree: Tree): string[][] {
  const below = (id: number): string[] =>
    tree.nodes[id].children.length === 0 ? [tree.nodes[id].name!] : tree.nodes[id].children.flatMap(below);
  return tree.nodes[tree.root].children
    .map((c) => below(c).sort())
    .sort((a, b) => a.length - b.length || a[0].localeCompare(b[0]));
}

/** Path length from the root to each leaf, by name. */
function rootDistances(tree: Tree): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (id: number, d: number) => {
    const node = tree.nodes[id];
    if (node.children.length === 0) out.set(node.name!, d);
    for (const c of node.children) walk(c, d + (tree.nodes[c].branchLength ?? 0));
  };
  walk(tree.root, 0);
  return out;
}

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

  const hasR = hasCommand('Rscript', ['-e', 'library(phangorn)']);
  (hasR ? it : it.skip)(
    'midpointRoot agrees with phangorn::midpoint on NJ trees of random matrices (live oracle)',
    () => {
      for (const [seed, n] of [
        [3, 8],
        [4, 20],
        [5, 40],
      ]) {
        const d = randomMatrix(n, mulberry32(seed));
        const names = d.map((_, i) => `t${i}`);
        const ours = midpointRoot(neighborJoining(d, names));
        const script = `suppressMessages(library(phangorn)); d <- as.matrix(read.table(file("stdin"))); dimnames(d) <- list(paste0("t", 0:(nrow(d)-1)), paste0("t", 0:(nrow(d)-1)));
        cat(write.tree(midpoint(ape::nj(d)), digits = 15))`;
        const out = spawnSync('Rscript', ['-e', script], {
          input: d.map((r) => r.join(' ')).join('\n'),
          encoding: 'utf8',
        });
        expect(out.status).toBe(0);
        const theirs = parseNewick(out.stdout.trim());
        expect(rootSides(ours)).toEqual(rootSides(theirs));
        const a = rootDistances(ours);
        const b = rootDistances(theirs);
        for (const name of names) expect(a.get(name)).toBeCloseTo(b.get(name)!, 6);
      }
    },
  );
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

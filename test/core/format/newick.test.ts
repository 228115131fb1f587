import {
  formatNewick,
  leafNames,
  neighborJoining,
  parseNewick,
  PhyloInputError,
  type Tree,
  upgma,
} from '../../../src/core';
import { expectSameTree } from '../helpers/tree-compare';
import { randomMatrix } from '../helpers/fixtures';
import { createRandom } from '../../../src/core/random';

/** Structure, names and lengths, independent of node ids and taxon numbering. */
function shape(tree: Tree, id = tree.root): unknown {
  const node = tree.nodes[id];
  return { name: node.name, length: node.branchLength, children: node.children.map((c) => shape(tree, c)) };
}

describe('parseNewick', () => {
  it('parseNewick reads nesting, labels, lengths and internal labels', () => {
    const tree = parseNewick('((A:0.1,B:2e-3)inner:0.5,C:1)root;');
    expect(shape(tree)).toEqual({
      name: 'root',
      length: null,
      children: [
        {
          name: 'inner',
          length: 0.5,
          children: [
            { name: 'A', length: 0.1, children: [] },
            { name: 'B', length: 0.002, children: [] },
          ],
        },
        { name: 'C', length: 1, children: [] },
      ],
    });
    expect(tree.rooted).toBe(true);
    expect(leafNames(tree)).toEqual(['A', 'B', 'C']);
  });

  it('parseNewick turns underscores into blanks only in unquoted labels (Newick spec)', () => {
    expect(leafNames(parseNewick("(a_b,'c_d','it''s',' x ');"))).toEqual(['a b', 'c_d', "it's", ' x ']);
  });

  it('parseNewick skips whitespace and comments, honouring [&R] / [&U]', () => {
    expect(parseNewick(' [&U] ( a : 1 , [note] b:2 ) ;\n').rooted).toBe(false);
    expect(parseNewick('[&R](a,b,c);').rooted).toBe(true);
    expect(parseNewick('(a,b,c);').rooted).toBe(false);
  });

  it.each([
    ['', 'empty input'],
    ['(a,b)', "expected ';'"],
    ['(a,b;', "expected ',' or ')'"],
    ['(a:x,b);', 'branch length'],
    ["('a,b);", 'unterminated quoted label'],
    ['(a,b);c', "after ';'"],
    ['(a[,b);', 'unterminated comment'],
  ])('parseNewick(%j) fails with %j and a position', (text, fragment) => {
    expect(() => parseNewick(text)).toThrow(PhyloInputError);
    expect(() => parseNewick(text)).toThrow(fragment);
    expect(() => parseNewick(text)).toThrow(/at position \d+/);
  });

  it('parseNewick reads a 50,000-leaf caterpillar (nesting deeper than the call stack)', () => {
    let text = 'a0:1';
    for (let k = 1; k < 50_000; k++) text = `(${text},a${k}:1):1`;
    const tree = parseNewick(`(${text},z:1);`);
    expect(tree.nodes).toHaveLength(2 * 50_001 - 1);
    expect(leafNames(tree).slice(0, 3)).toEqual(['a0', 'a1', 'a2']);
    expect(formatNewick(tree)).toBe(`[&R] (${text},z:1);`);
  });
});

describe('formatNewick', () => {
  it('formatNewick quotes names that would not read back, doubling inner quotes', () => {
    const tree = parseNewick("('a b':1,'x_y':2,'it''s':3,'(odd)':4,plain:5);");
    expect(formatNewick(tree)).toBe("('a b':1,'x_y':2,'it''s':3,'(odd)':4,plain:5);");
  });

  it('formatNewick(tree, { digits }) rounds to significant digits', () => {
    const tree = parseNewick('(a:0.123456789,b:1e-7,c:2);');
    expect(formatNewick(tree, { digits: 3 })).toBe('(a:0.123,b:1e-7,c:2);');
    expect(() => formatNewick(tree, { digits: 0 })).toThrow(RangeError);
  });

  it('parseNewick(formatNewick(t)) is t for NJ and UPGMA trees, with exact lengths', () => {
    const d = randomMatrix(40, createRandom(21));
    const names = d.map((_, k) => (k % 3 === 0 ? `model ${k}` : k % 3 === 1 ? `m_${k}'s` : `m${k}`));
    for (const tree of [neighborJoining(d, names), upgma(d, names)]) {
      const text = formatNewick(tree);
      const back = parseNewick(text);
      expect(shape(back)).toEqual(shape(tree));
      expect(back.rooted).toBe(tree.rooted);
      expect(formatNewick(back)).toBe(text);
      expectSameTree(back, tree, 0);
    }
  });

  it('formatNewick handles a 3000-leaf caterpillar without stack overflow', () => {
    let text = 'a0:1';
    for (let k = 1; k < 3000; k++) text = `(${text},a${k}:1):1`;
    const tree = parseNewick(`(${text},z:1);`);
    expect(parseNewick(formatNewick(tree)).nodes).toHaveLength(tree.nodes.length);
  });
});

describe('formatNewick rooting hint and bare labels', () => {
  it('starts a rooted tree with [&R] and an unrooted one with no hint', () => {
    expect(formatNewick(parseNewick('[&R] ((a,b),c);'))).toBe('[&R] ((a,b),c);');
    expect(formatNewick(parseNewick('(a,b,c);'))).toBe('(a,b,c);');
  });

  it('writes bare labels as they are, and refuses one that would not read back', () => {
    const tree = parseNewick('(a,b,c);');
    tree.nodes[1].name = 'x_y';
    expect(formatNewick(tree, { bare: true })).toBe('(x_y,b,c);');
    tree.nodes[1].name = "it's";
    expect(() => formatNewick(tree, { bare: true })).toThrow(PhyloInputError);
  });
});

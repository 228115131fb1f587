import {
  csvField,
  d3Hierarchy,
  exportNewick,
  type ExportTree,
  formatCsvMatrix,
  formatNexus,
  layoutTree,
  leafNames,
  midpointRoot,
  neighborJoining,
  newickLabels,
  parseNewick,
  renderTreeSvg,
  type Tree,
} from '../../../src/core';
import { randomMatrix } from '../helpers/fixtures';
import { createRandom } from '../../../src/core/random';

const HOSTILE = ['a b', 'a_b', "it's", 'x(y):z', 'ünï ☃', 'semi;colon,comma', '<b>&amp;', '"dq"'];

/** An export of `tree` whose taxon k is HOSTILE[k] (family by parity), with made-up supports. */
function exportOf(tree: Tree, names = HOSTILE): ExportTree {
  return {
    tree,
    support: tree.nodes.map((node) => (node.children.length > 0 && node.id !== tree.root ? 0.5 + node.id / 100 : null)),
    leaves: names.map((name, k) => ({ name, modelId: 100 + k, family: k % 2 === 0 ? 'openai' : 'meta llama' })),
  };
}

function njOf(names: readonly string[], seed = 3): Tree {
  return neighborJoining(
    randomMatrix(names.length, createRandom(seed)),
    names.map((_, k) => `t${k}`),
  );
}

describe('exportNewick', () => {
  it('writes hostile names as unique bare labels, support in percent, [&R] on a rooted tree', () => {
    const rooted = midpointRoot(njOf(HOSTILE));
    const text = exportNewick(exportOf(rooted));
    expect(text.startsWith('[&R] (')).toBe(true);
    expect(text).not.toMatch(/'/);
    const back = parseNewick(text);
    expect(back.rooted).toBe(true);
    // our own reader turns bare underscores into blanks (the standard); compare against that
    const labels = newickLabels(HOSTILE);
    expect(new Set(labels).size).toBe(HOSTILE.length);
    expect(leafNames(back).sort()).toEqual(labels.map((l) => l.replace(/_/g, ' ')).sort());
    const inner = back.nodes.filter((n) => n.children.length > 0 && n.id !== back.root);
    expect(inner.every((n) => /^\d+$/.test(n.name ?? ''))).toBe(true);
  });

  it('writes no rooting hint on an unrooted tree', () => {
    expect(exportNewick(exportOf(njOf(HOSTILE))).startsWith('(')).toBe(true);
  });
});

describe('formatNexus', () => {
  it('has a TAXA block and a TREES block whose TRANSLATE names every taxon once, the tree in numbers', () => {
    const text = formatNexus(exportOf(midpointRoot(njOf(HOSTILE))));
    expect(text.startsWith('#NEXUS\n')).toBe(true);
    expect(text).toContain(`DIMENSIONS NTAX=${HOSTILE.length};`);
    const translate = /TRANSLATE\n([\s\S]*?)\n {2};/.exec(text)![1].split('\n');
    expect(translate).toHaveLength(HOSTILE.length);
    const labels = newickLabels(HOSTILE);
    translate.forEach((line, k) =>
      expect(line.trim().replace(/,$/, '')).toMatch(
        new RegExp(`^${k + 1} '?${labels[k].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'?$`),
      ),
    );
    const tree = /TREE phylolm = \[&R\] (.*;)\n/.exec(text)![1];
    expect(leafNames(parseNewick(tree)).sort()).toEqual(HOSTILE.map((_, k) => String(k + 1)).sort());
  });

  it('marks an unrooted tree [&U]', () => {
    expect(formatNexus(exportOf(njOf(HOSTILE)))).toContain('TREE phylolm = [&U] (');
  });
});

/** A small RFC 4180 reader for the test: fields, quoted fields with "" for ". */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\r' && text[i + 1] === '\n') (row.push(field), rows.push(row), (row = []), (field = ''), i++);
    else field += c;
  }
  return rows;
}

describe('formatCsvMatrix', () => {
  it('reads back to the same names and the same doubles', () => {
    const d = randomMatrix(HOSTILE.length, createRandom(9));
    const names = [...HOSTILE.slice(0, -1), ' padded, "quoted"\nline '];
    const rows = readCsv(formatCsvMatrix(names, d));
    expect(rows[0]).toEqual(['model', ...names]);
    rows.slice(1).forEach((row, i) => {
      expect(row[0]).toBe(names[i]);
      expect(row.slice(1).map(Number)).toEqual(d[i]);
    });
  });

  it('quotes only what needs it', () => {
    expect(csvField('gpt-4o')).toBe('gpt-4o');
    expect(csvField('a,b')).toBe('"a,b"');
  });
});

describe('d3Hierarchy', () => {
  it('nests every node once, leaves with model id and family and no children', () => {
    const tree = njOf(HOSTILE);
    const root = d3Hierarchy(exportOf(tree));
    const seen: string[] = [];
    let nodes = 0;
    const stack = [root];
    while (stack.length) {
      const node = stack.pop()!;
      nodes++;
      if (node.children) stack.push(...node.children);
      else {
        seen.push(node.name!);
        expect(node.modelId).toBe(100 + HOSTILE.indexOf(node.name!));
        expect(node.family).toMatch(/openai|meta llama/);
      }
    }
    expect(nodes).toBe(tree.nodes.length);
    expect(seen.sort()).toEqual([...HOSTILE].sort());
    expect(root.length).toBeNull();
  });
});

describe('layoutTree', () => {
  const tree = parseNewick('((a:1,b:-0.5):2,(c:1,(d:1,e:1):1):1,f:0.5);');

  it('places leaves in slots, inner nodes halfway between their first and last child', () => {
    const { positions, leafCount } = layoutTree(tree);
    expect(leafCount).toBe(6);
    const leaves = tree.nodes.filter((n) => n.children.length === 0);
    expect(leaves.map((n) => positions[n.id].order)).toEqual([0, 1, 2, 3, 4, 5]);
    const ab = tree.nodes[leaves[0].parent!];
    expect(positions[ab.id].order).toBe(0.5);
  });

  it('phylogram: depth is the sum of lengths, a negative one counted as 0 and reported', () => {
    const { positions, negativeLengths, maxDepth } = layoutTree(tree, 'phylogram');
    const byName = (name: string) => positions[tree.nodes.find((n) => n.name === name)!.id];
    expect(byName('a').depth).toBe(3);
    expect(byName('b').depth).toBe(2);
    expect(negativeLengths).toBe(1);
    expect(maxDepth).toBe(3);
  });

  it('cladogram: every leaf at the same depth', () => {
    const { positions, maxDepth } = layoutTree(tree, 'cladogram');
    const depths = tree.nodes.filter((n) => n.children.length === 0).map((n) => positions[n.id].depth);
    expect(new Set(depths)).toEqual(new Set([maxDepth]));
    expect(maxDepth).toBe(3);
  });
});

describe('renderTreeSvg', () => {
  const names = [...HOSTILE, ...Array.from({ length: 17 }, (_, k) => `model-${k}`)];
  const tree = njOf(names, 5);
  const exported = exportOf(tree, names);

  it.each(['rectangular', 'radial'] as const)('%s: one clickable leaf per model, coloured by family', (shape) => {
    const svg = renderTreeSvg(exported, { shape });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const ids = [...svg.matchAll(/<g class="leaf family-([a-z0-9-]+)" data-model-id="(\d+)"/g)];
    expect(ids.map((m) => Number(m[2])).sort()).toEqual(names.map((_, k) => 100 + k).sort());
    expect(new Set(ids.map((m) => m[1]))).toEqual(new Set(['openai', 'meta-llama']));
    // one colour per family, in the legend too
    const fills = new Set([...svg.matchAll(/<circle [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]));
    expect(fills.size).toBe(2);
    expect(svg).toContain('class="legend"');
    // hostile names are escaped, never markup
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&#60;b&#62;&#38;amp;');
    expect(svg).toContain(`data-shape="${shape}"`);
  });

  it('writes the support of each inner edge in percent', () => {
    const svg = renderTreeSvg(exported);
    const supports = [...svg.matchAll(/<text class="support"[^>]*>(\d+)<\/text>/g)].map((m) => m[1]);
    const expected = exported.support.filter((s): s is number => s !== null).map((s) => String(Math.round(s * 100)));
    expect(supports.sort()).toEqual(expected.sort());
  });

  it('draws negative lengths as 0 and says so; says nothing when there are none', () => {
    const negative = parseNewick('((a:1,b:-0.5):2,c:1,d:1);');
    const leaves = ['a', 'b', 'c', 'd'].map((name, k) => ({ name, modelId: k, family: null }));
    const svg = renderTreeSvg({ tree: negative, support: negative.nodes.map(() => null), leaves });
    expect(svg).toMatch(/<text class="note"[^>]*>1 negative branch edge \(neighbour joining\) drawn as 0<\/text>/);
    const positive = parseNewick('((a:1,b:0.5):2,c:1,d:1);');
    expect(renderTreeSvg({ tree: positive, support: positive.nodes.map(() => null), leaves })).not.toContain(
      'negative',
    );
  });

  it('cladogram has no scale bar, phylogram has one', () => {
    expect(renderTreeSvg(exported, { lengths: 'cladogram' })).not.toContain('class="scale"');
    expect(renderTreeSvg(exported, { lengths: 'phylogram' })).toContain('class="scale"');
  });
});

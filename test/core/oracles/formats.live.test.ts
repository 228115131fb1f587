/**
 * The export formats read by the programs people load them into, run live (issue 11): Newick
 * with hostile names read by ape::read.tree and Bio.Phylo with identical names and topology,
 * NEXUS read by ape::read.nexus, PHYLIP distances read by PHYLIP neighbor with unique names,
 * and the d3 JSON loaded by d3.hierarchy. Names and topology are compared through leaf-to-leaf
 * path lengths keyed by name, which differ unless both the names and the tree are the same.
 * Each test skips when its program is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  d3Hierarchy,
  exportNewick,
  type ExportTree,
  formatNexus,
  formatPhylipDistances,
  leafNames,
  midpointRoot,
  neighborJoining,
  newickLabels,
  parseNewick,
  patristicDistances,
  phylipNames,
} from '../../../src/core';
import { expectSameTree } from '../helpers/tree-compare';
import { randomMatrix } from '../helpers/fixtures';
import { createRandom } from '../../../src/core/random';

const HOSTILE = [
  'a b',
  'a_b',
  "it's",
  "Bob's 'quoted' model",
  'x(y):z',
  'semi;colon,comma',
  '[bracket] 1',
  '"double"',
  'ünïcødé ☃ 模型',
  'tab\there',
  'gpt-4o-mini',
  'gpt-4o mini',
];
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const NEIGHBOR = '/usr/lib/phylip/bin/neighbor';

function runs(command: string, args: string[]): boolean {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  return !run.error && run.status === 0;
}
const hasApe = runs('Rscript', ['-e', 'library(ape)']);
const hasBio = runs(PYTHON, ['-c', 'import Bio.Phylo']);

const d = randomMatrix(HOSTILE.length, createRandom(11));
const tree = midpointRoot(neighborJoining(d, HOSTILE));
const exported: ExportTree = {
  tree,
  support: tree.nodes.map(() => null),
  leaves: HOSTILE.map((name, k) => ({ name, modelId: k, family: null })),
};
const labels = newickLabels(HOSTILE);

/** Our leaf-to-leaf path lengths as "label|label" -> length, labels as the export writes them. */
function ourDistances(): Map<string, number> {
  const order = leafNames(tree).map((name) => labels[HOSTILE.indexOf(name)]);
  const p = patristicDistances(tree);
  const out = new Map<string, number>();
  order.forEach((a, i) => order.forEach((b, j) => out.set(`${a}|${b}`, p[i * order.length + j])));
  return out;
}

/** Lines "a<TAB>b<TAB>distance" from a reader: every pair must be there with our length. */
function expectSameDistances(lines: string) {
  const ours = ourDistances();
  const theirs = lines
    .trim()
    .split('\n')
    .map((line) => line.split('\t'));
  expect(theirs).toHaveLength(ours.size);
  for (const [a, b, value] of theirs) {
    expect(ours.has(`${a}|${b}`)).toBe(true);
    expect(Number(value)).toBeCloseTo(ours.get(`${a}|${b}`)!, 9);
  }
}

function withFile<T>(name: string, text: string, use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'formats-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    return use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs an R script over a file; prints the tip labels, then every pair's cophenetic distance. */
function rRead(reader: 'read.tree' | 'read.nexus', path: string): { tips: string[]; pairs: string; rooted: string } {
  const script = [
    'suppressPackageStartupMessages(library(ape))',
    `t <- ${reader}(${JSON.stringify(path)})`,
    'cat(is.rooted(t), "\\n")',
    'cat(t$tip.label, sep = "\\n"); cat("--\\n")',
    'm <- cophenetic(t)',
    'for (a in rownames(m)) for (b in colnames(m)) cat(a, "\\t", b, "\\t", sprintf("%.15g", m[a, b]), "\\n", sep = "")',
  ].join('\n');
  const run = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' });
  expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
  const [head, pairs] = run.stdout.split('--\n');
  const [rooted, ...tips] = head.trim().split('\n');
  return { tips, pairs, rooted: rooted.trim() };
}

describe('export formats vs their readers, live', () => {
  (hasApe ? it : it.skip)('ape::read.tree reads our Newick with the same names and topology, rooted', () => {
    const { tips, pairs, rooted } = withFile('t.nwk', exportNewick(exported) + '\n', (path) =>
      rRead('read.tree', path),
    );
    expect(new Set(tips)).toEqual(new Set(labels));
    expect(rooted).toBe('TRUE');
    expectSameDistances(pairs);
  });

  (hasBio ? it : it.skip)('Bio.Phylo reads our Newick with the same names and topology', () => {
    const script = [
      'import sys, itertools',
      'from Bio import Phylo',
      "t = Phylo.read(sys.argv[1], 'newick')",
      'leaves = t.get_terminals()',
      "print('\\n'.join(f'{a.name}\\t{b.name}\\t{(0.0 if a is b else t.distance(a, b)):.15g}' for a in leaves for b in leaves))",
    ].join('\n');
    const out = withFile('t.nwk', exportNewick(exported) + '\n', (path) =>
      spawnSync(PYTHON, ['-c', script, path], { encoding: 'utf8' }),
    );
    expect({ status: out.status, stderr: out.stderr }).toMatchObject({ status: 0 });
    expectSameDistances(out.stdout);
  });

  (hasApe ? it : it.skip)('ape::read.nexus reads our NEXUS (TRANSLATE) with the same names and topology', () => {
    const { tips, pairs, rooted } = withFile('t.nex', formatNexus(exported), (path) => rRead('read.nexus', path));
    expect(new Set(tips)).toEqual(new Set(labels));
    expect(rooted).toBe('TRUE');
    expectSameDistances(pairs);
  });

  (existsSync(NEIGHBOR) ? it : it.skip)(
    'PHYLIP neighbor reads our matrix with unique names and builds our NJ tree',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'neighbor-'));
      try {
        writeFileSync(join(dir, 'infile'), formatPhylipDistances(HOSTILE, d, 10));
        const run = spawnSync(NEIGHBOR, [], { cwd: dir, input: 'Y\n' });
        expect(run.status).toBe(0);
        const outtree = readFileSync(join(dir, 'outtree'), 'utf8');
        const short = phylipNames(HOSTILE);
        // neighbor writes the names as read; our reader turns their underscores into blanks
        const theirs = parseNewick(outtree);
        expect(new Set(leafNames(theirs))).toEqual(new Set(short.map((s) => s.replace(/_/g, ' '))));
        expectSameTree(
          neighborJoining(
            d,
            short.map((s) => s.replace(/_/g, ' ')),
          ),
          theirs,
          1e-4,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('d3.hierarchy loads our JSON: every model a leaf, depths and link count right', () => {
    const script = [
      "import { hierarchy } from 'd3-hierarchy';",
      "let text = ''; process.stdin.on('data', (c) => (text += c));",
      "process.stdin.on('end', () => { const root = hierarchy(JSON.parse(text));",
      'console.log(JSON.stringify({ leaves: root.leaves().map((l) => l.data.name), nodes: root.descendants().length,',
      'links: root.links().length, height: root.height })); });',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: resolve(__dirname, '../../..'),
      input: JSON.stringify(d3Hierarchy(exported)),
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    const answer = JSON.parse(run.stdout);
    expect(new Set(answer.leaves)).toEqual(new Set(HOSTILE));
    expect(answer.nodes).toBe(tree.nodes.length);
    expect(answer.links).toBe(tree.nodes.length - 1);
  });
});

/**
 * The export formats are written per request from the cached tree (src/services/tree-formats.ts),
 * so they must cost little beside building the tree. Targets: each format of a 1,000-model NJ
 * tree in at most 50 ms (a cold NJ of 1,000 models takes about a second here); the SVG's size is
 * reported too.
 */
import {
  d3Hierarchy,
  exportNewick,
  type ExportTree,
  formatCsvMatrix,
  formatNexus,
  formatPhylipDistances,
  neighborJoining,
  renderTreeSvg,
} from '../src/core';
import { createRandom } from '../src/core/random';
import { randomMatrix } from '../test/core/helpers/fixtures';
import { median, report } from './timing';

const FAMILIES = ['openai', 'meta', 'mistral', 'qwen', 'gemma', 'anthropic', null];

export async function benchExports(): Promise<void> {
  const n = Number(process.env.BENCH_MODELS ?? 1000);
  const d = randomMatrix(n, createRandom(5));
  const names = d.map((_, k) => `org-${k % 13}/model ${k} (v${k % 7})`);
  const tree = neighborJoining(d, names);
  const exported: ExportTree = {
    tree,
    support: tree.nodes.map((node) => (node.children.length > 0 ? (node.id % 100) / 100 : null)),
    leaves: names.map((name, k) => ({ name, modelId: k + 1, family: FAMILIES[k % FAMILIES.length] })),
  };
  const formats: [string, () => string][] = [
    ['Newick', () => exportNewick(exported)],
    ['NEXUS', () => formatNexus(exported)],
    ['d3 JSON', () => JSON.stringify(d3Hierarchy(exported))],
    ['SVG rectangular', () => renderTreeSvg(exported)],
    ['SVG radial cladogram', () => renderTreeSvg(exported, { shape: 'radial', lengths: 'cladogram' })],
    ['PHYLIP matrix', () => formatPhylipDistances(names, d, 6)],
    ['CSV matrix', () => formatCsvMatrix(names, d)],
  ];
  for (const [name, write] of formats) {
    let bytes = 0;
    const ms = await median(5, async () => {
      bytes = Buffer.byteLength(write());
    });
    const target = name.endsWith('matrix') ? 1000 : 50;
    report(`${name} of ${n} models (${Math.round(bytes / 1024)} KiB, median of 5)`, ms, target);
  }
}

/**
 * NEXUS text of a tree (Maddison, Swofford & Maddison 1997, "NEXUS: an extensible file format
 * for systematic information", Syst. Biol. 46:590): a TAXA block naming every taxon, and a TREES
 * block whose TRANSLATE table maps the numbers used in the tree to those names, so the names
 * appear once and the tree itself holds only numbers.
 *
 * The names are the labels of `newickLabels` (names.ts), quoted as NEXUS words when they hold
 * NEXUS punctuation such as "-" (never a quote or ";": those are gone). Checked with ape 5.7:
 * ape::read.nexus loses taxa when a quoted TRANSLATE name holds ";" and drops the quote of
 * 'it''s', but reads these labels exactly (test/core/oracles/formats.live.test.ts). Biopython
 * 1.80 refuses a bare "gpt-4o" in TRANSLATE and keeps the quotes of a quoted one in the name.
 *
 * Complexity: O(nodes + total length of the names).
 */
import { labelledTree, type ExportTree } from './export-tree';
import { newickLabels, nexusWord } from './names';
import { formatNewick } from './newick';

export function formatNexus(exported: ExportTree, treeName = 'phylolm'): string {
  const names = newickLabels(exported.leaves.map((leaf) => leaf.name)).map(nexusWord);
  const numbers = exported.leaves.map((_, k) => String(k + 1));
  // [&R] / [&U] after "=": the NEXUS place for the rooting of one tree
  const newick = formatNewick(labelledTree(exported, numbers), { bare: true }).replace(/^\[&R\] /, '');
  const lines = [
    '#NEXUS',
    'BEGIN TAXA;',
    `  DIMENSIONS NTAX=${names.length};`,
    '  TAXLABELS',
    ...names.map((name) => `    ${name}`),
    '  ;',
    'END;',
    'BEGIN TREES;',
    '  TRANSLATE',
    ...names.map((name, k) => `    ${numbers[k]} ${name}${k < names.length - 1 ? ',' : ''}`),
    '  ;',
    `  TREE ${nexusWord(treeName)} = ${exported.tree.rooted ? '[&R]' : '[&U]'} ${newick}`,
    'END;',
  ];
  return lines.join('\n') + '\n';
}

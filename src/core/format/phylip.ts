/**
 * PHYLIP square distance-matrix text, as read by PHYLIP `neighbor`, `fitch` and `kitsch`.
 *
 * First line: the number of taxa. Then one row per taxon: its name padded to exactly 10
 * characters, then its n distances, fixed-point with `digits` decimals. This strict layout is
 * the one every PHYLIP program reads (and RAxML, PhyML, Biopython, ape/phangorn). Strict PHYLIP
 * keeps only 10 characters of a name, so the names written are `phylipNames` (names.ts): unique,
 * 10 printable ASCII characters at most, no blanks; `phylipNameTable` gives the table from them
 * back to the full names, to keep beside the matrix.
 *
 * Complexity: O(n^2).
 *
 * @see https://phylipweb.github.io/phylip/doc/distance.html
 */
import { type DistanceInput, toDistanceMatrix } from '../matrix/distance-input';
import { symmetricRows } from './csv';
import { phylipNames } from './names';

const STRICT_NAME_WIDTH = 10;

export function formatPhylipDistances(names: readonly string[], distance: DistanceInput, digits = 6): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new RangeError(`digits must be an integer in 0..100, got ${digits}`);
  }
  const { n, d } = toDistanceMatrix(distance, names, 1);
  const short = phylipNames(names);
  const rows = symmetricRows(n, d, (v) => v.toFixed(digits));
  const lines = [String(n).padStart(5)];
  for (let i = 0; i < n; i++) {
    lines.push(short[i].padEnd(STRICT_NAME_WIDTH) + '  ' + rows[i].join('  '));
  }
  return lines.join('\n') + '\n';
}

/**
 * The same text in pieces, for a matrix too big to hold as one string: `phylipHeader(n)`, then
 * `phylipRows` over consecutive row ranges. `short` are the PHYLIP names (`phylipNames`), `row(i)`
 * row i of a symmetric distance matrix with a zero diagonal (not checked here: the caller's
 * matrix is symmetric by construction).
 */
export function phylipHeader(n: number): string {
  return String(n).padStart(5) + '\n';
}

export function phylipRows(
  short: readonly string[],
  row: (i: number) => ArrayLike<number>,
  from: number,
  to: number,
  digits: number,
): string {
  let text = '';
  for (let i = from; i < to; i++) {
    const values = row(i);
    const cells = new Array<string>(values.length);
    for (let j = 0; j < values.length; j++) cells[j] = values[j].toFixed(digits);
    text += short[i].padEnd(STRICT_NAME_WIDTH) + '  ' + cells.join('  ') + '\n';
  }
  return text;
}

/** One row per taxon: the PHYLIP name and the full name it stands for. */
export interface PhylipName {
  short: string;
  name: string;
}

export function phylipNameTable(names: readonly string[]): PhylipName[] {
  const short = phylipNames(names);
  return names.map((name, i) => ({ short: short[i], name }));
}

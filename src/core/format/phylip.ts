/**
 * PHYLIP square distance-matrix text, as read by PHYLIP `neighbor`, `fitch` and `kitsch`.
 *
 * First line: the number of taxa. Then one row per taxon: its name and its n distances,
 * fixed-point with `digits` decimals. When every name fits in 10 characters the strict
 * layout is written (name padded to exactly 10 characters, then the values), which every
 * PHYLIP program reads. Strict PHYLIP truncates longer names to 10 characters, so when a
 * name is longer the relaxed layout is written instead: name, two blanks, values
 * (read by PHYLIP 3.7+ tools with relaxed names, RAxML, PhyML, Biopython, ape/phangorn).
 * Relaxed names cannot contain blanks, so blanks in them are written as underscores.
 *
 * Complexity: O(n^2).
 *
 * @see https://phylipweb.github.io/phylip/doc/distance.html
 */
import { type DistanceInput, toDistanceMatrix } from '../matrix/distance-input';

const STRICT_NAME_WIDTH = 10;

export function formatPhylipDistances(names: readonly string[], distance: DistanceInput, digits = 6): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new RangeError(`digits must be an integer in 0..100, got ${digits}`);
  }
  const { n, d } = toDistanceMatrix(distance, names, 1);
  const strict = names.every((name) => [...name].length <= STRICT_NAME_WIDTH);
  const width = strict ? STRICT_NAME_WIDTH : 0;
  const lines = [String(n).padStart(5)];
  for (let i = 0; i < n; i++) {
    const name = strict ? names[i] : names[i].replace(/\s/g, '_');
    const values = Array.from(d.subarray(i * n, (i + 1) * n), (v) => v.toFixed(digits));
    lines.push(padName(name, width) + '  ' + values.join('  '));
  }
  return lines.join('\n') + '\n';
}

/** Pads to `width` code points (PHYLIP itself counts bytes: keep strict names ASCII). */
function padName(name: string, width: number): string {
  return name + ' '.repeat(Math.max(0, width - [...name].length));
}

/**
 * A confidence interval for Nei's D by bootstrapping genes (Felsenstein 1985's resampling of
 * characters, as PHYLIP's `seqboot` does for gene frequencies): draw the shared genes with
 * replacement, recompute D from the drawn genes' Nei sums, and take the percentile interval
 * (Efron & Tibshirani 1993, ch. 13) of the replicates. Samples within a gene stay as observed.
 *
 * Complexity: O(replicates x genes + replicates log replicates).
 *
 * @see Felsenstein J. 1985. Confidence limits on phylogenies: an approach using the bootstrap.
 *   Evolution 39:783-791.
 * @see Efron B, Tibshirani RJ. 1993. An Introduction to the Bootstrap. Chapman & Hall.
 */
import { PhyloInputError } from '../errors';
import { createRandom } from '../random';
import { distanceOfSums, type PairTable } from './pair-table';

export interface BootstrapOptions {
  replicates: number;
  seed: number;
  /** coverage of the interval, e.g. 0.95 */
  level: number;
}

export function geneBootstrapInterval(table: PairTable, options: BootstrapOptions): { low: number; high: number } {
  const { replicates, seed, level } = options;
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new PhyloInputError(`replicates must be a positive integer, got ${replicates}`);
  }
  if (!(level > 0 && level < 1)) throw new PhyloInputError(`level must lie in (0, 1), got ${level}`);
  const genes = table.genes;
  const random = createRandom(seed);
  const values = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    let jab = 0;
    let ja = 0;
    let jb = 0;
    for (let i = 0; i < genes; i++) {
      const g = Math.floor(random() * genes);
      jab += table.ab[g];
      ja += table.aa[g];
      jb += table.bb[g];
    }
    values[r] = distanceOfSums(jab, ja, jb);
  }
  values.sort();
  const tail = (1 - level) / 2;
  return { low: quantile(values, tail), high: quantile(values, 1 - tail) };
}

/** Linear interpolation between order statistics (Hyndman & Fan 1996, type 7). */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

/**
 * A smaller genome (issue 13, "Smaller genomes"): `size` genes of a genome chosen so that the Nei
 * distances they give between the design models agree best with the distances of the whole
 * genome, by greedy forward selection (Guyon & Elisseeff 2003, §4.2): start from no gene and add,
 * one at a time, the gene whose addition gives the highest Spearman rank correlation between the
 * subset's pairwise distances and the full ones (ties broken by Pearson, then by gene order, so
 * the result is a pure function of the data). Rank agreement is what a tree needs: NJ and the
 * nearest-neighbour predictors depend on which pairs are closer, not on the distances' scale.
 *
 * Nei's D over a subset of genes comes from the per-gene sums of nei.ts (sum_a pA pB, sum pA^2,
 * sum pB^2), kept per pair and gene, so adding a gene costs O(pairs).
 *
 * Complexity: O(size x G x pairs x log pairs), pairs = m(m-1)/2 for m design models.
 *
 * @see Guyon I, Elisseeff A. 2003. An introduction to variable and feature selection.
 *   JMLR 3:1157-1182.
 * @see Spearman C. 1904. The proof and measurement of association between two things.
 *   Am J Psychol 15:72-101.
 * @see Nei M. 1972. Genetic distance between populations. Am Nat 106:283-292.
 */
import { PhyloInputError } from '../errors';
import { geneSums, MIN_SIMILARITY } from '../genetics/nei';
import type { AlleleCounts } from '../genetics/population';
import { pearson, spearman } from './correlation';

export interface GeneSelection {
  /** chosen gene indices, in the order they were chosen */
  genes: number[];
  /** Spearman correlation of the chosen genes' distances with the full genome's, over the design pairs */
  spearman: number;
}

/** Chooses `size` of the genes of `pops` (one population per design model, same genome). */
export function selectGenes(pops: readonly AlleleCounts[], size: number): GeneSelection {
  const geneCount = pops.reduce((m, p) => Math.max(m, p.length), 0);
  if (!Number.isInteger(size) || size < 1 || size > geneCount) {
    throw new PhyloInputError(`size must be an integer in [1, ${geneCount}], got ${size}`);
  }
  if (pops.length < 3) throw new PhyloInputError(`a design needs at least 3 models with samples, got ${pops.length}`);
  const sums = new PairSums(pops, geneCount);
  const full = sums.distances(sums.total());
  const chosen: number[] = [];
  const taken = new Uint8Array(geneCount);
  const current = sums.empty();
  let best = { spearman: -Infinity, pearson: -Infinity };
  while (chosen.length < size) {
    let pick = -1;
    best = { spearman: -Infinity, pearson: -Infinity };
    for (let g = 0; g < geneCount; g++) {
      if (taken[g]) continue;
      const d = sums.distances(sums.plus(current, g));
      const score = { spearman: spearman(d, full), pearson: pearson(Array.from(d), Array.from(full)) };
      if (score.spearman > best.spearman || (score.spearman === best.spearman && score.pearson > best.pearson)) {
        best = score;
        pick = g;
      }
    }
    chosen.push(pick);
    taken[pick] = 1;
    sums.add(current, pick);
  }
  return { genes: chosen, spearman: best.spearman };
}

/** Nei's sums per (pair, gene), for distances over any subset of genes. */
export class PairSums {
  readonly pairs: number;
  /** [pair * G + g] */
  private readonly ab: Float64Array;
  private readonly aa: Float64Array;
  private readonly bb: Float64Array;

  constructor(
    pops: readonly AlleleCounts[],
    private readonly genes: number,
  ) {
    const m = pops.length;
    this.pairs = (m * (m - 1)) / 2;
    this.ab = new Float64Array(this.pairs * genes);
    this.aa = new Float64Array(this.pairs * genes);
    this.bb = new Float64Array(this.pairs * genes);
    let p = 0;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++, p++) {
        for (let g = 0; g < genes; g++) {
          const s = geneSums(pops[i][g] ?? null, pops[j][g] ?? null);
          if (s === null) continue;
          this.ab[p * genes + g] = s[0];
          this.aa[p * genes + g] = s[1];
          this.bb[p * genes + g] = s[2];
        }
      }
    }
  }

  /** Running sums (J_AB, J_A, J_B per pair) over no gene. */
  empty(): Float64Array {
    return new Float64Array(this.pairs * 3);
  }

  /** Sums over every gene. */
  total(): Float64Array {
    const sums = this.empty();
    for (let g = 0; g < this.genes; g++) this.add(sums, g);
    return sums;
  }

  /** Adds gene g to `sums` in place. */
  add(sums: Float64Array, g: number): void {
    for (let p = 0; p < this.pairs; p++) {
      sums[3 * p] += this.ab[p * this.genes + g];
      sums[3 * p + 1] += this.aa[p * this.genes + g];
      sums[3 * p + 2] += this.bb[p * this.genes + g];
    }
  }

  /** A copy of `sums` with gene g added. */
  plus(sums: Float64Array, g: number): Float64Array {
    const out = Float64Array.from(sums);
    this.add(out, g);
    return out;
  }

  /** Nei's D per pair: -ln(max(J_AB / sqrt(J_A J_B), 1e-10)), D = 23.03 for a pair sharing no gene. */
  distances(sums: Float64Array): Float64Array {
    const d = new Float64Array(this.pairs);
    for (let p = 0; p < this.pairs; p++) {
      const [jab, ja, jb] = [sums[3 * p], sums[3 * p + 1], sums[3 * p + 2]];
      const s = ja > 0 && jb > 0 ? Math.min(1, jab / Math.sqrt(ja * jb)) : 0;
      d[p] = -Math.log(Math.max(s, MIN_SIMILARITY));
    }
    return d;
  }
}

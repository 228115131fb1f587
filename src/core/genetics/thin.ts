/**
 * Subsampling a population down to another model's sampling: on each gene, as many samples as
 * the other model has there (none where it has none), drawn without replacement from this
 * population's own samples (a multivariate hypergeometric draw over its allele counts).
 *
 * Used to calibrate a prediction interval for a thinly sampled model on comparable evidence:
 * the calibration models' distances are recomputed as if they had been probed like the query,
 * so their held-out residuals carry the same sampling noise and the same low-sample bias of
 * Nei's identity (method.md, "Known bias") as the query's prediction. This is the subsampling
 * idea of Politis & Romano 1994 applied to the calibration set of split-conformal prediction
 * (Lei et al. 2018), which stays valid when calibration and test points are exchangeable.
 *
 * Complexity: O(G * alleles + samples drawn).
 *
 * @see Politis DN, Romano JP. 1994. Large sample confidence regions based on subsamples under
 *   minimal assumptions. Ann Stat 22:2031-2050.
 * @see Lei J et al. 2018. Distribution-free predictive inference for regression. JASA 113:1094-1111.
 */
import type { Random } from '../random';
import type { AlleleCounts, GeneCounts } from './population';
import { totalCount } from './population';

export function thinTo(counts: AlleleCounts, perGene: ArrayLike<number>, random: Random): AlleleCounts {
  return counts.map((gene, g) => {
    const want = perGene[g] ?? 0;
    const total = totalCount(gene);
    if (gene === null || want <= 0 || total === 0) return null;
    if (want >= total) return { ...gene };
    return drawWithoutReplacement(gene, total, want, random);
  });
}

/** `k` of the gene's `total` samples, uniformly without replacement, counted by allele. */
function drawWithoutReplacement(gene: GeneCounts, total: number, k: number, random: Random): GeneCounts {
  const alleles = Object.keys(gene);
  const left = alleles.map((a) => gene[a]);
  let remaining = total;
  const out: GeneCounts = Object.create(null) as GeneCounts;
  for (let draw = 0; draw < k; draw++) {
    // the (u * remaining)-th remaining sample, counted through the alleles in order
    let r = Math.floor(random() * remaining);
    let a = 0;
    while (r >= left[a]) r -= left[a++];
    left[a]--;
    remaining--;
    out[alleles[a]] = (out[alleles[a]] ?? 0) + 1;
  }
  return out;
}

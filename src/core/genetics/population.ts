/**
 * Allele counts per gene for one model: the "population" of PhyloLM.
 *
 * A model's probes (gene index, completion text) are reduced to alleles with
 * {@link alleleOf} and counted per gene. Genes with no probes stay `null`, so that the
 * Nei similarity can leave them out of a pair's sums (method.md).
 *
 * Complexity: O(total probe count x allele length).
 *
 * @see Yax, Oudeyer, Palminteri. PhyloLM. arXiv 2404.04671 (ICLR 2025).
 */
import { alleleOf } from '../alleles/allele';

/** allele -> number of probes that gave it, for one gene */
export type GeneCounts = Record<string, number>;

/** index = gene index; null = no probes for that gene */
export type AlleleCounts = (GeneCounts | null)[];

/** One sampled completion of gene `gene`. */
export interface Probe {
  gene: number;
  text: string;
}

/** Counts alleles of `samples` into a fresh table of `geneCount` genes. */
export function countAlleles(geneCount: number, samples: Iterable<Probe>, alleleLength = 4): AlleleCounts {
  if (!Number.isInteger(geneCount) || geneCount < 0) {
    throw new RangeError(`gene count must be a non-negative integer, got ${geneCount}`);
  }
  const counts: AlleleCounts = new Array<GeneCounts | null>(geneCount).fill(null);
  addCounts(counts, samples, alleleLength);
  return counts;
}

/** Adds the alleles of `samples` to `into` (mutated in place); gene indices must be < into.length. */
export function addCounts(into: AlleleCounts, samples: Iterable<Probe>, alleleLength = 4): void {
  for (const { gene, text } of samples) {
    if (!Number.isInteger(gene) || gene < 0 || gene >= into.length) {
      throw new RangeError(`gene index must be an integer in [0, ${into.length}), got ${gene}`);
    }
    const allele = alleleOf(text, alleleLength);
    const genes = (into[gene] ??= Object.create(null) as GeneCounts);
    genes[allele] = (genes[allele] ?? 0) + 1;
  }
}

/** Total number of probes of one gene (0 for null). */
export function totalCount(counts: GeneCounts | null): number {
  if (counts === null) return 0;
  let total = 0;
  for (const allele in counts) total += checkedCount(counts[allele], allele);
  return total;
}

/** Allele frequencies P(a|g) = n_a / N_g; empty map when the gene has no probes. */
export function frequencies(counts: GeneCounts | null): Map<string, number> {
  const total = totalCount(counts);
  const result = new Map<string, number>();
  if (counts === null || total === 0) return result;
  for (const allele in counts) {
    if (counts[allele] > 0) result.set(allele, counts[allele] / total);
  }
  return result;
}

/** A count must be finite and non-negative (NaN would poison every similarity silently). */
export function checkedCount(count: number, allele: string): number {
  if (!Number.isFinite(count) || count < 0) {
    throw new RangeError(`allele count must be finite and non-negative, got ${count} for "${allele}"`);
  }
  return count;
}

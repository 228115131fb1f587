/**
 * A population's allele frequencies in flat typed arrays, with alleles interned to integer ids
 * per gene, so Nei's sums between two populations are merge joins of sorted integer lists
 * instead of string-keyed lookups. Worth it when the same populations meet many partners: a
 * prepared population is built once per revision and reused for every new pair (adding one
 * model to a cached matrix of M models costs M merge joins).
 *
 * Same definition as `neiSimilarity` (Nei 1972, sums over genes before the ratio, a gene missing
 * for either model left out of that pair), and a test checks the two agree.
 *
 * Complexity: preparing is O(entries log entries); one pair is O(entries of both).
 *
 * @see Nei M. 1972. Genetic distance between populations. Am Nat 106:283-292.
 */
import { similarityFromSums } from './nei';
import type { AlleleCounts } from './population';
import { checkedCount } from './population';

/** Gives each (gene, allele) a small integer id; ids are only compared within one gene. */
export class AlleleInterner {
  private readonly genes: Map<string, number>[] = [];

  id(gene: number, allele: string): number {
    let ids = this.genes[gene];
    if (!ids) {
      ids = new Map();
      this.genes[gene] = ids;
    }
    let id = ids.get(allele);
    if (id === undefined) {
      id = ids.size;
      ids.set(allele, id);
    }
    return id;
  }
}

export interface PreparedPopulation {
  /** entries of gene g are start[g] .. start[g+1]-1; none means the gene is missing */
  start: Int32Array;
  /** allele ids, ascending within each gene */
  ids: Int32Array;
  /** P(a|g) of each entry */
  freqs: Float64Array;
  /** per gene: sum_a P(a|g)^2 (0 for a missing gene) */
  norms: Float64Array;
}

export function preparePopulation(counts: AlleleCounts, interner: AlleleInterner): PreparedPopulation {
  const start = new Int32Array(counts.length + 1);
  const ids: number[] = [];
  const freqs: number[] = [];
  const norms = new Float64Array(counts.length);
  for (let g = 0; g < counts.length; g++) {
    start[g] = ids.length;
    const gene = counts[g];
    if (!gene) continue;
    const entries = Object.keys(gene).map(
      (allele) => [interner.id(g, allele), checkedCount(gene[allele], allele)] as const,
    );
    const total = entries.reduce((sum, [, count]) => sum + count, 0);
    if (total === 0) continue;
    entries.sort((x, y) => x[0] - y[0]);
    for (const [id, count] of entries) {
      // P(a|g) = n_a / N_g
      const p = count / total;
      ids.push(id);
      freqs.push(p);
      norms[g] += p * p;
    }
  }
  start[counts.length] = ids.length;
  return { start, ids: Int32Array.from(ids), freqs: Float64Array.from(freqs), norms };
}

/** Nei's identity of two populations prepared with the same interner. */
export function preparedSimilarity(a: PreparedPopulation, b: PreparedPopulation): number {
  const genes = Math.min(a.norms.length, b.norms.length);
  let jab = 0;
  let ja = 0;
  let jb = 0;
  for (let g = 0; g < genes; g++) {
    let i = a.start[g];
    const iEnd = a.start[g + 1];
    let j = b.start[g];
    const jEnd = b.start[g + 1];
    // a gene either model lacks is left out of this pair's sums
    if (i === iEnd || j === jEnd) continue;
    ja += a.norms[g];
    jb += b.norms[g];
    // J_AB += sum over shared alleles of P_A(a|g) P_B(a|g): merge of two ascending id lists
    while (i < iEnd && j < jEnd) {
      const x = a.ids[i];
      const y = b.ids[j];
      if (x === y) jab += a.freqs[i++] * b.freqs[j++];
      else if (x < y) i++;
      else j++;
    }
  }
  return similarityFromSums(jab, ja, jb);
}

/**
 * Two models' populations on their shared genes, in the flat integer form the permutation test
 * and the gene bootstrap work on: per gene, the alleles seen by either model coded 0..k-1, each
 * model's count of each, and the pooled samples as a list of codes (the urn a permutation
 * redistributes). Per-gene Nei sums of the observed split are kept too.
 *
 * Allele counts are a sufficient statistic here: a permutation reassigns samples between the two
 * models within a gene, and samples with the same allele are interchangeable for Nei's D (which
 * sees only allele frequencies), so the pooled multiset of alleles is all the test needs.
 *
 * @see Nei M. 1972. Genetic distance between populations. Am Nat 106:283-292.
 */
import { neiDistance, similarityFromSums } from '../genetics/nei';
import type { AlleleCounts, GeneCounts } from '../genetics/population';
import { totalCount } from '../genetics/population';

export interface PairTable {
  /** genes both models have samples for */
  readonly genes: number;
  /** per shared gene: samples of a and of b */
  readonly sizeA: Int32Array;
  readonly sizeB: Int32Array;
  /** per shared gene, offset of its alleles in `countA`/`countB`/`pooled` (genes + 1 entries) */
  readonly alleleStart: Int32Array;
  readonly countA: Int32Array;
  readonly countB: Int32Array;
  /** per shared gene, offset of its samples in `urn` (genes + 1 entries) */
  readonly urnStart: Int32Array;
  /** every sample of both models as its allele code, gene after gene */
  readonly urn: Int32Array;
  /** per shared gene, the observed Nei sums: sum pA pB, sum pA^2, sum pB^2 */
  readonly ab: Float64Array;
  readonly aa: Float64Array;
  readonly bb: Float64Array;
  /** observed D = -ln(max(S, 1e-10)) over the shared genes */
  observed(): number;
}

/** The pair table of populations `a` and `b` (genes with no samples on either side left out, as in Nei's D). */
export function pairTable(a: AlleleCounts, b: AlleleCounts): PairTable {
  const shared: [GeneCounts, GeneCounts][] = [];
  const length = Math.min(a.length, b.length);
  for (let g = 0; g < length; g++) {
    const ga = a[g] ?? null;
    const gb = b[g] ?? null;
    if (totalCount(ga) > 0 && totalCount(gb) > 0) shared.push([ga as GeneCounts, gb as GeneCounts]);
  }
  const genes = shared.length;
  const sizeA = new Int32Array(genes);
  const sizeB = new Int32Array(genes);
  const alleleStart = new Int32Array(genes + 1);
  const urnStart = new Int32Array(genes + 1);
  const countA: number[] = [];
  const countB: number[] = [];
  const urn: number[] = [];
  shared.forEach(([ga, gb], g) => {
    const alleles = [...new Set([...Object.keys(ga), ...Object.keys(gb)])].filter(
      (allele) => (ga[allele] ?? 0) + (gb[allele] ?? 0) > 0,
    );
    alleles.forEach((allele, code) => {
      const ca = ga[allele] ?? 0;
      const cb = gb[allele] ?? 0;
      countA.push(ca);
      countB.push(cb);
      sizeA[g] += ca;
      sizeB[g] += cb;
      for (let i = 0; i < ca + cb; i++) urn.push(code);
    });
    alleleStart[g + 1] = countA.length;
    urnStart[g + 1] = urn.length;
  });
  const table = {
    genes,
    sizeA,
    sizeB,
    alleleStart,
    countA: Int32Array.from(countA),
    countB: Int32Array.from(countB),
    urnStart,
    urn: Int32Array.from(urn),
    ab: new Float64Array(genes),
    aa: new Float64Array(genes),
    bb: new Float64Array(genes),
  };
  for (let g = 0; g < genes; g++) {
    const [ab, aa, bb] = geneSums(table.countA, table.countB, alleleStart[g], alleleStart[g + 1], sizeA[g], sizeB[g]);
    table.ab[g] = ab;
    table.aa[g] = aa;
    table.bb[g] = bb;
  }
  return { ...table, observed: () => distanceOfSums(sum(table.ab), sum(table.aa), sum(table.bb)) };
}

/** One gene's Nei sums from counts: [sum cA cB / (nA nB), sum cA^2 / nA^2, sum cB^2 / nB^2]. */
export function geneSums(
  countA: Int32Array,
  countB: Int32Array,
  from: number,
  to: number,
  nA: number,
  nB: number,
): [number, number, number] {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = from; j < to; j++) {
    ab += countA[j] * countB[j];
    aa += countA[j] * countA[j];
    bb += countB[j] * countB[j];
  }
  return [ab / (nA * nB), aa / (nA * nA), bb / (nB * nB)];
}

/** D from the gene-summed J_AB, J_A, J_B (method.md: sums over genes before the ratio). */
export function distanceOfSums(jab: number, ja: number, jb: number): number {
  return neiDistance(similarityFromSums(jab, ja, jb));
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/**
 * Nei's standard genetic identity and distance between PhyloLM populations.
 *
 *     J_AB = sum_g sum_a P_A(a|g) * P_B(a|g)
 *     J_A  = sum_g sum_a P_A(a|g)^2          (same for J_B)
 *     S    = J_AB / sqrt(J_A * J_B)
 *     D    = -ln(max(S, 1e-10))
 *
 * The sums run over genes before the ratio (not a mean of per-gene identities), which is
 * what PHYLIP `gendist` computes with Nei's method. A gene that either model has no probes
 * for (null or zero total) is left out of that pair's sums, including J_A and J_B. Two
 * models sharing no gene get S = 0 by convention (there is no evidence of identity), hence
 * D = -ln(1e-10) ~ 23.03. S is clamped to at most 1 against round-off (Cauchy-Schwarz
 * bounds it by 1 exactly).
 *
 * Complexity: one pair O(alleles of both); the full matrix of n models is
 * O(sum over (gene, allele) columns of (carriers)^2), i.e. at most O(n^2 * G * k) and much
 * less when alleles are not shared by all models; one unknown row costs O(n * G * k).
 *
 * @see Nei M. 1972. Genetic distance between populations. Am Nat 106:283-292.
 * @see Yax, Oudeyer, Palminteri. PhyloLM. arXiv 2404.04671 (ICLR 2025).
 */
import type { AlleleCounts, GeneCounts } from './population';
import { totalCount } from './population';
import { type PreparedPopulation, preparedSimilarity } from './prepared-population';
import { type SparsePopulations, toSparse } from './sparse-populations';

/** Floor on S before the logarithm, as in the reference code. */
export const MIN_SIMILARITY = 1e-10;

/** Nei's identity S(A, B) over the genes both A and B have probes for. */
export function neiSimilarity(a: AlleleCounts, b: AlleleCounts): number {
  let jab = 0;
  let ja = 0;
  let jb = 0;
  const genes = Math.min(a.length, b.length);
  for (let g = 0; g < genes; g++) {
    const sums = geneSums(a[g] ?? null, b[g] ?? null);
    if (sums === null) continue;
    jab += sums[0];
    ja += sums[1];
    jb += sums[2];
  }
  return similarityFromSums(jab, ja, jb);
}

/** D = -ln(max(S, 1e-10)). */
export function neiDistance(similarity: number): number {
  if (Number.isNaN(similarity)) throw new RangeError('similarity must be a number, got NaN');
  // D = -ln(max(S, 1e-10))
  return -Math.log(Math.max(similarity, MIN_SIMILARITY));
}

/** [sum pA*pB, sum pA^2, sum pB^2] for one gene, or null when either side has no probes. */
export function geneSums(a: GeneCounts | null, b: GeneCounts | null): [number, number, number] | null {
  const na = totalCount(a);
  const nb = totalCount(b);
  if (a === null || b === null || na === 0 || nb === 0) return null;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (const allele in a) {
    const pa = a[allele] / na;
    aa += pa * pa;
    const cb = b[allele];
    if (cb !== undefined) ab += pa * (cb / nb);
  }
  for (const allele in b) bb += (b[allele] / nb) ** 2;
  return [ab, aa, bb];
}

/** S = J_AB / sqrt(J_A J_B), with S = 0 when the pair shares no gene. */
export function similarityFromSums(jab: number, ja: number, jb: number): number {
  if (!(ja > 0 && jb > 0)) return 0;
  // S = J_AB / sqrt(J_A * J_B), clamped to 1 against round-off
  return Math.min(1, jab / Math.sqrt(ja * jb));
}

/**
 * Row-major n*n matrix of S for all pairs. `known` (optional, n*n) holds similarities the
 * caller already has (say, from a cached matrix) with NaN where a pair is unknown; only the
 * unknown pairs are computed, and `known` is not modified. Diagonal is 1 (0 for a model with
 * no probes at all, consistent with `neiSimilarity(a, a)`).
 *
 * `prepared`, when given, returns the same populations prepared with one interner; it is only
 * called when a few rows are unknown, where pairs are computed one by one.
 */
export function neiSimilarityMatrix(
  pops: readonly AlleleCounts[],
  known?: Float64Array,
  prepared?: () => readonly PreparedPopulation[],
): Float64Array {
  const n = pops.length;
  if (known && known.length !== n * n) {
    throw new RangeError(`known must hold n*n = ${n * n} values, got ${known.length}`);
  }
  const s = known ? Float64Array.from(known) : new Float64Array(n * n).fill(NaN);
  for (let i = 0; i < n; i++) s[i * n + i] = pops[i].some((g) => totalCount(g) > 0) ? 1 : 0;
  const unknown = countUnknownPairs(s, n);
  if (unknown === 0) return s;
  // A few unknown rows (a new model added to a cached matrix): one direct Nei sum per pair costs
  // O(unknown * G), far less than encoding every population for the sparse all-pairs kernel.
  if (unknown <= 4 * n) {
    const ready = prepared?.();
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (!Number.isNaN(s[i * n + j])) continue;
        const v = ready ? preparedSimilarity(ready[i], ready[j]) : neiSimilarity(pops[i], pops[j]);
        s[i * n + j] = v;
        s[j * n + i] = v;
      }
    }
    return s;
  }
  computeUnknown(toSparse(pops), s);
  return s;
}

/** Number of unknown pairs i < j; checks the known ones are finite and symmetric. */
export function countUnknownPairs(s: Float64Array, n: number): number {
  let unknown = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = s[i * n + j];
      if (Number.isNaN(v)) {
        unknown++;
        continue;
      }
      if (!Number.isFinite(v) || v !== s[j * n + i]) {
        throw new RangeError(
          `known similarity (${i}, ${j}) must be finite and symmetric, got ${v} and ${s[j * n + i]}`,
        );
      }
    }
  }
  return unknown;
}

/**
 * Fills every NaN pair of `s`. Each row i owns its pairs (i, j > i) and takes the cheaper of
 * (a) one sparse dot product per unknown pair (cost: sum of the partners' sizes; best when
 * only a few pairs are unknown, e.g. one new model) and (b) walking the tails of the
 * columns row i touches (cost: sum of tail lengths; best when most of the row is unknown).
 * Rows of kind (b) are done together, blocked by gene so the column lists stay in cache.
 */
function computeUnknown(sp: SparsePopulations, s: Float64Array): void {
  const { n, rowPtr, rowCol, rowPos, colPtr } = sp;
  const scanRows: number[] = [];
  const pending = new Int32Array(n);
  const dense = new Float64Array(colPtr.length - 1);
  const jab = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    let directCost = 0;
    for (let j = i + 1; j < n; j++) {
      if (!Number.isNaN(s[i * n + j])) continue;
      pending[count++] = j;
      directCost += rowPtr[j + 1] - rowPtr[j];
    }
    if (count === 0) continue;
    let scanCost = 0;
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) scanCost += colPtr[rowCol[e] + 1] - rowPos[e] - 1;
    if (scanCost < directCost) {
      scanRows.push(i);
      continue;
    }
    dotPairs(sp, i, pending.subarray(0, count), dense, jab);
    for (let t = 0; t < count; t++) store(sp, s, i, pending[t], jab[pending[t]]);
  }
  if (scanRows.length > 0) scanAndStore(sp, s, scanRows);
}

/** jab[j] = J_ij for the listed j, by scattering row i densely and dotting each partner. */
function dotPairs(sp: SparsePopulations, i: number, js: Int32Array, dense: Float64Array, jab: Float64Array): void {
  const { rowPtr, rowCol, rowP } = sp;
  for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) dense[rowCol[e]] = rowP[e];
  for (const j of js) {
    let sum = 0;
    // J_ij = sum over j's (g, a) of P_i(a|g) * P_j(a|g)
    for (let e = rowPtr[j]; e < rowPtr[j + 1]; e++) sum += dense[rowCol[e]] * rowP[e];
    jab[j] = sum;
  }
  for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) dense[rowCol[e]] = 0;
}

/** Column tails for many rows, blocked by column range (= groups of genes) for cache reuse. */
function scanAndStore(sp: SparsePopulations, s: Float64Array, rows: readonly number[]): void {
  const { n, rowPtr, rowCol, rowP, rowPos, colPtr, colRow, colP } = sp;
  const columns = colPtr.length - 1;
  const acc = new Float64Array(rows.length * n);
  const cursor = Int32Array.from(rows, (i) => rowPtr[i]);
  for (let c0 = 0; c0 < columns;) {
    // about 32k column entries (~400 KB) per block: fits in L2 next to the rows of acc
    let c1 = c0 + 1;
    while (c1 < columns && colPtr[c1 + 1] - colPtr[c0] <= BLOCK_ENTRIES) c1++;
    for (let r = 0; r < rows.length; r++) {
      const base = r * n;
      const last = rowPtr[rows[r] + 1];
      let e = cursor[r];
      // row entries are sorted by column block because columns were interned gene by gene
      for (; e < last && rowCol[e] < c1; e++) {
        const p = rowP[e];
        const end = colPtr[rowCol[e] + 1];
        // J_ij += P_i(a|g) * P_j(a|g) for every later carrier j of column (g, a)
        for (let k = rowPos[e] + 1; k < end; k++) acc[base + colRow[k]] += p * colP[k];
      }
      cursor[r] = e;
    }
    c0 = c1;
  }
  rows.forEach((i, r) => {
    for (let j = i + 1; j < n; j++) if (Number.isNaN(s[i * n + j])) store(sp, s, i, j, acc[r * n + j]);
  });
}

const BLOCK_ENTRIES = 32768;

/** S_ij from J_ij and the norms restricted to the genes i and j share; writes both halves. */
function store(sp: SparsePopulations, s: Float64Array, i: number, j: number, jab: number): void {
  const v = similarityFromSums(jab, restrictedNorm(sp, i, j), restrictedNorm(sp, j, i));
  s[i * sp.n + j] = v;
  s[j * sp.n + i] = v;
}

/** J_a restricted to the genes b also has (plain J_a when both have every gene). */
export function restrictedNorm(
  sp: Pick<SparsePopulations, 'complete' | 'norm' | 'genes' | 'geneNorm'>,
  a: number,
  b: number,
): number {
  const { complete, norm, genes, geneNorm } = sp;
  if (complete[a] && complete[b]) return norm[a];
  let sum = 0;
  for (let g = 0; g < genes; g++) {
    const va = geneNorm[a * genes + g];
    if (va >= 0 && geneNorm[b * genes + g] >= 0) sum += va;
  }
  return sum;
}

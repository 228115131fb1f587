/**
 * Nei's similarity matrix for thousands of models as a sparse product, computed a block of rows
 * at a time so the working memory beside the answer is bounded and the blocks can be shared out
 * among worker threads (src/compute) writing into one shared matrix.
 *
 * Each model is a sparse vector over (gene, allele) columns holding P(a|g); per pair,
 *     J_xy = sum over shared columns of P_x(a|g) P_y(a|g)      (the product X X^T)
 * and J_x, J_y are the self products over the genes both have (Nei 1972; `nei.ts` states the
 * convention for missing genes). The columns are split by how many models carry them:
 *   - shared alleles (carried by at least half the models) go into a dense row-major matrix,
 *     and each pair's part is a contiguous dot product, four partners at a time so each of row
 *     x's values is loaded once per four products (register blocking, as in GEMM kernels:
 *     Goto and van de Geijn 2008, "Anatomy of high-performance matrix multiplication");
 *   - rare alleles stay sparse: row x walks the tails of its columns' carrier lists (CSC) and
 *     scatters into a block accumulator, so a column with m carriers costs m^2 / 2 products,
 *     and an allele only one model produced costs nothing.
 * A dense column has at least n/2 carriers, so the dense matrix holds at most twice the entries
 * of the sparse one, and its width is capped (`DENSE_BYTES`) whatever the data.
 *
 * Exactly the same sums as `neiSimilarityMatrix` up to the order of additions (a test holds
 * them within 1e-12 on random populations with missing genes).
 *
 * Complexity: O(n^2 W / 2) for the dense part of width W plus O(sum over rare columns of m^2/2);
 * memory beside the n x n answer: the layout (O(entries + n W)) and BLOCK_ROWS x n accumulators.
 *
 * @see Nei M. 1972. Genetic distance between populations. Am Nat 106:283-292.
 */
import { restrictedNorm, similarityFromSums } from './nei';
import type { AlleleCounts } from './population';
import { type SparsePopulations, toSparse } from './sparse-populations';

/**
 * The populations laid out for blocked products: dense shared alleles, sparse rare ones. The CSR
 * and CSC arrays are those of `SparsePopulations` (every column; the products skip the entries of
 * dense columns through `denseColumn`).
 */
export interface SimilarityLayout extends Omit<SparsePopulations, 'geneCount'> {
  /** dense columns: row-major n x width */
  width: number;
  dense: Float64Array;
  /** 1 for a column held in `dense` */
  denseColumn: Uint8Array;
  /** 1 when model i has at least one gene with probes (its S with itself is then 1) */
  probed: Uint8Array;
}

/**
 * A column carried by at least n / DENSE_SHARE models is dense: a dense column costs n^2 / 2
 * contiguous products, a sparse one (f n)^2 / 2 scattered ones, about three times dearer each
 * here, so dense pays from about half the models (measured on bench/synthetic.ts data).
 */
const DENSE_SHARE = 2;
/** Upper bound of the dense matrix, in bytes (the most shared columns are kept first). */
const DENSE_BYTES = 512 * 1024 * 1024;
/** Rows per block: BLOCK_ROWS x n accumulators (1.3 MB at 10,000 models). */
export const BLOCK_ROWS = 16;

/**
 * Lays the populations out; `shared` puts every array in a SharedArrayBuffer, so worker threads
 * read one copy.
 */
export function similarityLayout(pops: readonly AlleleCounts[], shared = false): SimilarityLayout {
  return layoutOf(toSparse(pops), shared);
}

/** The blocked layout of populations already in sparse form. */
export function layoutOf(sp: SparsePopulations, shared = false): SimilarityLayout {
  const { n, genes, colPtr } = sp;
  const columns = colPtr.length - 1;
  const carriers = (c: number) => colPtr[c + 1] - colPtr[c];
  const threshold = Math.max(2, Math.ceil(n / DENSE_SHARE));
  const candidates = [...Array(columns).keys()].filter((c) => carriers(c) >= threshold);
  candidates.sort((a, b) => carriers(b) - carriers(a) || a - b);
  const width = Math.min(candidates.length, Math.floor(DENSE_BYTES / 8 / Math.max(1, n)));
  const denseColumn = bytes(columns, shared);
  const dense = floats(n * width, shared);
  candidates.slice(0, width).forEach((c, k) => {
    denseColumn[c] = 1;
    for (let e = colPtr[c]; e < colPtr[c + 1]; e++) dense[sp.colRow[e] * width + k] = sp.colP[e];
  });
  const probed = bytes(n, shared);
  for (let i = 0; i < n; i++) probed[i] = sp.geneNorm.subarray(i * genes, (i + 1) * genes).some((v) => v >= 0) ? 1 : 0;
  const copy = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => (shared ? toShared(a) : a);
  return {
    n,
    genes,
    width,
    dense,
    rowPtr: copy(sp.rowPtr),
    rowCol: copy(sp.rowCol),
    rowP: copy(sp.rowP),
    rowPos: copy(sp.rowPos),
    colPtr: copy(sp.colPtr),
    colRow: copy(sp.colRow),
    colP: copy(sp.colP),
    denseColumn,
    geneNorm: copy(sp.geneNorm),
    norm: copy(sp.norm),
    complete: copy(sp.complete),
    probed,
  };
}

/**
 * Fills rows [from, to) of the upper triangle of S (j >= i) and their mirror images (j, i) in
 * the row-major n x n `out`. Disjoint row ranges write disjoint cells, so threads sharing `out`
 * need no lock. With `keepKnown`, a pair whose cell (i, j) already holds a number (not NaN) is
 * left as it is: `out` can be the matrix of pairs known from a cache, completed in place.
 */
export function similarityRows(
  layout: SimilarityLayout,
  from: number,
  to: number,
  out: Float64Array,
  keepKnown = false,
): void {
  const { n } = layout;
  if (out.length !== n * n) throw new RangeError(`out must hold n*n = ${n * n} values, got ${out.length}`);
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= n)) {
    throw new RangeError(`rows [${from}, ${to}) are not within [0, ${n})`);
  }
  const acc = new Float64Array(BLOCK_ROWS * n);
  for (let r0 = from; r0 < to; r0 += BLOCK_ROWS) {
    const r1 = Math.min(to, r0 + BLOCK_ROWS);
    acc.fill(0);
    scatterRare(layout, r0, r1, acc);
    addDense(layout, r0, r1, acc);
    for (let i = r0; i < r1; i++) {
      const row = acc.subarray((i - r0) * n, (i - r0 + 1) * n);
      out[i * n + i] = layout.probed[i];
      for (let j = i + 1; j < n; j++) {
        if (keepKnown && !Number.isNaN(out[i * n + j])) continue;
        // S_ij = J_ij / sqrt(J_i J_j), the norms over the genes i and j share
        const v = similarityFromSums(row[j], restrictedNorm(layout, i, j), restrictedNorm(layout, j, i));
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
    }
  }
}

/**
 * `parts` contiguous row ranges covering [0, n) with about equal work each: row i costs about
 * n - i (its partners j > i), so the k-th boundary is where the remaining triangle is (1 - k/parts)
 * of the whole.
 */
export function balancedRowRanges(n: number, parts: number): [number, number][] {
  const ranges: [number, number][] = [];
  let from = 0;
  for (let k = 1; k <= parts && from < n; k++) {
    const to = k === parts ? n : Math.max(from + 1, Math.round(n * (1 - Math.sqrt(1 - k / parts))));
    ranges.push([from, Math.min(n, to)]);
    from = Math.min(n, to);
  }
  return ranges;
}

/** acc[(i - r0) * n + j] += rare-column part of J_ij for i in [r0, r1), j > i. */
function scatterRare(layout: SimilarityLayout, r0: number, r1: number, acc: Float64Array): void {
  const { n, rowPtr, rowCol, rowP, rowPos, colPtr, colRow, colP, denseColumn } = layout;
  for (let i = r0; i < r1; i++) {
    const base = (i - r0) * n;
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const c = rowCol[e];
      if (denseColumn[c]) continue;
      const p = rowP[e];
      const end = colPtr[c + 1];
      // J_ij += P_i(a|g) P_j(a|g) for every later carrier j of the column (g, a)
      for (let k = rowPos[e] + 1; k < end; k++) acc[base + colRow[k]] += p * colP[k];
    }
  }
}

/**
 * Dense part of J_ij for the rows i of [r0, r1) and every j > i, added into the block
 * accumulators: two rows against four partners at a time (eight sums held in registers, six
 * loads per eight products), then the leftovers one by one.
 */
function addDense(layout: SimilarityLayout, r0: number, r1: number, acc: Float64Array): void {
  const { n, width: w, dense } = layout;
  if (w === 0) return;
  let i = r0;
  for (; i + 1 < r1; i += 2) {
    const a0 = i * w;
    const a1 = a0 + w;
    const out0 = (i - r0) * n;
    const out1 = out0 + n;
    // (i, i + 1) first: the pair belongs to row i only
    acc[out0 + i + 1] += dot(dense, a0, a1, w);
    let j = i + 2;
    for (; j + 3 < n; j += 4) {
      const b0 = j * w;
      const b1 = b0 + w;
      const b2 = b1 + w;
      const b3 = b2 + w;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let k = 0; k < w; k++) {
        const x0 = dense[a0 + k];
        const x1 = dense[a1 + k];
        const y0 = dense[b0 + k];
        const y1 = dense[b1 + k];
        const y2 = dense[b2 + k];
        const y3 = dense[b3 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      acc[out0 + j] += s00;
      acc[out0 + j + 1] += s01;
      acc[out0 + j + 2] += s02;
      acc[out0 + j + 3] += s03;
      acc[out1 + j] += s10;
      acc[out1 + j + 1] += s11;
      acc[out1 + j + 2] += s12;
      acc[out1 + j + 3] += s13;
    }
    for (; j < n; j++) {
      acc[out0 + j] += dot(dense, a0, j * w, w);
      acc[out1 + j] += dot(dense, a1, j * w, w);
    }
  }
  for (; i < r1; i++) {
    const out = (i - r0) * n;
    for (let j = i + 1; j < n; j++) acc[out + j] += dot(dense, i * w, j * w, w);
  }
}

/** sum_k m[a + k] * m[b + k] for k < w. */
function dot(m: Float64Array, a: number, b: number, w: number): number {
  let s = 0;
  for (let k = 0; k < w; k++) s += m[a + k] * m[b + k];
  return s;
}

function floats(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
}

function bytes(length: number, shared: boolean): Uint8Array {
  return shared ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length);
}

function toShared<T extends Int32Array | Float64Array | Uint8Array>(a: T): T {
  const Type = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Type(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

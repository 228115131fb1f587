/**
 * Sparse, interned layout of many populations, for the Nei similarity matrix.
 *
 * Alleles are interned per gene to integer column ids (columns of one gene are
 * contiguous). Each population becomes a sparse row of (column, frequency) pairs (CSR),
 * and the same entries are also indexed by column (CSC, rows ascending) so that
 * sum_a P_i(a|g) P_j(a|g) for all j can be accumulated by walking only the columns
 * row i touches. Per-gene squared norms sum_a P_i(a|g)^2 are kept so the J_A restricted
 * to the genes shared with a partially probed partner can be summed.
 *
 * Complexity: O(total entries + n*G) time and memory to build.
 */
import type { AlleleCounts } from './population';
import { checkedCount } from './population';

export interface SparsePopulations {
  /** number of populations (rows) */
  n: number;
  /** number of genes */
  genes: number;
  /** CSR: entries of row i are rowPtr[i] .. rowPtr[i+1]-1 */
  rowPtr: Int32Array;
  rowCol: Int32Array;
  rowP: Float64Array;
  /** position of each row entry inside its column's CSC list */
  rowPos: Int32Array;
  /** CSC: entries of column c are colPtr[c] .. colPtr[c+1]-1, rows ascending */
  colPtr: Int32Array;
  colRow: Int32Array;
  colP: Float64Array;
  /** geneNorm[i*G+g] = sum_a P_i(a|g)^2, or -1 when gene g is missing for i */
  geneNorm: Float64Array;
  /** norm[i] = J_i over all genes i has */
  norm: Float64Array;
  /** complete[i] = 1 when i has every gene (fast path: no restriction needed) */
  complete: Uint8Array;
  /** number of genes i has */
  geneCount: Int32Array;
}

/** Builds the sparse layout; genes beyond a population's array length count as missing. */
export function toSparse(pops: readonly AlleleCounts[]): SparsePopulations {
  const n = pops.length;
  const genes = pops.reduce((m, p) => Math.max(m, p.length), 0);
  const geneNorm = new Float64Array(n * genes).fill(-1);
  // per-gene interning gives local ids; global column = first column of the gene + local id
  const ids = Array.from({ length: genes }, () => new Map<string, number>());
  const rowPtr = new Int32Array(n + 1);
  const entryGene: number[] = [];
  const entryLocal: number[] = [];
  const entryP: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const pop = pops[i];
    for (let g = 0; g < pop.length; g++) {
      const counts = pop[g];
      if (counts === null || counts === undefined) continue;
      const alleles = Object.keys(counts);
      let total = 0;
      for (let k = 0; k < alleles.length; k++) {
        values[k] = checkedCount(counts[alleles[k]], alleles[k]);
        total += values[k];
      }
      if (total === 0) continue;
      let sumSq = 0;
      for (let k = 0; k < alleles.length; k++) {
        if (values[k] === 0) continue;
        // P_i(a|g) = n_a / N_g
        const p = values[k] / total;
        sumSq += p * p;
        const map = ids[g];
        let id = map.get(alleles[k]);
        if (id === undefined) map.set(alleles[k], (id = map.size));
        entryGene.push(g);
        entryLocal.push(id);
        entryP.push(p);
      }
      geneNorm[i * genes + g] = sumSq;
    }
    rowPtr[i + 1] = entryP.length;
  }
  const firstColumn = new Int32Array(genes + 1);
  for (let g = 0; g < genes; g++) firstColumn[g + 1] = firstColumn[g] + ids[g].size;
  const rowCol = new Int32Array(entryP.length);
  for (let e = 0; e < rowCol.length; e++) rowCol[e] = firstColumn[entryGene[e]] + entryLocal[e];
  return assemble(n, genes, firstColumn[genes], rowPtr, rowCol, new Float64Array(entryP), geneNorm);
}

function assemble(
  n: number,
  genes: number,
  columns: number,
  rowPtr: Int32Array,
  rowCol: Int32Array,
  rowP: Float64Array,
  geneNorm: Float64Array,
): SparsePopulations {
  const nnz = rowPtr[n];
  const colPtr = new Int32Array(columns + 1);
  for (let e = 0; e < nnz; e++) colPtr[rowCol[e] + 1]++;
  for (let c = 0; c < columns; c++) colPtr[c + 1] += colPtr[c];
  const fill = colPtr.slice(0, columns);
  const colRow = new Int32Array(nnz);
  const colP = new Float64Array(nnz);
  const rowPos = new Int32Array(nnz);
  // rows are visited in ascending order, so every column list comes out sorted by row
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const k = fill[rowCol[e]]++;
      colRow[k] = i;
      colP[k] = rowP[e];
      rowPos[e] = k;
    }
  }
  const { norm, complete, geneCount } = summarise(n, genes, geneNorm);
  return { n, genes, rowPtr, rowCol, rowP, rowPos, colPtr, colRow, colP, geneNorm, norm, complete, geneCount };
}

function summarise(n: number, genes: number, geneNorm: Float64Array) {
  const norm = new Float64Array(n);
  const complete = new Uint8Array(n);
  const geneCount = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let present = 0;
    for (let g = 0; g < genes; g++) {
      const v = geneNorm[i * genes + g];
      if (v < 0) continue;
      present++;
      // J_i = sum_g sum_a P_i(a|g)^2
      norm[i] += v;
    }
    geneCount[i] = present;
    complete[i] = present === genes ? 1 : 0;
  }
  return { norm, complete, geneCount };
}

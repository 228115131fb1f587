/**
 * A big distance matrix answered in pages instead of whole (issue 14: 10,000 models are 100
 * million numbers): rows by offset and count, the pairs past a similarity or distance threshold
 * with a cursor, and each model's k nearest neighbors. Every page reads the cached S matrix in
 * place; nothing the size of the matrix is built per request.
 *
 * Positions are the matrix's row order (`models`); a pair's cursor is its cell i * n + j (i < j),
 * valid for the same matrix (same `fingerprint`).
 */
import { neiDistance } from '../core/genetics/nei';
import type { SimilarityMatrix } from './distance.service';
import { badInput } from './errors';
import { paginate, type Page, type PageLimits, type PageRequest } from './page';
import { requireIntIn } from './validate';

/** Most numbers one page of rows may hold (about 20 MB of JSON): count x models. */
export const MAX_PAGE_CELLS = 1_000_000;
/** Largest k of `nearest`, and most neighbors one page of `nearest` may hold (count x k). */
export const MAX_NEAREST_K = 100;
export const MAX_NEAREST_CELLS = 100_000;
export const PAIR_PAGE: PageLimits = { default: 100, max: 10_000 };

const STREAM_HINT = 'GET /matrices/<genome>.bin or .phy streams the whole matrix';

export interface MatrixRow {
  index: number;
  modelId: number;
  similarity: Float64Array;
  distance: Float64Array;
}

export interface MatrixPair {
  aIndex: number;
  bIndex: number;
  aId: number;
  bId: number;
  similarity: number;
  distance: number;
}

export interface MatrixNeighbor {
  index: number;
  modelId: number;
  similarity: number;
  distance: number;
}

export interface ModelNeighbors {
  index: number;
  modelId: number;
  neighbors: MatrixNeighbor[];
}

/** Either bound of the pairs wanted (exactly one of them). */
export interface PairThreshold {
  minSimilarity?: number | null;
  maxDistance?: number | null;
}

/** Rows [offset, offset + count) (cut at the last row), with S and D. */
export function matrixRows(matrix: SimilarityMatrix, offset: number, count: number): MatrixRow[] {
  const n = matrix.modelIds.length;
  const [from, to] = window(n, offset, count, Math.max(1, Math.floor(MAX_PAGE_CELLS / Math.max(1, n))), 'count');
  const rows: MatrixRow[] = [];
  for (let i = from; i < to; i++) {
    const similarity = matrix.similarity.subarray(i * n, (i + 1) * n);
    rows.push({ index: i, modelId: matrix.modelIds[i], similarity, distance: similarity.map(neiDistance) });
  }
  return rows;
}

/**
 * The pairs (i < j, in row order) with S >= minSimilarity or D <= maxDistance, leaving out the
 * pairs that share no gene (`unknown`: no distance is known for them).
 */
export function thresholdPairs(
  matrix: SimilarityMatrix,
  unknown: readonly (readonly [number, number])[],
  threshold: PairThreshold,
  page: PageRequest,
): Promise<Page<MatrixPair>> {
  const keep = pairTest(threshold);
  const n = matrix.modelIds.length;
  const s = matrix.similarity;
  const skip = new Set(unknown.map(([i, j]) => Math.min(i, j) * n + Math.max(i, j)));
  return paginate(
    'pair',
    page,
    PAIR_PAGE,
    async (after, limit) => {
      if (after !== null && !(Number.isInteger(after) && after >= 0 && after < n * n)) {
        throw badInput(`"after" is not a pair of this ${n}-model matrix`);
      }
      const found: MatrixPair[] = [];
      const start = after === null ? 1 : after + 1;
      // resume at the cell after the cursor, walking the upper triangle row by row
      for (let i = Math.floor(start / n); i < n && found.length < limit; i++) {
        const first = i === Math.floor(start / n) ? Math.max(i + 1, start % n) : i + 1;
        for (let j = first; j < n && found.length < limit; j++) {
          const v = s[i * n + j];
          if (!keep(v) || skip.has(i * n + j)) continue;
          found.push({
            aIndex: i,
            bIndex: j,
            aId: matrix.modelIds[i],
            bId: matrix.modelIds[j],
            similarity: v,
            distance: neiDistance(v),
          });
        }
      }
      return found;
    },
    (pair) => pair.aIndex * n + pair.bIndex,
  );
}

/**
 * The k most similar other models of rows [offset, offset + count), most similar first (ties:
 * lower row first), leaving out pairs that share no gene. A bounded insertion list per row:
 * O(n k) per row at worst, O(n) when k is small against n.
 */
export function nearestNeighbors(
  matrix: SimilarityMatrix,
  unknown: readonly (readonly [number, number])[],
  k: number,
  offset: number,
  count: number | null | undefined,
): ModelNeighbors[] {
  const n = matrix.modelIds.length;
  requireIntIn('k', k, 1, MAX_NEAREST_K);
  const maxRows = Math.max(1, Math.floor(MAX_NEAREST_CELLS / k));
  const [from, to] = window(n, offset, count ?? Math.min(n, maxRows), maxRows, 'count x k');
  const blocked = new Map<number, Set<number>>();
  for (const [i, j] of unknown) {
    if (!blocked.has(i)) blocked.set(i, new Set());
    if (!blocked.has(j)) blocked.set(j, new Set());
    blocked.get(i)!.add(j);
    blocked.get(j)!.add(i);
  }
  const out: ModelNeighbors[] = [];
  for (let i = from; i < to; i++) {
    const row = matrix.similarity.subarray(i * n, (i + 1) * n);
    const none = blocked.get(i);
    const best: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i || none?.has(j)) continue;
      const v = row[j];
      if (best.length === k && v <= row[best[k - 1]]) continue;
      // insert j after every kept row at least as similar (so ties keep row order)
      let at = best.length;
      while (at > 0 && row[best[at - 1]] < v) at--;
      best.splice(at, 0, j);
      if (best.length > k) best.pop();
    }
    const neighbors = best.map((j) => ({
      index: j,
      modelId: matrix.modelIds[j],
      similarity: row[j],
      distance: neiDistance(row[j]),
    }));
    out.push({ index: i, modelId: matrix.modelIds[i], neighbors });
  }
  return out;
}

/** [from, to) of rows for offset and count, refusing bad values and pages over `max` rows. */
function window(n: number, offset: number, count: number, max: number, limit: string): [number, number] {
  requireIntIn('offset', offset, 0, Math.max(0, n));
  if (!Number.isInteger(count) || count < 0) throw badInput(`count must be a whole number >= 0, got ${count}`);
  if (count > max) {
    const cap = limit === 'count' ? MAX_PAGE_CELLS : MAX_NEAREST_CELLS;
    throw badInput(
      `a page of ${count} rows is too large: ${limit} must be at most ${cap.toLocaleString('en-US')} ` +
        `(${max.toLocaleString('en-US')} rows here); page through with offset, or ${STREAM_HINT}`,
    );
  }
  return [offset, Math.min(n, offset + count)];
}

function pairTest({ minSimilarity, maxDistance }: PairThreshold): (s: number) => boolean {
  const hasMin = minSimilarity !== null && minSimilarity !== undefined;
  const hasMax = maxDistance !== null && maxDistance !== undefined;
  if (hasMin === hasMax) throw badInput('pairs needs exactly one of minSimilarity and maxDistance');
  if (hasMin) {
    if (!(minSimilarity >= 0 && minSimilarity <= 1)) {
      throw badInput(`minSimilarity must be from 0 to 1, got ${minSimilarity}`);
    }
    return (s) => s >= minSimilarity;
  }
  if (!(Number.isFinite(maxDistance) && maxDistance! >= 0)) {
    throw badInput(`maxDistance must be a finite number >= 0, got ${maxDistance}`);
  }
  return (s) => neiDistance(s) <= maxDistance!;
}

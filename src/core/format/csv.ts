/**
 * A square matrix as CSV (RFC 4180): a header row naming the columns, then one row per model
 * starting with its name; fields holding a comma, a quote, a line break or blanks at either end
 * are quoted, with a quote inside written twice, so any model name survives. Numbers are the
 * shortest text that reads back to the same double (ECMA-262 Number::toString). Lines end with
 * CRLF as the RFC says (R read.csv, pandas and spreadsheets accept it).
 *
 * Complexity: O(n^2).
 */
import { type DistanceInput, toDistanceMatrix } from '../matrix/distance-input';

export function formatCsvMatrix(names: readonly string[], distance: DistanceInput, corner = 'model'): string {
  const { n, d } = toDistanceMatrix(distance, names, 1);
  const rows = symmetricRows(n, d, String);
  const lines = [[corner, ...names].map(csvField).join(',')];
  for (let i = 0; i < n; i++) lines.push(csvField(names[i]) + ',' + rows[i].join(','));
  return lines.join('\r\n') + '\r\n';
}

/**
 * The text of every cell of a symmetric n x n matrix, by row, each pair converted once (the
 * upper triangle, copied to the lower): number-to-text is most of the time of writing a big
 * matrix. One array per row: a single n^2 array would be sparse (slow) in V8 past a size.
 */
export function symmetricRows(n: number, d: Float64Array, text: (value: number) => string): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (let j = 0; j < i; j++) row.push(rows[j][i]);
    for (let j = i; j < n; j++) row.push(text(d[i * n + j]));
    rows.push(row);
  }
  return rows;
}

/** One RFC 4180 field. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

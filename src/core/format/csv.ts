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
  const lines = [[corner, ...names].map(csvField).join(',')];
  for (let i = 0; i < n; i++) {
    lines.push([csvField(names[i]), ...Array.from(d.subarray(i * n, (i + 1) * n), String)].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** One RFC 4180 field. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

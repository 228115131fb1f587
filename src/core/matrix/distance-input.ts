/**
 * Validation and copying of a distance matrix given by a caller.
 *
 * Accepts a row-major n*n Float64Array or nested rows, checks the rules every distance
 * method here relies on (square, finite, non-negative, zero diagonal, symmetric, one
 * unique name per row) and returns a private row-major copy, so callers' arrays are never
 * mutated. Symmetry is checked up to a relative 1e-9 (round-off from upstream arithmetic);
 * the copy is exactly symmetric, using the mean of the two halves.
 *
 * Complexity: O(n^2).
 */
import { PhyloInputError } from '../errors';

/** Row-major n*n Float64Array, or nested rows (number[][]). */
export type DistanceInput = Float64Array | readonly (readonly number[])[];

export interface DistanceMatrix {
  n: number;
  /** row-major n*n copy */
  d: Float64Array;
}

const SYMMETRY_TOLERANCE = 1e-9;

/** Checks `distance` against `names` and returns a validated copy. */
export function toDistanceMatrix(distance: DistanceInput, names: readonly string[], minTaxa: number): DistanceMatrix {
  const { n, d } = copySquare(distance);
  if (n < minTaxa) throw new PhyloInputError(`a tree needs at least ${minTaxa} taxa, got ${n}`);
  if (names.length !== n) {
    throw new PhyloInputError(`names must have one entry per row: ${names.length} names for ${n} rows`);
  }
  checkUniqueNames(names);
  checkValues(n, d);
  return { n, d };
}

function copySquare(distance: DistanceInput): DistanceMatrix {
  // ArrayBuffer.isView rather than instanceof: a matrix may come from another realm (a worker
  // thread's answer, deserialised outside a test runner's sandbox)
  if (ArrayBuffer.isView(distance)) {
    const n = Math.round(Math.sqrt(distance.length));
    if (n * n !== distance.length) {
      throw new PhyloInputError(`distance matrix must be square: flat length ${distance.length} is not n*n`);
    }
    return { n, d: Float64Array.from(distance) };
  }
  const n = distance.length;
  const d = new Float64Array(n * n);
  distance.forEach((row, i) => {
    if (row.length !== n) {
      throw new PhyloInputError(`distance matrix must be square: row ${i} has ${row.length} entries, expected ${n}`);
    }
    for (let j = 0; j < n; j++) d[i * n + j] = row[j];
  });
  return { n, d };
}

function checkValues(n: number, d: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (d[i * n + i] !== 0)
      throw new PhyloInputError(`distance matrix diagonal must be 0, got ${d[i * n + i]} at (${i}, ${i})`);
    for (let j = i + 1; j < n; j++) {
      const a = d[i * n + j];
      const b = d[j * n + i];
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        throw new PhyloInputError(`distance matrix must be finite, got ${Number.isFinite(a) ? b : a} at (${i}, ${j})`);
      }
      if (a < 0 || b < 0)
        throw new PhyloInputError(`distances must be non-negative, got ${Math.min(a, b)} at (${i}, ${j})`);
      if (Math.abs(a - b) > SYMMETRY_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))) {
        throw new PhyloInputError(`distance matrix must be symmetric: (${i}, ${j}) = ${a} but (${j}, ${i}) = ${b}`);
      }
      d[i * n + j] = d[j * n + i] = (a + b) / 2;
    }
  }
}

function checkUniqueNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new PhyloInputError(`taxon names must be unique: "${name}" appears twice`);
    seen.add(name);
  }
}

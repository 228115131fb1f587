/**
 * Comparing our Nei distances with PHYLIP gendist output (Nei method, all alleles listed):
 * shared by the fixture comparison (nei.oracle.test.ts) and the live run (nei.live.test.ts).
 * gendist prints 6 decimals and has no setting for more, so the comparison is at 1e-6
 * (rounding error <= 5e-7).
 */
import { type AlleleCounts, neiDistance, neiSimilarity, neiSimilarityMatrix } from '../../../src/core';
import { readPhylipSquare } from '../helpers/fixtures';

/** An allele-count table as test/fixtures/oracles/gen_inputs.py writes it. */
export interface Table {
  names: string[];
  alleles: number[];
  probes: number;
  counts: number[][][];
}

export const GENDIST_TOLERANCE = 1e-6;
export const GENDIST = '/usr/lib/phylip/bin/gendist';

export function toPopulations(table: Table): AlleleCounts[] {
  return table.counts.map((loci) => loci.map((locus) => Object.fromEntries(locus.map((c, a) => [`allele${a}`, c]))));
}

export function expectMatchesGendist(pops: AlleleCounts[], gendistOut: string): void {
  const expected = readPhylipSquare(gendistOut).d;
  const n = pops.length;
  const s = neiSimilarityMatrix(pops);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      expect(Math.abs(neiDistance(neiSimilarity(pops[i], pops[j])) - expected[i][j])).toBeLessThanOrEqual(
        GENDIST_TOLERANCE,
      );
      expect(Math.abs(neiDistance(s[i * n + j]) - expected[i][j])).toBeLessThanOrEqual(GENDIST_TOLERANCE);
    }
  }
}

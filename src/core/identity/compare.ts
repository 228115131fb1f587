/**
 * Identity and relatedness of two models on one genome (issue 12): Nei's D over their shared
 * genes, a bootstrap interval over genes (gene-bootstrap.ts) and the p-value of a stratified
 * permutation test of "a and b sample from the same distribution" (permutation-test.ts).
 * A pair that shares no gene has no distance: every number is null (unknown, not 23).
 */
import type { AlleleCounts } from '../genetics/population';
import { geneBootstrapInterval } from './gene-bootstrap';
import { pairTable } from './pair-table';
import { DEFAULT_STOP_AFTER, permutationTest } from './permutation-test';

export interface ComparisonOptions {
  seed: number;
  /** at most this many permutations (default 1,000) */
  permutations?: number;
  /** Besag-Clifford h (default 20) */
  stopAfter?: number;
  /** bootstrap replicates over genes (default 1,000) */
  replicates?: number;
  /** interval coverage (default 0.95) */
  level?: number;
}

export interface Comparison {
  distance: number | null;
  low: number | null;
  high: number | null;
  pValue: number | null;
  sharedGenes: number;
  permutations: number;
}

export const DEFAULT_PERMUTATIONS = 1000;
export const DEFAULT_REPLICATES = 1000;
export const DEFAULT_LEVEL = 0.95;

export function comparePopulations(a: AlleleCounts, b: AlleleCounts, options: ComparisonOptions): Comparison {
  const table = pairTable(a, b);
  if (table.genes === 0) {
    return { distance: null, low: null, high: null, pValue: null, sharedGenes: 0, permutations: 0 };
  }
  const test = permutationTest(table, {
    permutations: options.permutations ?? DEFAULT_PERMUTATIONS,
    seed: options.seed,
    stopAfter: options.stopAfter ?? DEFAULT_STOP_AFTER,
  });
  const interval = geneBootstrapInterval(table, {
    replicates: options.replicates ?? DEFAULT_REPLICATES,
    // a different stream than the permutations', so the two never share draws
    seed: options.seed ^ 0x5bd1e995,
    level: options.level ?? DEFAULT_LEVEL,
  });
  return {
    distance: test.observed,
    low: interval.low,
    high: interval.high,
    pValue: test.pValue,
    sharedGenes: table.genes,
    permutations: test.permutations,
  };
}

/**
 * How much evidence a population rests on: which genes a model has samples for and how many.
 *
 * Nei's identity is summed over the genes both models have samples for (nei.ts), so a model
 * sampled on a few genes is compared with others on those genes only, and one that shares no
 * gene with another has no measured identity with it at all (S = 0 is a convention, not a
 * measurement). With few samples per gene, allele frequencies are noisy and J_A is inflated, so
 * off-diagonal similarities come out low (method.md, "Known bias"). This module measures both
 * and holds the thresholds the server applies by default.
 *
 * Complexity: O(G * alleles) per population; shared-gene counts O(n^2 * G / 32).
 */
import type { AlleleCounts } from './population';
import { totalCount } from './population';

export interface Coverage {
  /** genes of the genome */
  genes: number;
  /** genes with at least one sample */
  genesWithSamples: number;
  /** samples in all */
  samples: number;
  /** fewest samples on a gene that has samples (0 when none has) */
  minSamplesPerGene: number;
  /** median samples over the genes that have samples (0 when none has) */
  medianSamplesPerGene: number;
}

/** Thresholds a model's coverage must meet to be used by default. */
export interface EvidenceThresholds {
  /** median samples per sampled gene */
  minSamplesPerGene: number;
  /** share of the genome's genes with samples, in [0, 1] */
  minGeneCoverage: number;
}

/**
 * Defaults: a model must have samples on at least 75% of the genes (a half-covered model's
 * distances rest on half the genes of everyone else's) and a median of at least 2 samples per
 * gene (with 1, the within-model term J_A is 1 on every gene: no frequency is measured at all).
 */
export const DEFAULT_THRESHOLDS: EvidenceThresholds = { minSamplesPerGene: 2, minGeneCoverage: 0.75 };

/** Samples per gene of a population (0 where it has none). */
export function samplesPerGene(counts: AlleleCounts): Int32Array {
  return Int32Array.from(counts, (gene) => totalCount(gene));
}

export function coverageOf(counts: AlleleCounts): Coverage {
  return coverageFromSamplesPerGene(samplesPerGene(counts));
}

/** Coverage from the samples on each gene of the genome (0 where none). */
export function coverageFromSamplesPerGene(perGene: Int32Array): Coverage {
  const sampled = Array.from(perGene)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  const k = sampled.length;
  return {
    genes: perGene.length,
    genesWithSamples: k,
    samples: sampled.reduce((s, n) => s + n, 0),
    minSamplesPerGene: k === 0 ? 0 : sampled[0],
    medianSamplesPerGene: median(sampled),
  };
}

/** Median of the values (mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const k = v.length;
  return k === 0 ? 0 : k % 2 === 1 ? v[(k - 1) / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/** Share of the genome's genes with samples (0 for an empty genome). */
export function geneCoverage(c: Coverage): number {
  return c.genes === 0 ? 0 : c.genesWithSamples / c.genes;
}

/** Why a model falls short of the thresholds, or null when it meets them. */
export function shortfall(c: Coverage, t: EvidenceThresholds): string | null {
  const share = geneCoverage(c);
  if (share < t.minGeneCoverage) {
    return `samples on ${c.genesWithSamples} of ${c.genes} genes (${percent(share)}), below minGeneCoverage ${percent(t.minGeneCoverage)}`;
  }
  if (c.medianSamplesPerGene < t.minSamplesPerGene) {
    return `median ${c.medianSamplesPerGene} samples per gene, below minSamplesPerGene ${t.minSamplesPerGene}`;
  }
  return null;
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** Bit set of the genes with samples, 32 genes per word. */
export function geneMask(perGene: ArrayLike<number>): Uint32Array {
  const mask = new Uint32Array(Math.ceil(perGene.length / 32));
  for (let g = 0; g < perGene.length; g++) if (perGene[g] > 0) mask[g >>> 5] |= 1 << (g & 31);
  return mask;
}

/** Number of genes both masks have. */
export function sharedGeneCount(a: Uint32Array, b: Uint32Array): number {
  let count = 0;
  for (let w = 0; w < Math.min(a.length, b.length); w++) count += popcount(a[w] & b[w]);
  return count;
}

function popcount(x: number): number {
  // SWAR bit count (Hacker's Delight, 5-2)
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Pairs (i < j) of the masks that share no gene: their Nei identity is unknown, not 0. Skips the
 * pairwise work when every model has every gene.
 */
export function pairsSharingNoGene(masks: readonly Uint32Array[], complete: readonly boolean[]): [number, number][] {
  const out: [number, number][] = [];
  if (complete.every(Boolean)) return out;
  for (let i = 0; i < masks.length; i++) {
    for (let j = i + 1; j < masks.length; j++) {
      if (complete[i] && complete[j]) continue;
      if (sharedGeneCount(masks[i], masks[j]) === 0) out.push([i, j]);
    }
  }
  return out;
}

/**
 * Do two models sample from the same distribution? A permutation test on Nei's D (method.md).
 *
 * Null hypothesis: within every gene, the two models' samples are exchangeable (drawn from one
 * allele distribution). Each permutation pools a gene's samples of both models and deals them
 * at random into two groups of the original sizes, independently per gene (a stratified
 * permutation, strata = genes), then recomputes D over all shared genes. The p-value is
 *
 *     p = (1 + #{permutations with D >= observed D}) / (1 + permutations)
 *
 * which is exact (never anti-conservative) for random permutations (Phipson & Smyth 2010). D
 * values within a relative 1e-9 of the observed count as ties (>=), so round-off never turns
 * the observed split itself into a "smaller" one.
 *
 * Early stopping follows Besag & Clifford's sequential Monte Carlo test (1991): stop as soon as
 * `stopAfter` (h) permutations reached the observed D, after l permutations, and report p = h / l;
 * otherwise run all m permutations and report (1 + g) / (1 + m). Both are valid p-values; far
 * from the null (the interesting case for identity) nothing stops early, and a clear "same"
 * answer costs about h / p permutations instead of m.
 *
 * Complexity: O(permutations x (samples + alleles)) over the shared genes; genes with a single
 * allele in the pool contribute a constant and are summed once.
 *
 * @see Phipson B, Smyth GK. 2010. Permutation p-values should never be zero: calculating exact
 *   p-values when permutations are randomly drawn. Stat Appl Genet Mol Biol 9(1):39.
 * @see Besag J, Clifford P. 1991. Sequential Monte Carlo p-values. Biometrika 78(2):301-304.
 */
import { PhyloInputError } from '../errors';
import { distanceOfSums, type PairTable } from './pair-table';

export interface PermutationOptions {
  /** m: the most permutations drawn */
  permutations: number;
  seed: number;
  /** h of Besag & Clifford: stop once this many permutations reached the observed D (default 20) */
  stopAfter?: number;
}

export interface PermutationResult {
  observed: number;
  pValue: number;
  /** permutations actually drawn (fewer than asked when stopped early) */
  permutations: number;
}

export const DEFAULT_STOP_AFTER = 20;

export function permutationTest(table: PairTable, options: PermutationOptions): PermutationResult {
  const { permutations, seed } = options;
  const stopAfter = options.stopAfter ?? DEFAULT_STOP_AFTER;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new PhyloInputError(`permutations must be a positive integer, got ${permutations}`);
  }
  if (!(stopAfter >= 1)) throw new PhyloInputError(`stopAfter must be at least 1, got ${stopAfter}`);
  const observed = table.observed();
  const tie = observed - 1e-9 * Math.max(1, Math.abs(observed));
  const { alleleStart, urnStart, sizeA, sizeB } = table;
  const urn = Int32Array.from(table.urn);
  const drawn = new Int32Array(table.countA.length);
  // pooled count c of each allele, and sum of c^2 per gene: with y = c - x for the group not
  // dealt, sum xy = sum xc - sum x^2 and sum y^2 = sum c^2 - 2 sum xc + sum x^2, so dealing
  // needs only sum xc and sum x^2, both summed as the samples are dealt.
  const pooled = new Int32Array(table.countA.length);
  for (let k = 0; k < pooled.length; k++) pooled[k] = table.countA[k] + table.countB[k];
  const pooledSquares = new Float64Array(table.genes);
  for (let g = 0; g < table.genes; g++) {
    for (let k = alleleStart[g]; k < alleleStart[g + 1]; k++) pooledSquares[g] += pooled[k] * pooled[k];
  }
  // mulberry32 (src/core/random.ts, same stream for a seed), inlined: the draw is the hot loop
  let state = Math.trunc(seed) >>> 0;

  // Genes whose pool holds one allele give (1, 1, 1) under every split: summed once.
  const varying: number[] = [];
  let constant = 0;
  for (let g = 0; g < table.genes; g++) {
    if (alleleStart[g + 1] - alleleStart[g] > 1) varying.push(g);
    else constant++;
  }

  let reached = 0;
  for (let done = 1; done <= permutations; done++) {
    let jab = constant;
    let ja = constant;
    let jb = constant;
    for (let v = 0; v < varying.length; v++) {
      const g = varying[v];
      const nA = sizeA[g];
      const nB = sizeB[g];
      const start = urnStart[g];
      const first = alleleStart[g];
      const size = nA + nB;
      // Deal the smaller group by a partial Fisher-Yates shuffle of the gene's urn (any
      // arrangement of the urn is a fine start: the dealt group is a uniform random subset).
      const small = nA <= nB ? nA : nB;
      let xc = 0;
      let xx = 0;
      for (let i = 0; i < small; i++) {
        state = (state + 0x6d2b79f5) | 0;
        let z = Math.imul(state ^ (state >>> 15), state | 1);
        z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
        // uniform in [0, size - i): a 32-bit draw scaled by 2^-32
        const j = i + ((((z ^ (z >>> 14)) >>> 0) * (size - i) * 2.3283064365386963e-10) | 0);
        const picked = urn[start + j];
        urn[start + j] = urn[start + i];
        urn[start + i] = picked;
        const k = first + picked;
        const x = drawn[k];
        // (x + 1)^2 - x^2 = 2x + 1
        xx += 2 * x + 1;
        xc += pooled[k];
        drawn[k] = x + 1;
      }
      for (let i = 0; i < small; i++) drawn[first + urn[start + i]] = 0;
      const xy = xc - xx;
      const yy = pooledSquares[g] - 2 * xc + xx;
      jab += xy / (nA * nB);
      // the dealt group (size `small`) plays a when a is the smaller one, else b
      const sx = xx / (small * small);
      const sy = yy / ((size - small) * (size - small));
      ja += nA <= nB ? sx : sy;
      jb += nA <= nB ? sy : sx;
    }
    if (distanceOfSums(jab, ja, jb) >= tie) {
      reached++;
      // Besag & Clifford (1991): h exceedances after l permutations give p = h / l
      if (reached >= stopAfter) return { observed, pValue: reached / done, permutations: done };
    }
  }
  // Phipson & Smyth (2010): p = (1 + b) / (1 + m)
  return { observed, pValue: (1 + reached) / (1 + permutations), permutations };
}

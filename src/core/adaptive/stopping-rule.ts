/**
 * When to stop sampling a model (adaptive probing, issue 13): more samples are worth paying for
 * only while they could still change what the samples are for, the model's Nei distances to the
 * others and its place in their neighbour-joining tree.
 *
 * Both are judged by bootstrapping the target model's samples, the others held as known: each
 * replicate draws, within every gene, the target's n samples with replacement from its observed
 * alleles (the within-population stage of a hierarchical bootstrap, Davison & Hinkley 1997 §3.8)
 * and recomputes the target's distance to every other model. The genes stay fixed: resampling
 * them too (Felsenstein 1985) measures the uncertainty of the genome's choice of genes, which no
 * number of samples reduces (on the zoo it stays near 0.15 from n = 4 to n = 32, while the
 * sampling part falls from 0.05 to 0.02), so it cannot say when to stop sampling.
 *
 * - precision: the largest bootstrap standard error of the target's distances is at most
 *   `targetStandardError`;
 * - placement: in at least `placementConfidence` of the replicates, the NJ tree with the target's
 *   replicate distances has the same topology (Robinson-Foulds distance 0) as the tree from its
 *   observed distances, so further samples are unlikely to move it.
 *
 * Either one stops (each may be switched off with 0). Without another model there is nothing to
 * judge and the rule never stops (the job samples its full plan); with one, there is no tree and
 * only the precision rule can.
 *
 * Complexity: O(replicates x (G x n + others x G x alleles + NJ of others + 1)), NJ being O(m^3).
 *
 * @see Felsenstein J. 1985. Confidence limits on phylogenies: an approach using the bootstrap.
 *   Evolution 39:783-791.
 * @see Davison AC, Hinkley DV. 1997. Bootstrap Methods and their Application. Cambridge UP.
 * @see Nei M. 1972. Genetic distance between populations. Am Nat 106:283-292.
 */
import { PhyloInputError } from '../errors';
import { MIN_SIMILARITY, neiDistance, neiSimilarityMatrix } from '../genetics/nei';
import { totalCount, type AlleleCounts } from '../genetics/population';
import { createRandom, type Random } from '../random';
import { neighborJoining } from '../tree/neighbor-joining';
import { robinsonFoulds } from '../tree/robinson-foulds';
import type { Tree } from '../tree/tree';

export interface StoppingRuleOptions {
  /** stop when every distance's bootstrap standard error is at most this; 0 switches it off */
  targetStandardError: number;
  /** stop when this share of replicates keeps the tree's topology, in (0, 1]; 0 switches it off */
  placementConfidence: number;
  /** bootstrap replicates */
  replicates: number;
  seed: number;
}

export type StopReason = 'PRECISION' | 'PLACEMENT';

export interface StoppingDecision {
  stop: boolean;
  reason: StopReason | null;
  /** the largest bootstrap standard error of the target's distances (NaN without others) */
  maxStandardError: number;
  /** share of replicates with the observed tree's topology (null without a tree: < 2 others) */
  placementSupport: number | null;
}

/** Decides whether `target` (allele counts per gene) is sampled enough against `others`. */
export function stoppingDecision(
  target: AlleleCounts,
  others: readonly AlleleCounts[],
  options: StoppingRuleOptions,
): StoppingDecision {
  checkOptions(options);
  if (others.length === 0) return { stop: false, reason: null, maxStandardError: NaN, placementSupport: null };
  const table = new TargetTable(target, others);
  const observed = table.distances(null);
  const random = createRandom(options.seed);
  const replicates = Array.from({ length: options.replicates }, () => table.replicate(random));
  const maxStandardError = observed.reduce(
    (max, _, j) => Math.max(max, standardDeviation(replicates.map((r) => r[j]))),
    0,
  );
  let placementSupport: number | null = null;
  if (others.length >= 2 && options.placementConfidence > 0) {
    const between = othersDistances(others);
    const observedTree = treeWith(between, observed);
    const same = replicates.filter((r) => robinsonFoulds(observedTree, treeWith(between, r)).distance === 0).length;
    placementSupport = same / replicates.length;
  }
  const precise = options.targetStandardError > 0 && maxStandardError <= options.targetStandardError;
  const placed = placementSupport !== null && placementSupport >= options.placementConfidence;
  const reason: StopReason | null = precise ? 'PRECISION' : placed ? 'PLACEMENT' : null;
  return { stop: reason !== null, reason, maxStandardError, placementSupport };
}

function checkOptions({ targetStandardError, placementConfidence, replicates }: StoppingRuleOptions): void {
  if (!(targetStandardError >= 0) || !Number.isFinite(targetStandardError)) {
    throw new PhyloInputError(`targetStandardError must be a finite number >= 0, got ${targetStandardError}`);
  }
  if (!(placementConfidence >= 0 && placementConfidence <= 1)) {
    throw new PhyloInputError(`placementConfidence must lie in [0, 1], got ${placementConfidence}`);
  }
  if (!Number.isInteger(replicates) || replicates < 2) {
    throw new PhyloInputError(`replicates must be an integer >= 2, got ${replicates}`);
  }
}

/**
 * The target's genes as allele count arrays, and every other model's frequencies of the same
 * alleles, so one replicate is a few dot products per gene.
 */
class TargetTable {
  /** genes the target has samples for */
  private readonly genes: number[] = [];
  /** per target gene: its allele counts, and their running total */
  private readonly counts: Float64Array[] = [];
  /** per other model, per target gene: the other's frequency of each target allele (null: no samples) */
  private readonly aligned: (Float64Array | null)[][];
  /** per other model, per target gene: sum over the other's alleles of p^2 */
  private readonly squares: Float64Array[];

  constructor(target: AlleleCounts, others: readonly AlleleCounts[]) {
    const alleles: string[][] = [];
    target.forEach((gene, g) => {
      if (gene === null || totalCount(gene) === 0) return;
      const names = Object.keys(gene).filter((a) => gene[a] > 0);
      this.genes.push(g);
      alleles.push(names);
      this.counts.push(Float64Array.from(names, (a) => gene[a]));
    });
    this.aligned = others.map((other) =>
      this.genes.map((g, k) => {
        const gene = other[g] ?? null;
        const n = totalCount(gene);
        if (gene === null || n === 0) return null;
        return Float64Array.from(alleles[k], (a) => (gene[a] ?? 0) / n);
      }),
    );
    this.squares = others.map((other) =>
      Float64Array.from(this.genes, (g) => {
        const gene = other[g] ?? null;
        const n = totalCount(gene);
        let sum = 0;
        if (gene !== null && n > 0) for (const a in gene) sum += (gene[a] / n) ** 2;
        return sum;
      }),
    );
  }

  /** One bootstrap replicate of the target's distances to every other model. */
  replicate(random: Random): Float64Array {
    return Float64Array.from(this.distances(this.counts.map((counts) => resample(counts, random))));
  }

  /** Distances from the target's counts per gene (the observed ones when null). */
  distances(counts: Float64Array[] | null): number[] {
    const own = counts ?? this.counts;
    const freqs = own.map(toFrequencies);
    const aa = freqs.map((p) => p.reduce((s, x) => s + x * x, 0));
    return this.aligned.map((other, j) => {
      let jab = 0;
      let ja = 0;
      let jb = 0;
      for (let k = 0; k < freqs.length; k++) {
        const q = other[k];
        if (q === null) continue;
        let ab = 0;
        for (let a = 0; a < q.length; a++) ab += freqs[k][a] * q[a];
        jab += ab;
        ja += aa[k];
        jb += this.squares[j][k];
      }
      // S = J_AB / sqrt(J_A J_B), as in nei.ts; no shared gene gives S = 0
      const s = ja > 0 && jb > 0 ? Math.min(1, jab / Math.sqrt(ja * jb)) : 0;
      return neiDistance(Math.max(s, MIN_SIMILARITY));
    });
  }
}

/** n draws with replacement from the categorical distribution of `counts` (n = their total). */
function resample(counts: Float64Array, random: Random): Float64Array {
  let n = 0;
  for (const c of counts) n += c;
  const out = new Float64Array(counts.length);
  for (let i = 0; i < n; i++) {
    let u = random() * n;
    let a = 0;
    while (a < counts.length - 1 && u >= counts[a]) u -= counts[a++];
    out[a]++;
  }
  return out;
}

function toFrequencies(counts: Float64Array): Float64Array {
  let n = 0;
  for (const c of counts) n += c;
  return counts.map((c) => c / n);
}

function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
}

/** The others' Nei distances among themselves, row-major. */
function othersDistances(others: readonly AlleleCounts[]): Float64Array {
  const s = neiSimilarityMatrix(others);
  const d = s.map(neiDistance);
  for (let i = 0; i < others.length; i++) d[i * others.length + i] = 0;
  return d;
}

/** NJ tree of the others plus the target (last taxon) at the given distances. */
function treeWith(between: Float64Array, row: ArrayLike<number>): Tree {
  const m = row.length;
  const n = m + 1;
  const d = new Float64Array(n * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) d[i * n + j] = between[i * m + j];
    d[i * n + m] = row[i];
    d[m * n + i] = row[i];
  }
  return neighborJoining(
    d,
    Array.from({ length: n }, (_, i) => String(i)),
  );
}

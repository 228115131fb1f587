/**
 * Adaptive probing of the whole simulated zoo, in memory (issue 13, what must be true 2): every
 * model is sampled in rounds (4, 8, 16, 32 samples per gene) and stops when the core's stopping
 * rule says so, judged against the others as they stand after the same round, as when one
 * adaptive job per model runs at once. The reference is the full plan, N = 32 for everyone, from
 * the same sample streams (the simulated provider's sample i is a pure function of its index).
 * Shared by test/core/adaptive-zoo.test.ts and bench/probing-cost.bench.ts.
 */
import { createSimulatedProvider } from '../../plugins/simulated';
import { addCounts, type AlleleCounts } from '../../src/core/genetics/population';
import { neiDistance, neiSimilarityMatrix } from '../../src/core/genetics/nei';
import { neighborJoining } from '../../src/core/tree/neighbor-joining';
import { leafIndex, nodeSplits, robinsonFoulds } from '../../src/core/tree/robinson-foulds';
import { splitSupport } from '../../src/core/tree/bootstrap';
import type { Tree } from '../../src/core/tree/tree';
import { stoppingDecision, type StoppingRuleOptions } from '../../src/core/adaptive/stopping-rule';
import { roundTargets } from '../../src/core/adaptive/rounds';
import type { Provider } from '../../src/providers/provider';

import { sampleModel } from './zoo-populations';

export interface AdaptiveZooResult {
  seed: number;
  /** Robinson-Foulds distance between the adaptive and the full-plan NJ trees */
  rf: number;
  /**
   * splits of the full-plan tree that the full plan reproduces (in most of 9 trees from fresh
   * N = 32 draws), and how many of them the adaptive tree lacks (both 0 when run without redraws)
   */
  supported: number;
  lost: number;
  tokensFull: number;
  tokensAdaptive: number;
  samplesFull: number;
  samplesAdaptive: number;
  /** samples per gene each model ended with */
  reached: Record<string, number>;
}

export async function runAdaptiveZoo(
  seed: number,
  genes: readonly string[],
  rule: Omit<StoppingRuleOptions, 'seed'>,
  plan = { samplesPerGene: 32, firstRound: 4 },
  /** fresh full-plan draws that decide which splits the full plan reproduces (0: strict topology only) */
  redrawCount = 9,
): Promise<AdaptiveZooResult> {
  const provider = createSimulatedProvider({ seed });
  const models = await provider.listModels();
  const targets = roundTargets(plan.firstRound, plan.samplesPerGene);
  const counts: AlleleCounts[] = models.map(() => new Array(genes.length).fill(null));
  const reached = models.map(() => 0);
  const active = new Set(models.map((_, i) => i));
  let tokensAdaptive = 0;
  for (const [round, n] of targets.entries()) {
    for (const i of active) {
      tokensAdaptive += await sampleInto(provider, models[i], genes, reached[i], n - reached[i], counts[i]);
      reached[i] = n;
    }
    if (round === targets.length - 1) break;
    const decisions = [...active].map((i) => ({
      i,
      stop: stoppingDecision(
        counts[i],
        counts.filter((_, j) => j !== i),
        { ...rule, seed: seed * 1000 + i },
      ).stop,
    }));
    for (const { i, stop } of decisions) if (stop) active.delete(i);
  }
  const full: AlleleCounts[] = models.map(() => new Array(genes.length).fill(null));
  let tokensFull = 0;
  for (const [i, model] of models.entries()) {
    tokensFull += await sampleInto(provider, model, genes, 0, plan.samplesPerGene, full[i]);
  }
  const names = models.map((m) => m.id);
  const fullTree = njTree(full, names);
  const adaptiveTree = njTree(counts, names);
  const redraws: Tree[] = [];
  for (let k = 1; k <= redrawCount; k++) {
    const pops: AlleleCounts[] = models.map(() => new Array(genes.length).fill(null));
    for (const [i, model] of models.entries()) {
      await sampleInto(provider, model, genes, k * plan.samplesPerGene, plan.samplesPerGene, pops[i]);
    }
    redraws.push(njTree(pops, names));
  }
  return {
    seed,
    rf: robinsonFoulds(fullTree, adaptiveTree).distance,
    // without redraws nothing says which splits the full plan reproduces: strict topology only
    ...(redraws.length > 0 ? reproducedSplitsLost(fullTree, redraws, adaptiveTree) : { supported: 0, lost: 0 }),
    tokensFull,
    tokensAdaptive,
    samplesFull: models.length * genes.length * plan.samplesPerGene,
    samplesAdaptive: reached.reduce((s, n) => s + n * genes.length, 0),
    reached: Object.fromEntries(names.map((name, i) => [name, reached[i]])),
  };
}

/** Samples `n` more per gene from `offset` into `counts`; returns the tokens the provider reported. */
async function sampleInto(
  provider: Provider,
  model: { id: string; mode?: 'COMPLETION' | 'CHAT' },
  genes: readonly string[],
  offset: number,
  n: number,
  counts: AlleleCounts,
): Promise<number> {
  const { samples, tokens } = await sampleModel(provider, model, genes, n, offset);
  addCounts(counts, samples);
  return tokens;
}

export function njTree(pops: readonly AlleleCounts[], names: readonly string[]): Tree {
  const d = neiSimilarityMatrix(pops).map(neiDistance);
  for (let i = 0; i < names.length; i++) d[i * names.length + i] = 0;
  return neighborJoining(d, names);
}

/**
 * The splits of `full` that fresh draws of the full plan reproduce (present in more than half of
 * `redraws`), and how many of them `other` lacks. A split the full plan itself does not
 * reproduce is sampling noise, not a claim: the zoo's sampled ancestors make star-shaped triples
 * (a base model and two fine-tunes) that NJ resolves at random, and two independent N = 32
 * draws give the same strict topology in only 3 of 10 seeds.
 */
export function reproducedSplitsLost(
  full: Tree,
  redraws: readonly Tree[],
  other: Tree,
): { supported: number; lost: number } {
  const support = splitSupport(full, redraws);
  const index = leafIndex(full);
  const theirs = new Set(nodeSplits(other, index).values());
  let supported = 0;
  let lost = 0;
  for (const [node, key] of nodeSplits(full, index)) {
    if ((support[node] ?? 0) <= 0.5) continue;
    supported++;
    if (!theirs.has(key)) lost++;
  }
  return { supported, lost };
}

/**
 * A bound on what any stopping rule can save while keeping the full plan's strict topology: the
 * zoo's star-shaped triples (a base model and its two fine-tunes, which NJ resolves by sampling
 * noise) are sampled in full, every other model stops at `othersAt` samples per gene, each in a
 * single round (no round costs an extra prompt). A rule cannot know which models sit in a triple,
 * and stopping any of them early re-draws that triple's resolution.
 */
export async function tripleOracle(
  seed: number,
  genes: readonly string[],
  othersAt: number,
  samplesPerGene = 32,
): Promise<{ rf: number; tokensFull: number; tokensOracle: number }> {
  const provider = createSimulatedProvider({ seed });
  const models = await provider.listModels();
  const children = new Map<string, number>();
  const sampled = new Set(models.map((m) => m.id));
  // fine-tunes per sampled base model (a family's ancestors are not sampled)
  for (const m of models)
    if (m.parent && sampled.has(m.parent)) children.set(m.parent, (children.get(m.parent) ?? 0) + 1);
  const inTriple = models.map(
    (m) => (children.get(m.id) ?? 0) >= 2 || (m.parent !== null && (children.get(m.parent) ?? 0) >= 2),
  );
  const full: AlleleCounts[] = models.map(() => new Array(genes.length).fill(null));
  const oracle: AlleleCounts[] = models.map(() => new Array(genes.length).fill(null));
  let tokensFull = 0;
  let tokensOracle = 0;
  for (const [i, model] of models.entries()) {
    tokensFull += await sampleInto(provider, model, genes, 0, samplesPerGene, full[i]);
    tokensOracle += await sampleInto(provider, model, genes, 0, inTriple[i] ? samplesPerGene : othersAt, oracle[i]);
  }
  const names = models.map((m) => m.id);
  return { rf: robinsonFoulds(njTree(full, names), njTree(oracle, names)).distance, tokensFull, tokensOracle };
}

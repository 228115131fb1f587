/**
 * Adaptive sampling (issue 13): a probing job samples in rounds (4, 8, 16, 32 samples per gene for
 * the reference plan, `roundTargets`) and, after each round, asks the core's stopping rule
 * (core/adaptive/stopping-rule.ts) whether more samples could still change the model's distances
 * to the other models on the genome or its place in their tree. The round loop lives here; the
 * runner (job-runner.ts) gives it one function, "sample every gene up to n".
 *
 * A resumed job replays the loop: rounds already sampled cost nothing (the plan asks only for
 * what is missing) and the rule, seeded by the job's id, gives the same answers on the same data.
 */
import { roundTargets } from '../../core/adaptive/rounds';
import { stoppingDecision, type StopReason } from '../../core/adaptive/stopping-rule';
import type { ProbeJobRow, Store } from '../../db/store';
import { badInput } from '../errors';
import type { PopulationService } from '../population.service';
import { requireIntIn } from '../validate';

export interface AdaptiveSettings {
  /** samples per gene after the first round; each later round doubles it, up to the full plan */
  firstRound: number;
  /** stop when the bootstrap standard error of every distance is at most this (0: off) */
  targetStandardError: number;
  /** stop when this share of bootstrap replicates keeps the NJ tree's topology (0: off) */
  placementConfidence: number;
  /** bootstrap replicates per decision */
  replicates: number;
}

/**
 * Defaults measured on the simulated zoo, 10 seeds (bench `BENCH=probing-cost`, README "Adaptive
 * sampling"): rounds of 8, 16, 32 (a round of 4 costs one more prompt per gene than it saves
 * there), the tree rule at 0.95 over 100 replicates, and the precision rule off: a standard
 * error small enough to keep the tree (0.03 in Nei's D) saved nothing, and 0.04-0.045 lost a
 * split of the full plan's tree in 3 to 5 seeds of 10. `firstRound: 16` keeps the full plan's
 * strict topology more often (9 of 10 evaluation seeds against 7) and saves less (26.6% against 44.4%).
 */
export const DEFAULT_ADAPTIVE: AdaptiveSettings = {
  firstRound: 8,
  targetStandardError: 0,
  placementConfidence: 0.95,
  replicates: 100,
};

/**
 * The tree rule builds one NJ tree per replicate, O(m^3) for m models: past this many other models
 * it is left out (placementSupport null) and only the precision rule can stop the job.
 */
export const MAX_PLACEMENT_MODELS = 300;

/** The knobs as a request gives them: any may be left out (null). */
export type AdaptiveOptions = { [K in keyof AdaptiveSettings]?: AdaptiveSettings[K] | null };

/** The settings a request gives, checked, defaults filled in. */
export function adaptiveSettings(input: AdaptiveOptions | null | undefined, samplesPerGene: number): AdaptiveSettings {
  const settings = { ...DEFAULT_ADAPTIVE, ...withoutNulls(input ?? {}) };
  requireIntIn('adaptiveOptions.firstRound', settings.firstRound, 1, samplesPerGene);
  requireIntIn('adaptiveOptions.replicates', settings.replicates, 2, 1000);
  if (!(Number.isFinite(settings.targetStandardError) && settings.targetStandardError >= 0)) {
    throw badInput(`adaptiveOptions.targetStandardError must be a number >= 0, got ${settings.targetStandardError}`);
  }
  if (!(settings.placementConfidence >= 0 && settings.placementConfidence <= 1)) {
    throw badInput(`adaptiveOptions.placementConfidence must lie in [0, 1], got ${settings.placementConfidence}`);
  }
  if (settings.targetStandardError === 0 && settings.placementConfidence === 0) {
    throw badInput(
      'adaptiveOptions: targetStandardError and placementConfidence are both 0, so nothing could stop early',
    );
  }
  return settings;
}

const withoutNulls = (o: AdaptiveOptions): Partial<AdaptiveSettings> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<AdaptiveSettings>;

export interface AdaptiveRound {
  samplesPerGene: number;
  /** the largest bootstrap standard error of the model's distances (null: no other model yet) */
  maxStandardError: number | null;
  placementSupport: number | null;
  reason: StopReason | null;
}

/** What the job stores in `adaptive_report`. */
export interface AdaptiveReport {
  rounds: AdaptiveRound[];
  /** samples per gene where it stopped */
  stoppedAt: number;
  /** why: the rule's reason, or FULL_PLAN when it ran to the end */
  reason: StopReason | 'FULL_PLAN';
  /** tokens the full plan would have used beyond what the job used (from the job's own usage) */
  tokensSaved: number;
}

/**
 * Runs the rounds; `sampleUpTo(n)` samples every gene up to n and says false when the turn must
 * end (a yield or an abort). Returns the samples per gene reached, or undefined when the turn ended.
 */
export async function runAdaptiveRounds(
  job: ProbeJobRow,
  deps: { store: Store; populations: PopulationService; sampleUpTo: (n: number) => Promise<boolean> },
): Promise<number | undefined> {
  const settings = JSON.parse(job.adaptive ?? '{}') as AdaptiveSettings;
  const targets = roundTargets(settings.firstRound, job.samplesPerGene);
  const rounds: AdaptiveRound[] = [];
  for (const [k, n] of targets.entries()) {
    if (!(await deps.sampleUpTo(n))) return undefined;
    if (k === targets.length - 1) break;
    const round = await decide(job, n, settings, deps.populations);
    rounds.push(round);
    await deps.store.updateJob(job.id, { adaptiveReport: JSON.stringify({ rounds }) });
    if (round.reason !== null) return n;
  }
  return job.samplesPerGene;
}

async function decide(
  job: ProbeJobRow,
  n: number,
  settings: AdaptiveSettings,
  populations: PopulationService,
): Promise<AdaptiveRound> {
  const revisions = await populations.revisions(job.genomeId);
  const loaded = await populations.load(job.genomeId, revisions);
  const target = loaded.find((p) => p.modelId === job.modelId);
  const others = loaded.filter((p) => p.modelId !== job.modelId && p.sampleCount > 0);
  if (!target) return { samplesPerGene: n, maxStandardError: null, placementSupport: null, reason: null };
  const decision = stoppingDecision(
    target.counts,
    others.map((p) => p.counts),
    {
      targetStandardError: settings.targetStandardError,
      placementConfidence: others.length <= MAX_PLACEMENT_MODELS ? settings.placementConfidence : 0,
      replicates: settings.replicates,
      seed: job.id * 64 + n,
    },
  );
  return {
    samplesPerGene: n,
    maxStandardError: Number.isNaN(decision.maxStandardError) ? null : decision.maxStandardError,
    placementSupport: decision.placementSupport,
    reason: decision.reason,
  };
}

/**
 * The final report: where it stopped and the tokens saved against the full plan, estimated from
 * the job's own usage (prompt tokens per request, completion tokens per sample) at the full
 * plan's requests (genes x ceil(N / samples per request)) and samples.
 */
export function finalReport(
  job: ProbeJobRow,
  reached: number,
  geneCount: number,
  maxPerRequest: number,
  samplesTaken: number,
): AdaptiveReport {
  const previous = JSON.parse(job.adaptiveReport ?? '{"rounds":[]}') as { rounds: AdaptiveRound[] };
  const last = previous.rounds.at(-1);
  const reason = reached < job.samplesPerGene && last?.reason ? last.reason : 'FULL_PLAN';
  const promptPerRequest = job.requests > 0 ? job.promptTokens / job.requests : 0;
  const completionPerSample = samplesTaken > 0 ? job.completionTokens / samplesTaken : 0;
  const fullRequests = geneCount * Math.ceil(job.samplesPerGene / Math.max(1, maxPerRequest));
  // full plan = prompt/request x its requests + completion/sample x its samples
  const full = promptPerRequest * fullRequests + completionPerSample * job.total;
  const used = job.promptTokens + job.completionTokens;
  return { rounds: previous.rounds, stoppedAt: reached, reason, tokensSaved: Math.max(0, Math.round(full - used)) };
}

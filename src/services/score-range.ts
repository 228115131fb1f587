/**
 * Declared ranges of benchmark scores, checked on write: a value outside its benchmark's range
 * fails the whole write with the offending row named, so a table in percentages (61.2) never
 * reaches the predictions, which need scores in [0, 1]. Every benchmark's range is [0, 1] unless
 * declared otherwise (`ranges` of a write); a declared range is stored with the write's scores
 * and holds for every later write, until another declaration replaces it, which the stored
 * scores must fit.
 */
import type { BenchmarkRangeRow, ScoreEntry, Store } from '../db/store';
import { badInput } from './errors';
import { requireText } from './validate';

export type BenchmarkRange = BenchmarkRangeRow;

export const DEFAULT_SCORE_RANGE = { low: 0, high: 1 } as const;

export type RangeOf = (benchmark: string) => { low: number; high: number };

/** The range of each benchmark: declared ones (checked), then stored ones, [0, 1] for the rest. */
export function rangesOf(
  declared: readonly BenchmarkRange[] | null | undefined,
  stored: readonly BenchmarkRange[] = [],
): RangeOf {
  const ranges = new Map<string, { low: number; high: number }>();
  for (const [i, r] of (declared ?? []).entries()) {
    const benchmark = requireText(`ranges[${i}].benchmark`, r.benchmark, 100);
    if (!(Number.isFinite(r.low) && Number.isFinite(r.high) && r.low < r.high)) {
      throw badInput(`ranges[${i}] (${benchmark}) must have finite low < high, got [${r.low}, ${r.high}]`);
    }
    if (ranges.has(benchmark)) throw badInput(`ranges[${i}] declares ${benchmark} a second time`);
    ranges.set(benchmark, { low: r.low, high: r.high });
  }
  const kept = new Map(stored.map((r) => [r.benchmark, { low: r.low, high: r.high }]));
  return (benchmark) => ranges.get(benchmark) ?? kept.get(benchmark) ?? DEFAULT_SCORE_RANGE;
}

/** The ranges a write is checked against: its declarations (checked), over the stored ones. */
export async function rangesForWrite(
  store: Store,
  declared: readonly BenchmarkRange[] | null | undefined,
): Promise<RangeOf> {
  return rangesOf(declared, await store.benchmarkRanges());
}

/** Fails when a stored score that the write does not replace lies outside a range the write declares. */
export async function requireStoredScoresFit(
  store: Store,
  declared: readonly BenchmarkRange[] | null | undefined,
  entries: readonly ScoreEntry[],
): Promise<void> {
  const replaced = new Set(entries.map((e) => `${e.modelId}\u0000${e.benchmark}`));
  for (const [i, r] of (declared ?? []).entries()) {
    for (const score of await store.scoresFor(r.benchmark)) {
      if (replaced.has(`${score.modelId}\u0000${score.benchmark}`)) continue;
      if (score.value >= r.low && score.value <= r.high) continue;
      const model = await store.getModel(score.modelId);
      throw badInput(
        `ranges[${i}] declares ${r.benchmark} [${r.low}, ${r.high}], but model "${model?.name ?? score.modelId}" ` +
          `has a stored ${r.benchmark} score of ${score.value}; nothing was written`,
      );
    }
  }
}

/** Throws BAD_USER_INPUT naming `where` when `value` is outside the benchmark's range. */
export function requireInRange(rangeOf: RangeOf, benchmark: string, value: number, where: string): void {
  const { low, high } = rangeOf(benchmark);
  if (value >= low && value <= high) return;
  const hint =
    low === 0 && high === 1 && value > 1 && value <= 100
      ? ' (percentages? import with scale: 0.01, or declare the range with `ranges`)'
      : ' (declare another range with `ranges`)';
  throw badInput(`${where}: ${value} is outside the ${benchmark} range [${low}, ${high}]${hint}; nothing was written`);
}

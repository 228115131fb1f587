/**
 * Declared ranges of benchmark scores, checked on write: a value outside its benchmark's range
 * fails the whole write with the offending row named, so a table in percentages (61.2) never
 * reaches the predictions, which need scores in [0, 1]. Every benchmark's range is [0, 1] unless
 * the request declares another for it (`ranges`).
 */
import { badInput } from './errors';
import { requireText } from './validate';

export interface BenchmarkRange {
  benchmark: string;
  low: number;
  high: number;
}

export const DEFAULT_SCORE_RANGE = { low: 0, high: 1 } as const;

export type RangeOf = (benchmark: string) => { low: number; high: number };

/** The range of each benchmark: declared ones (checked), [0, 1] for the rest. */
export function rangesOf(declared: readonly BenchmarkRange[] | null | undefined): RangeOf {
  const ranges = new Map<string, { low: number; high: number }>();
  for (const [i, r] of (declared ?? []).entries()) {
    const benchmark = requireText(`ranges[${i}].benchmark`, r.benchmark, 100);
    if (!(Number.isFinite(r.low) && Number.isFinite(r.high) && r.low < r.high)) {
      throw badInput(`ranges[${i}] (${benchmark}) must have finite low < high, got [${r.low}, ${r.high}]`);
    }
    if (ranges.has(benchmark)) throw badInput(`ranges[${i}] declares ${benchmark} a second time`);
    ranges.set(benchmark, { low: r.low, high: r.high });
  }
  return (benchmark) => ranges.get(benchmark) ?? DEFAULT_SCORE_RANGE;
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

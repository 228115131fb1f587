/**
 * A cold similarity matrix of many models, shared out among the compute pool's threads: one task
 * lays the populations out in shared memory (core/genetics/similarity-blocks.ts), then row ranges
 * of about equal work fill one shared n x n matrix in parallel, each thread a block of rows at a
 * time (working memory beside the answer: the layout and 16 x n accumulators per thread).
 *
 * Pairs already known (a cached matrix's donations, NaN elsewhere) keep their cached values, so
 * a matrix's numbers never move between computations; the blocked product is worth it only when
 * most pairs are unknown, which `worthBlocking` decides.
 */
import { balancedRowRanges } from '../core/genetics/similarity-blocks';
import type { PopulationsJson } from '../core/tasks';
import type { Compute } from './compute';

/** Below this many models one task of the incremental kernel is as fast and simpler. */
export const BLOCKED_MIN_MODELS = 256;

/** Row ranges per thread: later ranges finish while others run, so no thread idles long. */
const RANGES_PER_WORKER = 4;

/** Whether a matrix of n rows with `unknownPairs` pairs to compute should take the blocked path. */
export function worthBlocking(n: number, unknownPairs: number): boolean {
  return n >= BLOCKED_MIN_MODELS && unknownPairs >= (n * (n - 1)) / 4;
}

/**
 * S for the populations (JSON array, row order; packed-populations.ts) in shared memory; `known` pairs are kept as given
 * (NaN: unknown). A `known` in shared memory is filled in place and returned.
 */
export async function blockedSimilarity(
  compute: Pick<Compute, 'run' | 'workers'>,
  populations: PopulationsJson,
  known?: Float64Array,
): Promise<Float64Array> {
  const layout = await compute.run('similarityLayout', { populations });
  const { n } = layout;
  if (known && known.length !== n * n) {
    throw new RangeError(`known must hold n*n = ${n * n} values, got ${known.length}`);
  }
  // known pairs in shared memory are completed in place: no second n x n matrix (800 MB at 10,000)
  const inPlace = known !== undefined && known.buffer instanceof SharedArrayBuffer;
  const out = inPlace ? known : new Float64Array(new SharedArrayBuffer(8 * n * n));
  const ranges = balancedRowRanges(n, Math.max(1, compute.workers) * RANGES_PER_WORKER);
  await Promise.all(
    ranges.map(([from, to]) => compute.run('similarityRows', { layout, from, to, out, keepKnown: inPlace })),
  );
  if (known && !inPlace) {
    for (let k = 0; k < known.length; k++) if (!Number.isNaN(known[k])) out[k] = known[k];
  }
  return out;
}

/**
 * What a probing job still has to ask for: per gene, the samples missing to reach N, cut into
 * requests of at most the provider's samples-per-request. Each request knows the sample index
 * it starts at (after the highest index stored), so samples are stored under fixed indices and
 * a resumed or repeated job can never store one twice.
 */
import type { GeneSampleStats } from '../../db/store';

export interface ProbeRequestPlan {
  gene: number;
  /** index of the first sample this request produces */
  offset: number;
  n: number;
}

export function planRequests(
  geneCount: number,
  stored: ReadonlyMap<number, GeneSampleStats>,
  samplesPerGene: number,
  maxPerRequest: number,
): ProbeRequestPlan[] {
  const plan: ProbeRequestPlan[] = [];
  const step = Math.max(1, Math.floor(maxPerRequest));
  for (let gene = 0; gene < geneCount; gene++) {
    const { count, nextIndex } = stored.get(gene) ?? { count: 0, nextIndex: 0 };
    for (let missing = samplesPerGene - count, offset = nextIndex; missing > 0;) {
      const n = Math.min(step, missing);
      plan.push({ gene, offset, n });
      offset += n;
      missing -= n;
    }
  }
  return plan;
}

/** Samples already counted toward a job of N per gene (extra samples beyond N do not count). */
export function alreadyDone(
  geneCount: number,
  stored: ReadonlyMap<number, GeneSampleStats>,
  samplesPerGene: number,
): number {
  let done = 0;
  for (let gene = 0; gene < geneCount; gene++) done += Math.min(samplesPerGene, stored.get(gene)?.count ?? 0);
  return done;
}

/**
 * A population after an append, as every store writes it: its revision is the id of the newest
 * sample counted (so it changes exactly when the population does), its counts are what the
 * caller's `updatePopulation` makes of the samples actually inserted, in input order.
 */
import type { AppendSamplesInput, PopulationState } from './store';

export function grownPopulation(
  input: Pick<AppendSamplesInput, 'modelId' | 'genomeId' | 'updatePopulation'>,
  previous: PopulationState | null,
  inserted: readonly { id: number; gene: number; text: string }[],
): PopulationState {
  const updated = input.updatePopulation(
    previous,
    inserted.map(({ gene, text }) => ({ gene, text })),
  );
  return {
    modelId: input.modelId,
    genomeId: input.genomeId,
    revision: inserted.reduce((m, r) => Math.max(m, r.id), previous?.revision ?? 0),
    sampleCount: (previous?.sampleCount ?? 0) + inserted.length,
    alleleLength: updated.alleleLength,
    counts: updated.counts,
  };
}

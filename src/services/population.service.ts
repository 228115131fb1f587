/**
 * Populations: the allele counts of one model on one genome (method.md, "population"). They are
 * maintained on write, in the same transaction as the samples, so reading them never needs the
 * raw samples; parsed copies are kept in memory keyed by their revision, which changes exactly
 * when new samples arrive.
 */
import { addCounts, type AlleleCounts } from '../core/genetics/population';
import type { PopulationRevision, PopulationState, Store } from '../db/store';
import { LruCache } from './lru-cache';

/** The reference allele length (method.md: the first 4 characters). */
export const ALLELE_LENGTH = 4;

export interface LoadedPopulation {
  modelId: number;
  revision: number;
  sampleCount: number;
  counts: AlleleCounts;
}

export class PopulationService {
  // Keyed by model, genome and revision: an entry can never be stale, only unused.
  private readonly parsed = new LruCache<AlleleCounts>(20_000);

  constructor(private readonly store: Store) {}

  /** Serialized counts after adding `inserted` to `previous`; used inside the sample transaction. */
  static update(
    geneCount: number,
    previous: PopulationState | null,
    inserted: readonly { gene: number; text: string }[],
  ): { counts: string; alleleLength: number } {
    const counts: AlleleCounts = previous
      ? (JSON.parse(previous.counts) as AlleleCounts)
      : new Array<null>(geneCount).fill(null);
    addCounts(counts, inserted, ALLELE_LENGTH);
    return { counts: JSON.stringify(counts), alleleLength: ALLELE_LENGTH };
  }

  revisions(genomeId: number, modelIds?: readonly number[]): Promise<PopulationRevision[]> {
    return this.store.populationRevisions(genomeId, modelIds);
  }

  /**
   * Loads the populations of the given models, parsing only those not already in memory. The
   * revisions returned are the ones actually read, which a concurrent write may have moved past
   * `wanted`; callers fingerprint results with the returned revisions.
   */
  async load(genomeId: number, wanted: readonly PopulationRevision[]): Promise<LoadedPopulation[]> {
    const key = (modelId: number, revision: number) => `${genomeId}:${modelId}:${revision}`;
    const loaded = new Map<number, LoadedPopulation>();
    const missing: number[] = [];
    for (const r of wanted) {
      const counts = this.parsed.get(key(r.modelId, r.revision));
      if (counts) loaded.set(r.modelId, { ...r, counts });
      else missing.push(r.modelId);
    }
    if (missing.length > 0) {
      for (const state of await this.store.getPopulations(genomeId, missing)) {
        const counts = JSON.parse(state.counts) as AlleleCounts;
        this.parsed.set(key(state.modelId, state.revision), counts);
        loaded.set(state.modelId, {
          modelId: state.modelId,
          revision: state.revision,
          sampleCount: state.sampleCount,
          counts,
        });
      }
    }
    return wanted.map((r) => {
      const population = loaded.get(r.modelId);
      if (!population) throw new Error(`model ${r.modelId} has no population on genome ${genomeId}`);
      return population;
    });
  }
}

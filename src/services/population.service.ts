/**
 * Populations: the allele counts of one model on one genome (method.md, "population"). They are
 * maintained on write, in the same transaction as the samples, so reading them never needs the
 * raw samples; parsed copies are kept in memory keyed by their revision, which changes exactly
 * when new samples arrive.
 */
import { addCounts, countAlleles, type AlleleCounts } from '../core/genetics/population';
import { AlleleInterner, preparePopulation, type PreparedPopulation } from '../core/genetics/prepared-population';
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
  // One entry per (genome, model), holding the newest revision read or written; a lookup for
  // another revision misses. Bounded by an estimate of the bytes the parsed objects hold.
  private readonly parsed = new LruCache<{
    revision: number;
    counts: AlleleCounts;
    bytes: number;
    prepared?: PreparedPopulation;
  }>(512 * 1024 * 1024, (entry) => entry.bytes);

  private readonly interners = new Map<number, AlleleInterner>();
  /** populations under other allele lengths, by genome, model, revision and length */
  private readonly otherLengths = new LruCache<AlleleCounts>(20_000);

  constructor(private readonly store: Store) {}

  /**
   * Populations under another allele length than the stored one (the 4 of the reference is a
   * choice; researchers test others). Counted from the raw samples, which is why samples are
   * kept in full, and kept in memory by revision.
   */
  async loadWithLength(
    genome: { id: number; geneCount: number },
    wanted: readonly PopulationRevision[],
    alleleLength: number,
  ): Promise<LoadedPopulation[]> {
    if (alleleLength === ALLELE_LENGTH) return this.load(genome.id, wanted);
    return Promise.all(
      wanted.map(async (r) => {
        const key = `${genome.id}:${r.modelId}:${r.revision}:${alleleLength}`;
        let counts = this.otherLengths.get(key);
        if (!counts) {
          counts = countAlleles(genome.geneCount, await this.store.sampleTexts(r.modelId, genome.id), alleleLength);
          this.otherLengths.set(key, counts);
        }
        return { ...r, counts };
      }),
    );
  }

  /**
   * The counts after adding `inserted` to `previous` (a copy: the cached object is never
   * mutated, in case the transaction that asked rolls back). The previous counts come from
   * memory when that revision is there, so a model probed batch after batch is not re-parsed.
   */
  next(
    genome: { id: number; geneCount: number },
    previous: PopulationState | null,
    inserted: readonly { gene: number; text: string }[],
  ): AlleleCounts {
    const cached = previous ? this.cached(genome.id, previous.modelId, previous.revision) : undefined;
    const counts: AlleleCounts = previous
      ? cached
        ? structuredClone(cached)
        : (JSON.parse(previous.counts) as AlleleCounts)
      : new Array<null>(genome.geneCount).fill(null);
    addCounts(counts, inserted, ALLELE_LENGTH);
    return counts;
  }

  /**
   * Keeps freshly written or read counts in memory under their revision, with their prepared
   * form (built now, while the population is at hand: a new model's first matrix then costs
   * merge joins only).
   */
  remember(state: PopulationState, counts: AlleleCounts, prepare = true): void {
    const prepared = prepare ? preparePopulation(counts, this.internerOf(state.genomeId)) : undefined;
    // Parsed objects take several times their JSON size; 4x is a fair estimate for the bound.
    const bytes = 6 * state.counts.length;
    this.parsed.set(`${state.genomeId}:${state.modelId}`, { revision: state.revision, counts, bytes, prepared });
  }

  private internerOf(genomeId: number): AlleleInterner {
    let interner = this.interners.get(genomeId);
    if (!interner) {
      interner = new AlleleInterner();
      this.interners.set(genomeId, interner);
    }
    return interner;
  }

  /**
   * The populations in flat, interned form (for computing a few new pairs against many), built
   * once per revision and kept beside the parsed counts. Alleles are interned per genome.
   */
  prepared(genomeId: number, populations: readonly LoadedPopulation[]): PreparedPopulation[] {
    const interner = this.internerOf(genomeId);
    return populations.map((p) => {
      const entry = this.parsed.get(`${genomeId}:${p.modelId}`);
      if (entry?.revision !== p.revision) return preparePopulation(p.counts, interner);
      return (entry.prepared ??= preparePopulation(p.counts, interner));
    });
  }

  private cached(genomeId: number, modelId: number, revision: number): AlleleCounts | undefined {
    const entry = this.parsed.get(`${genomeId}:${modelId}`);
    return entry?.revision === revision ? entry.counts : undefined;
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
    const loaded = new Map<number, LoadedPopulation>();
    const missing: number[] = [];
    for (const r of wanted) {
      const counts = this.cached(genomeId, r.modelId, r.revision);
      if (counts) loaded.set(r.modelId, { ...r, counts });
      else missing.push(r.modelId);
    }
    if (missing.length > 0) {
      for (const state of await this.store.getPopulations(genomeId, missing)) {
        const counts = JSON.parse(state.counts) as AlleleCounts;
        // Read in bulk for a matrix: prepare later, only if a few new pairs need it.
        this.remember(state, counts, false);
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

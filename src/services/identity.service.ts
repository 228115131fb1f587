/**
 * Identity and relatedness (issue 12): "is endpoint X serving model Y?", "is A derived from B?".
 * `compare` answers Nei's D between two models on a genome with a bootstrap interval over genes
 * and the p-value of a stratified permutation test of "a and b sample from the same
 * distribution" (src/core/identity); `identify` ranks candidate models by D to one model.
 *
 * Each pair is computed once per pair of population revisions, on the compute pool, and cached
 * like every other derived result (ComputationCache): the key holds both models' revisions, so a
 * new sample of either gives a new key. The pair is taken in id order, so (a, b) and (b, a) share
 * one computation and one answer.
 */
import type { Comparison } from '../core/identity/compare';
import type { GenomeRow, ModelRow, PopulationRevision, Store } from '../db/store';
import { jsonCodec } from './codecs';
import { ComputationCache } from './computation-cache';
import type { Compute } from './compute';
import { badInput } from './errors';
import { fingerprint } from './fingerprint';
import type { GenomeService } from './genome.service';
import type { ModelService } from './model.service';
import { ALLELE_LENGTH, type PopulationService } from './population.service';
import type { WriteBehind } from './write-behind';

/** Seed of the permutations and bootstrap draws: a fixed one, so an answer is reproducible. */
export const IDENTITY_SEED = 1;

export type { GenomeRow, ModelRow };

export interface ComparisonView extends Comparison {
  a: ModelRow;
  b: ModelRow;
}

export interface IdentificationView {
  model: ModelRow;
  distance: number | null;
  pValue: number | null;
  sharedGenes: number;
}

export class IdentityService {
  private readonly cache: ComputationCache<Comparison>;

  constructor(
    store: Store,
    private readonly populations: PopulationService,
    private readonly models: ModelService,
    private readonly genomes: GenomeService,
    writes: WriteBehind,
    private readonly compute: Compute,
  ) {
    this.cache = new ComputationCache(store, 'comparison/v1', jsonCodec<Comparison>(), writes, 16 * 1024 * 1024);
  }

  async compare(request: { a: string; b: string; genome: string }): Promise<ComparisonView> {
    const genome = await this.genomes.get(request.genome);
    const [a, b] = await Promise.all([this.models.get(request.a), this.models.get(request.b)]);
    if (a.id === b.id) throw badInput(`a and b name the same model "${a.name}"`);
    const revisions = await this.revisionsOf(genome, [a, b]);
    return { a, b, ...(await this.pair(genome, revisions.get(a.id)!, revisions.get(b.id)!)) };
  }

  /** Candidates (default: every other model with samples on the genome) ranked by D, nearest first. */
  async identify(request: {
    model: string;
    genome: string;
    candidates?: readonly string[] | null;
  }): Promise<IdentificationView[]> {
    const genome = await this.genomes.get(request.genome);
    const model = await this.models.get(request.model);
    const listed = await this.models.selected(request.candidates);
    const candidates = (listed ?? (await this.withSamples(genome))).filter((c) => c.id !== model.id);
    const revisions = await this.revisionsOf(genome, [model, ...candidates]);
    const found = await Promise.all(
      candidates.map(async (candidate) => {
        const c = await this.pair(genome, revisions.get(model.id)!, revisions.get(candidate.id)!);
        return { model: candidate, distance: c.distance, pValue: c.pValue, sharedGenes: c.sharedGenes };
      }),
    );
    // nearest first; a pair without shared genes has no distance and goes last
    return found.sort((x, y) => (x.distance ?? Infinity) - (y.distance ?? Infinity) || x.model.id - y.model.id);
  }

  /** The comparison of two populations at these revisions, from the cache or the compute pool. */
  async pair(genome: GenomeRow, one: PopulationRevision, other: PopulationRevision): Promise<Comparison> {
    const [first, second] = one.modelId < other.modelId ? [one, other] : [other, one];
    const key = fingerprint(
      'comparison/v1',
      genome.id,
      genome.fingerprint,
      ALLELE_LENGTH,
      IDENTITY_SEED,
      first.modelId,
      first.revision,
      second.modelId,
      second.revision,
    );
    return this.cache.getOrCompute(key, async () => {
      const [a, b] = await this.populations.textsOf(genome, [first, second], ALLELE_LENGTH);
      const value = await this.compute.run('compare', { a: a.json, b: b.json, seed: IDENTITY_SEED });
      const dependencies = [
        [a.modelId, a.revision],
        [b.modelId, b.revision],
      ] as const;
      return { genomeId: genome.id, dependencies, value, current: new Map(dependencies), keep: 1024 };
    });
  }

  /** Each model's population revision; a model without samples on the genome is refused by name. */
  private async revisionsOf(genome: GenomeRow, models: readonly ModelRow[]): Promise<Map<number, PopulationRevision>> {
    const found = new Map(
      (
        await this.populations.revisions(
          genome.id,
          models.map((m) => m.id),
        )
      )
        .filter((r) => r.sampleCount > 0)
        .map((r) => [r.modelId, r]),
    );
    for (const model of models) {
      if (!found.has(model.id)) throw badInput(`model "${model.name}" has no samples on genome "${genome.name}"`);
    }
    return found;
  }

  private async withSamples(genome: GenomeRow): Promise<ModelRow[]> {
    const revisions = await this.populations.revisions(genome.id);
    const found = await this.models.byIds(revisions.filter((r) => r.sampleCount > 0).map((r) => r.modelId));
    return found.filter((m): m is ModelRow => !(m instanceof Error));
  }
}

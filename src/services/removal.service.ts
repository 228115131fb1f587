/**
 * Deleting a model or a genome with everything that depends on it. Running probing jobs are
 * stopped first, so nothing writes for a deleted row; cached results that included it are never
 * asked for again (their keys name it) and age out of the cache.
 */
import type { GenomeRow, ModelRow, Store } from '../db/store';
import type { GenomeService } from './genome.service';
import type { ModelService } from './model.service';
import type { JobService } from './probing/job.service';

export class RemovalService {
  constructor(
    private readonly store: Store,
    private readonly models: ModelService,
    private readonly genomes: GenomeService,
    private readonly jobs: JobService,
  ) {}

  /** Deletes the model, its samples, populations, scores and jobs; returns what was deleted. */
  async removeModel(id: string): Promise<ModelRow> {
    const model = await this.models.get(id);
    await this.jobs.stopFor({ modelId: model.id });
    await this.store.deleteModel(model.id);
    return model;
  }

  /** Deletes the genome, its genes, every sample on it, its jobs and cached results. */
  async removeGenome(id: string): Promise<GenomeRow> {
    const genome = await this.genomes.get(id);
    await this.jobs.stopFor({ genomeId: genome.id });
    await this.store.deleteGenome(genome.id);
    return genome;
  }
}

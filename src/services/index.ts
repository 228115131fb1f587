/**
 * The composition root of the business layer: builds every service over one store. The GraphQL
 * layer, the CLI and the tests all get their services from here.
 */
import type { Store } from '../db/store';
import type { Logger } from '../logger';
import { DistanceService } from './distance.service';
import { GenomeService } from './genome.service';
import { ModelService } from './model.service';
import { PopulationService } from './population.service';
import { SampleService } from './sample.service';
import { ScoreService } from './score.service';
import { TreeService } from './tree.service';
import { WriteBehind } from './write-behind';

export interface ServiceOptions {
  logger?: Logger;
  /** Provider ids a registered model may name (besides `external`). */
  providerIds?: () => readonly string[];
}

export function createServices(store: Store, options: ServiceOptions = {}) {
  const writes = new WriteBehind(options.logger);
  const models = new ModelService(store, options.providerIds ?? (() => []));
  const genomes = new GenomeService(store);
  const populations = new PopulationService(store);
  const samples = new SampleService(store, populations);
  const distances = new DistanceService(store, populations, writes);
  const modelNames = async (ids: readonly number[]) => {
    const byId = new Map((await store.getModels(ids)).map((m) => [m.id, m.name]));
    return ids.map((id) => byId.get(id) ?? String(id));
  };
  const trees = new TreeService(store, distances, modelNames, writes);
  const scores = new ScoreService(store, models);
  return { store, writes, models, genomes, populations, samples, distances, trees, scores };
}

export type Services = ReturnType<typeof createServices>;

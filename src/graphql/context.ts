/**
 * Per-request context. Loaders are created anew for every request (DataLoader's own advice), so
 * batching never serves one request's data to another.
 */
import DataLoader from 'dataloader';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { Genome } from './genome/genome.type';
import type { Model, Score } from './model/model.type';

export interface Context {
  services: Services;
  /** the request's Authorization header, checked for mutations by the admin-token plugin */
  authorization?: string;
  logger?: Logger;
  loaders: {
    model: DataLoader<number, Model>;
    genome: DataLoader<number, Genome>;
    scores: DataLoader<number, Score[]>;
  };
}

export function createContext(services: Services, authorization?: string, logger?: Logger): Context {
  return {
    services,
    authorization,
    logger,
    loaders: {
      model: new DataLoader((ids) => services.models.byIds(ids)),
      genome: new DataLoader((ids) => services.genomes.byIds(ids)),
      scores: new DataLoader((ids) => services.scores.byModels(ids)),
    },
  };
}

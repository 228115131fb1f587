/**
 * Per-request context. Loaders are created anew for every request (DataLoader's own advice), so
 * batching never serves one request's data to another.
 */
import DataLoader from 'dataloader';
import type { ModelRow, ScoreRow } from '../db/store';
import type { Logger } from '../logger';
import type { Services } from '../services';

export interface Context {
  services: Services;
  /** the request's Authorization header, checked for mutations by the admin-token plugin */
  authorization?: string;
  logger?: Logger;
  loaders: {
    model: DataLoader<number, ModelRow | null>;
    scores: DataLoader<number, ScoreRow[]>;
  };
}

export function createContext(services: Services, authorization?: string, logger?: Logger): Context {
  return {
    services,
    authorization,
    logger,
    loaders: {
      model: new DataLoader(async (ids) => {
        const byId = new Map((await services.store.getModels(ids)).map((m) => [m.id, m]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
      scores: new DataLoader(async (ids) => {
        const rows = await services.scores.of(ids);
        return ids.map((id) => rows.filter((r) => r.modelId === id));
      }),
    },
  };
}

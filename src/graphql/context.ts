/**
 * Per-request context. Loaders are created anew for every request (DataLoader's own advice), so
 * batching never serves one request's data to another.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { DistanceMatrixView } from '../services/distance.service';
import type { Genome } from './genome/genome.type';
import type { Model, Score } from './model/model.type';

export interface Context {
  services: Services;
  /**
   * `Bearer <token>` as the client sent it: the HTTP Authorization header, or for graphql-ws the
   * connection's params or upgrade header (src/server/admin-token.ts); checked by the gate
   */
  authorization?: string;
  logger?: Logger;
  /**
   * Told each distance matrix the operation resolves: the export routes stream a matrix file from
   * the very matrix their query computed (src/server/matrix-stream.ts), without asking twice.
   */
  onMatrix?: (view: DistanceMatrixView) => void;
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

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * True when `authorization` is `Bearer <token>`. Compared in constant time (over SHA-256
 * digests, so lengths do not leak either) so the token cannot be guessed byte by byte from
 * response timings.
 */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1].trim()), digest(token));
}

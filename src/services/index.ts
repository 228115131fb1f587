/**
 * The composition root of the business layer: builds every service over one store. The GraphQL
 * layer, the CLI and the tests all get their services from here.
 */
import { GenomeDesignService } from './genome-design.service';
import type { Store } from '../db/store';
import type { ChangeFeed } from './change-feed';
import type { Logger } from '../logger';
import { createProviderRegistry, type ProviderRegistry } from '../providers/registry';
import { inlineCompute, observed, type Compute } from './compute';
import { DistanceService } from './distance.service';
import { DriftService, type DriftOptions } from './drift/drift.service';
import { EvidenceService } from './evidence.service';
import { GenomeService } from './genome.service';
import { IdentityService } from './identity.service';
import { ModelService } from './model.service';
import { PopulationService } from './population.service';
import { JobService, type ProbingOptions } from './probing/job.service';
import { PredictionService } from './prediction.service';
import { ProviderService } from './provider.service';
import { SampleService } from './sample.service';
import { ScoreImportService } from './score-import';
import { RemovalService } from './removal.service';
import { ScoreService } from './score.service';
import { TreeService } from './tree.service';
import type { Telemetry } from './telemetry';
import { ComputeClaims, type ComputeClaimsOptions } from './compute-claims';
import { WriteBehind } from './write-behind';

export interface ServiceOptions {
  logger?: Logger;
  /**
   * the providers models may name (built by the caller, e.g. `src/app.ts` from `plugins/`);
   * default none, so this layer never picks plugins itself
   */
  registry?: ProviderRegistry;
  probing?: Omit<ProbingOptions, 'registry' | 'logger' | 'telemetry' | 'feed'>;
  /** what the services report for /metrics (src/services/telemetry.ts); default nothing */
  telemetry?: Telemetry;
  /**
   * where heavy computations run: the worker pool `src/app.ts` builds (src/compute/pool.ts);
   * default inline on this thread (unit tests, PHYLOLM_WORKERS=0)
   */
  compute?: Compute;
  /** drift schedules: the webhook for alerts (PHYLOLM_WEBHOOK_URL, PHYLOLM_WEBHOOK_SECRET) and the tick */
  drift?: Omit<DriftOptions, 'logger'>;
  /**
   * Several processes on one database (PostgreSQL): how they tell each other about job changes
   * (src/queue/pg-change-feed.ts); default none (one process, or processes polling SQLite).
   */
  feed?: ChangeFeed;
  /**
   * Processes sharing one database compute a cold result once (src/services/compute-claims.ts):
   * the server always passes this; without it (unit tests), single flight within the process only.
   */
  computeClaims?: ComputeClaimsOptions;
  /**
   * One distance matrix larger than the matrices' 256 MB memory cache is kept in memory too, up
   * to this many bytes (`PHYLOLM_LARGEST_MATRIX_BYTES`; lru-cache.ts); default 0, none.
   */
  largestMatrixBytes?: number;
}

export function createServices(store: Store, options: ServiceOptions = {}) {
  const writes = new WriteBehind(options.logger);
  const claims = options.computeClaims ? new ComputeClaims(store, options.computeClaims) : undefined;
  const registry = options.registry ?? createProviderRegistry([]);
  const compute = observed(options.compute ?? inlineCompute(), options.telemetry);
  const genomes = new GenomeService(store);
  const models = new ModelService(store, () => registry.list().map((p) => p.id), genomes);
  const populations = new PopulationService(store, compute);
  const samples = new SampleService(store, populations, models, genomes);
  const evidence = new EvidenceService(populations, compute);
  const distances = new DistanceService(
    store,
    populations,
    writes,
    models,
    genomes,
    compute,
    evidence,
    claims,
    options.largestMatrixBytes,
  );
  const trees = new TreeService(store, distances, populations, models, genomes, writes, compute, evidence, claims);
  const identity = new IdentityService(store, populations, models, genomes, writes, compute);
  const scores = new ScoreService(store, models);
  const scoreImports = new ScoreImportService(store, models);
  const predictions = new PredictionService(store, models, genomes, distances, writes, compute, evidence, populations);
  const providers = new ProviderService(registry, options.logger);
  const jobs = new JobService(store, samples, populations, {
    ...options.probing,
    registry,
    logger: options.logger,
    telemetry: options.telemetry,
    feed: options.feed,
  });
  const removal = new RemovalService(store, models, genomes, jobs);
  const genomeDesign = new GenomeDesignService(store, genomes, models, populations);
  const drift = new DriftService(store, models, genomes, jobs, compute, { ...options.drift, logger: options.logger });
  return {
    /** the data revision every write to user data bumps (what the response cache keys on) */
    dataRevision: () => store.dataRevision(),
    /** whether the storage can serve reads and writes now (what `/healthz` reports) */
    health: () => store.health(),
    removal,
    store,
    compute,
    writes,
    registry,
    providers,
    jobs,
    models,
    genomes,
    genomeDesign,
    populations,
    samples,
    evidence,
    distances,
    trees,
    identity,
    drift,
    scores,
    scoreImports,
    predictions,
  };
}

export type Services = ReturnType<typeof createServices>;

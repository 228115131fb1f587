/**
 * Wires the application: database, store, provider plugins, services and HTTP server. `main.ts` calls it with the
 * environment's configuration; end-to-end tests call it with their own.
 */
import type { Config } from './config';
import { openStore, type OpenedDatabase } from './db/open-store';
import { startDemo } from './demo';
import { createLogger, type Logger } from './logger';
import { createProviderRegistry } from './providers/registry';
import { providersFromConfig } from '../plugins';
import { createServices, type Services } from './services';
import { inlineCompute } from './services/compute';
import { createWorkerPool } from './compute/pool';
import { startHttpServer, type RunningServer } from './server/http-server';
import { Metrics } from './server/metrics';
import { webFolder } from './paths';
import { startScaleOut } from './queue';

export interface App {
  services: Services;
  /** the engine behind the store: SQLite's connection (tests simulate storage faults on it) or PostgreSQL's pool */
  database: OpenedDatabase;
  server: RunningServer;
  logger: Logger;
  close(): Promise<void>;
}

export async function startApp(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<App> {
  const opened = await openStore(config);
  const { store, database } = opened;
  const registry = createProviderRegistry(providersFromConfig(config.providers));
  // built before the services so that they can report to it (src/services/telemetry.ts)
  const metrics = new Metrics();
  const compute = config.workers > 0 ? createWorkerPool(config.workers) : inlineCompute();
  const takesJobs = config.role !== 'api';
  // On PostgreSQL, processes share a job queue, a change feed and the providers' limits (src/queue).
  const scaleOut = config.postgresUrl
    ? await startScaleOut({
        url: config.postgresUrl,
        leaseMs: config.jobLeaseMs,
        jobsAtOnce: config.workerJobs,
        perProcess: config.workerConcurrency,
        logger,
      })
    : undefined;
  const services = createServices(store, {
    logger,
    telemetry: metrics.telemetry,
    registry,
    compute,
    feed: scaleOut?.feed,
    computeClaims: { claimMs: config.computeClaimMs },
    largestMatrixBytes: config.largestMatrixBytes,
    probing: {
      concurrency: config.probeConcurrency,
      retry: { maxAttempts: config.probeMaxAttempts, baseDelayMs: config.probeRetryBaseMs },
      leaseMs: config.jobLeaseMs,
      batchPollMs: config.probeBatchPollMs,
      storeRetry: config.probeStoreRetry,
      queue: scaleOut?.queue,
      limiters: scaleOut?.limiters.factory,
      takesJobs,
    },
    drift: { webhook: config.webhookUrl ? { url: config.webhookUrl, secret: config.webhookSecret } : undefined },
  });
  const server = await startHttpServer({
    services,
    logger,
    port: config.port,
    host: config.host,
    adminToken: config.adminToken,
    maxBodyBytes: config.maxBodyBytes,
    responseCacheBytes: config.responseCacheBytes,
    limits: config.queryLimits,
    corsOrigins: config.corsOrigins,
    graphql: config.role !== 'worker',
    maxInflight: config.maxInflight,
    maxQueue: config.maxQueue,
    maxConnections: config.maxConnections,
    listenBacklog: config.listenBacklog,
    metrics,
    webRoot: webFolder,
  });
  if (takesJobs) {
    const resumed = await services.jobs.resume();
    if (resumed > 0) logger.log('info', 'resumed probing jobs', { jobs: resumed });
    services.jobs.startPolling();
    // schedules start probing rounds: where jobs are taken (one loop per process taking jobs)
    services.drift.start();
  }
  if (config.demo && config.role === 'all') await startDemo(services, logger);
  // Said last: from here on nothing at start-up holds the event loop, so /healthz answers
  // (probing runs paced in the background and computations in the worker pool).
  logger.log('info', 'PhyloLM server ready', {
    url: server.url,
    role: config.role,
    db: opened.location,
    workers: compute.workers,
  });
  return {
    services,
    database,
    server,
    logger,
    async close() {
      await services.drift.stop();
      await services.jobs.shutdown();
      await server.stop();
      await services.writes.flush();
      await compute.close();
      await scaleOut?.close();
      await opened.close();
    },
  };
}

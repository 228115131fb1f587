/**
 * Wires the application: database, store, provider plugins, services and HTTP server. `main.ts` calls it with the
 * environment's configuration; end-to-end tests call it with their own.
 */
import type { Config } from './config';
import { openDatabase, type DatabaseHandle } from './db/client';
import { resilientStore } from './db/resilient-store';
import { SqliteStore } from './db/sqlite-store';
import { startDemo } from './demo';
import { createLogger, type Logger } from './logger';
import { createProviderRegistry } from './providers/registry';
import { providersFromConfig } from '../plugins';
import { createServices, type Services } from './services';
import { inlineCompute } from './services/compute';
import { createWorkerPool } from './compute/pool';
import { startHttpServer, type RunningServer } from './server/http-server';
import { Metrics } from './server/metrics';
import { isPostgresUrl, startScaleOut } from './queue';

export interface App {
  services: Services;
  /** the SQLite connection (tests use it to simulate storage faults) */
  database: DatabaseHandle;
  server: RunningServer;
  logger: Logger;
  close(): Promise<void>;
}

export async function startApp(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<App> {
  const database = openDatabase(config.dbPath);
  const sqliteStore = new SqliteStore(database);
  // retries while another process holds the lock; storage faults become StorageError
  const store = resilientStore(sqliteStore, sqliteStore.faults);
  const registry = createProviderRegistry(providersFromConfig(config.providers));
  // built before the services so that they can report to it (src/services/telemetry.ts)
  const metrics = new Metrics();
  const compute = config.workers > 0 ? createWorkerPool(config.workers) : inlineCompute();
  const takesJobs = config.role !== 'api';
  // On PostgreSQL, processes share a job queue, a change feed and the providers' limits (src/queue).
  const scaleOut = isPostgresUrl(config.dbPath)
    ? await startScaleOut({
        url: config.dbPath,
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
    probing: {
      concurrency: config.probeConcurrency,
      retry: { maxAttempts: config.probeMaxAttempts, baseDelayMs: config.probeRetryBaseMs },
      leaseMs: config.jobLeaseMs,
      storeRetry: config.probeStoreRetry,
      queue: scaleOut?.queue,
      limiters: scaleOut?.limiters.factory,
      takesJobs,
    },
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
    metrics,
  });
  if (takesJobs) {
    const resumed = await services.jobs.resume();
    if (resumed > 0) logger.log('info', 'resumed probing jobs', { jobs: resumed });
    services.jobs.startPolling();
  }
  if (config.demo && config.role === 'all') await startDemo(services, logger);
  // Said last: from here on nothing at start-up holds the event loop, so /healthz answers
  // (probing runs paced in the background and computations in the worker pool).
  logger.log('info', 'PhyloLM server ready', {
    url: server.url,
    role: config.role,
    db: scaleOut ? 'postgresql' : config.dbPath,
    workers: compute.workers,
  });
  return {
    services,
    database,
    server,
    logger,
    async close() {
      await services.jobs.shutdown();
      await server.stop();
      await services.writes.flush();
      await compute.close();
      await scaleOut?.close();
      database.close();
    },
  };
}

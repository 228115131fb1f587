/**
 * Configuration from the environment (docs/contract.md, "Running it"). Bad values stop start-up with a
 * message naming the variable, rather than running with a surprise.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { providerConfigFromEnv, type ProvidersConfig } from '../plugins';
import { isPostgresUrl } from './db/postgres-client';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './graphql/validation/limits';

/** What this process does (README, "Roles"): everything, or only the API, or only probing jobs. */
export type Role = 'all' | 'api' | 'worker';

export interface Config {
  /** `all` (API, jobs and demo), `api` (GraphQL; enqueues, never probes), `worker` (takes jobs; /healthz and /metrics only) */
  role: Role;
  port: number;
  host: string;
  /** the SQLite file (or `:memory:`); not used when `postgresUrl` is set */
  dbPath: string;
  /** `PHYLOLM_DB=postgres://…`: the store is on this PostgreSQL database instead of SQLite */
  postgresUrl?: string;
  /** PostgreSQL connections at most in this process (`PHYLOLM_PG_POOL_SIZE`) */
  pgPoolSize: number;
  adminToken?: string;
  demo: boolean;
  maxBodyBytes: number;
  responseCacheBytes: number;
  /** one distance matrix over the matrices' 256 MB memory cache kept in memory too, up to this size */
  largestMatrixBytes: number;
  /** what one GraphQL operation may ask, on every transport (README, "Security") */
  queryLimits: QueryLimits;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** provider credentials and endpoints (contract: OPENAI_*, ANTHROPIC_*; README: the rest) */
  providers: ProvidersConfig;
  /** requests in flight per provider, replacing each plugin's default */
  probeConcurrency?: number;
  /** attempts per provider request (the first included) and the backoff base */
  probeMaxAttempts: number;
  probeRetryBaseMs: number;
  /** time between two status polls of a provider batch (startProbing batch: true) */
  probeBatchPollMs: number;
  /** how long a process's claim on a job holds without renewal (other processes take over after) */
  jobLeaseMs: number;
  /** how long a process's claim on a cold computation holds others off (compute-claims.ts) */
  computeClaimMs: number;
  /** on PostgreSQL: probing jobs one process runs at once */
  workerJobs: number;
  /** on PostgreSQL: provider requests in flight in this process at most, under each provider's global limit */
  workerConcurrency?: number;
  /** storing a paid answer the database refuses: retries, then kept in memory (tests shorten it) */
  probeStoreRetry?: { attempts: number; baseDelayMs: number; keptRetryMs: number };
  /** origins a browser page may call from (CORS); `*` any; empty: none (README, "Browsers") */
  corsOrigins: readonly string[];
  /** GraphQL requests answered at once, and waiting behind them, before a 503 (README, "Load") */
  maxInflight: number;
  maxQueue: number;
  /** open sockets at most (node:http `maxConnections`) */
  maxConnections: number;
  /** connections waiting to be accepted (the listen backlog; the kernel caps it at somaxconn) */
  listenBacklog: number;
  /**
   * worker threads for heavy computations (matrices, trees, bootstrap, predictions); 0 computes
   * on the main thread (simpler to debug, but `/healthz` then waits behind every computation)
   */
  workers: number;
  /** drift alerts are POSTed here, signed with `webhookSecret` (README, "Drift") */
  webhookUrl?: string;
  webhookSecret?: string;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const demo = env.PHYLOLM_DEMO ?? '1';
  if (demo !== '0' && demo !== '1') throw new Error(`PHYLOLM_DEMO must be 0 or 1, got "${demo}"`);
  const logLevel = env.PHYLOLM_LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new Error(`PHYLOLM_LOG_LEVEL must be one of debug, info, warn, error, silent; got "${logLevel}"`);
  }
  const db = env.PHYLOLM_DB ?? join(cwd, 'data', 'phylolm.db');
  const postgresUrl = isPostgresUrl(db) ? db : undefined;
  const dbPath = postgresUrl ? join(cwd, 'data', 'phylolm.db') : db;
  const role = env.PHYLOLM_ROLE || 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') {
    throw new Error(`PHYLOLM_ROLE must be one of all, api, worker; got "${role}"`);
  }
  return {
    role,
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dbPath: dbPath === ':memory:' ? dbPath : resolve(cwd, dbPath),
    postgresUrl,
    pgPoolSize: integer(env, 'PHYLOLM_PG_POOL_SIZE', 10, 1, 1000),
    adminToken: env.PHYLOLM_ADMIN_TOKEN || undefined,
    demo: demo === '1',
    maxBodyBytes: integer(env, 'PHYLOLM_MAX_BODY_BYTES', 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    responseCacheBytes: integer(env, 'PHYLOLM_RESPONSE_CACHE_BYTES', 256 * 1024 * 1024, 0, 16 * 1024 * 1024 * 1024),
    largestMatrixBytes: integer(env, 'PHYLOLM_LARGEST_MATRIX_BYTES', 1024 * 1024 * 1024, 0, 64 * 1024 * 1024 * 1024),
    queryLimits: queryLimitsFromEnv(env),
    logLevel: logLevel as Config['logLevel'],
    providers: providerConfigFromEnv(env),
    probeConcurrency: env.PHYLOLM_PROBE_CONCURRENCY
      ? integer(env, 'PHYLOLM_PROBE_CONCURRENCY', 16, 1, 1024)
      : undefined,
    probeMaxAttempts: integer(env, 'PHYLOLM_PROBE_MAX_ATTEMPTS', 6, 1, 100),
    probeRetryBaseMs: integer(env, 'PHYLOLM_PROBE_RETRY_BASE_MS', 500, 0, 600_000),
    probeBatchPollMs: integer(env, 'PHYLOLM_BATCH_POLL_MS', 30_000, 10, 3_600_000),
    jobLeaseMs: integer(env, 'PHYLOLM_JOB_LEASE_MS', 30_000, 300, 3_600_000),
    computeClaimMs: integer(env, 'PHYLOLM_COMPUTE_CLAIM_MS', 120_000, 100, 3_600_000),
    workerJobs: integer(env, 'PHYLOLM_WORKER_JOBS', 4, 1, 1024),
    workerConcurrency: env.PHYLOLM_WORKER_CONCURRENCY
      ? integer(env, 'PHYLOLM_WORKER_CONCURRENCY', 16, 1, 1024)
      : undefined,
    corsOrigins: corsOriginsFromEnv(env.PHYLOLM_CORS_ORIGINS),
    maxInflight: integer(env, 'PHYLOLM_MAX_INFLIGHT', 256, 1, 100_000),
    maxQueue: integer(env, 'PHYLOLM_MAX_QUEUE', 1024, 0, 1_000_000),
    maxConnections: integer(env, 'PHYLOLM_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    listenBacklog: integer(env, 'PHYLOLM_LISTEN_BACKLOG', 4096, 1, 1_000_000),
    workers: integer(env, 'PHYLOLM_WORKERS', availableParallelism(), 0, 1024),
    webhookUrl: webhookUrlFromEnv(env.PHYLOLM_WEBHOOK_URL),
    webhookSecret: env.PHYLOLM_WEBHOOK_SECRET || undefined,
  };
}

/**
 * `https://a.example, http://localhost:5173` or `*`. Each origin must be what a browser sends in
 * its Origin header (scheme://host[:port], no path), so a typo fails start-up instead of silently
 * refusing every request.
 */
function corsOriginsFromEnv(raw: string | undefined): string[] {
  const origins = (raw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      throw new Error(
        `PHYLOLM_CORS_ORIGINS must list origins such as https://dash.example.org (scheme, host, port; no path or ` +
          `trailing slash) or *, got "${origin}"`,
      );
    }
  }
  return origins;
}

/** An http(s) URL, or undefined when unset; the value is not echoed back (it may carry a token). */
function webhookUrlFromEnv(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let protocol = '';
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new Error('PHYLOLM_WEBHOOK_URL must be an http:// or https:// URL');
  }
  return raw;
}

function queryLimitsFromEnv(env: NodeJS.ProcessEnv): QueryLimits {
  const d = DEFAULT_QUERY_LIMITS;
  return {
    maxDepth: integer(env, 'PHYLOLM_MAX_QUERY_DEPTH', d.maxDepth, 1, 1000),
    maxTokens: integer(env, 'PHYLOLM_MAX_TOKENS', d.maxTokens, 10, 10_000_000),
    maxAliases: integer(env, 'PHYLOLM_MAX_ALIASES', d.maxAliases, 0, 1_000_000),
    maxDirectives: integer(env, 'PHYLOLM_MAX_DIRECTIVES', d.maxDirectives, 0, 1_000_000),
    maxCost: integer(env, 'PHYLOLM_MAX_QUERY_COST', d.maxCost, 1, Number.MAX_SAFE_INTEGER),
    maxProviderCalls: integer(env, 'PHYLOLM_MAX_PROVIDER_CALLS', d.maxProviderCalls, 0, 1_000_000),
    maxJsonDepth: integer(env, 'PHYLOLM_MAX_JSON_DEPTH', d.maxJsonDepth, 4, 10_000),
  };
}

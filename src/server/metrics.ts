/**
 * `GET /metrics` in the Prometheus text exposition format (prom-client). One registry per
 * server, so several servers in one process (tests, benches) keep separate figures.
 *
 * HTTP figures are recorded by the HTTP front; the services report through the `Telemetry`
 * interface (src/services/telemetry.ts) that `telemetry` implements; jobs by status are read
 * from the store when scraped, so they hold across restarts and processes sharing a database.
 *
 * Label values must stay few (each is a time series): an operation name is a client's choice,
 * so only the first MAX_OPERATION_NAMES distinct well-formed names are kept, the rest count as
 * "other".
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Services } from '../services';
import type { Telemetry } from '../services/telemetry';

const MAX_OPERATION_NAMES = 200;
/** seconds: cached answers take ~1 ms, heavy trees tens of seconds */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface RequestFigures {
  operation: string | undefined;
  status: number;
  seconds: number;
  cache: 'hit' | 'miss' | undefined;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly requests = new Counter({
    name: 'phylolm_http_requests_total',
    help: 'HTTP requests to /graphql by operation name and status',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'phylolm_http_request_duration_seconds',
    help: 'Time from the request to the end of its answer, /graphql only',
    labelNames: ['operation'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: 'phylolm_response_cache_requests_total',
    help: 'Read-only GraphQL requests looked up in the response cache, by result (hit or miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: 'phylolm_http_rejected_total',
    help: 'Requests refused with 503 because the in-flight limit and its queue were full',
    registers: [this.registry],
  });
  private readonly computations = new Counter({
    name: 'phylolm_computations_total',
    help: 'Heavy computations finished, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly computationSeconds = new Histogram({
    name: 'phylolm_computation_duration_seconds',
    help: 'Time of each heavy computation, by kind',
    labelNames: ['kind'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly providerRequests = new Counter({
    name: 'phylolm_provider_requests_total',
    help: 'Provider requests of probing jobs, after retries, by provider and outcome',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly providerRetries = new Counter({
    name: 'phylolm_provider_retries_total',
    help: 'Provider requests tried again, by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly providerTokens = new Counter({
    name: 'phylolm_provider_tokens_total',
    help: 'Tokens the providers reported, by provider and kind (prompt or completion)',
    labelNames: ['provider', 'kind'] as const,
    registers: [this.registry],
  });

  /** The services' side (src/services/telemetry.ts). */
  readonly telemetry: Telemetry = {
    computation: (kind, seconds) => {
      this.computations.inc({ kind });
      this.computationSeconds.observe({ kind }, seconds);
    },
    providerRequest: (provider, outcome) => this.providerRequests.inc({ provider, outcome }),
    providerRetry: (provider) => this.providerRetries.inc({ provider }),
    providerTokens: (provider, prompt, completion) => {
      this.providerTokens.inc({ provider, kind: 'prompt' }, prompt);
      this.providerTokens.inc({ provider, kind: 'completion' }, completion);
    },
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'phylolm_' });
  }

  /**
   * Figures read when scraped: jobs by status from the store, requests in flight and queued
   * from the admission control.
   */
  observe(services: Services, admission: { active: number; queued: number }): void {
    new Gauge({
      name: 'phylolm_jobs',
      help: 'Probing jobs by status (read from the database when scraped)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await services.jobs.countByStatus();
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'phylolm_http_inflight_requests',
      help: 'GraphQL requests being handled now',
      registers: [this.registry],
      collect() {
        this.set(admission.active);
      },
    });
    new Gauge({
      name: 'phylolm_http_queued_requests',
      help: 'GraphQL requests waiting for a slot',
      registers: [this.registry],
      collect() {
        this.set(admission.queued);
      },
    });
  }

  request(figures: RequestFigures): void {
    const operation = this.operationLabel(figures.operation);
    this.requests.inc({ operation, status: String(figures.status) });
    this.duration.observe({ operation }, figures.seconds);
    if (figures.cache) this.cacheLookups.inc({ result: figures.cache });
    if (figures.status === 503) this.rejected.inc();
  }

  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  private operationLabel(name: string | undefined): string {
    if (name === undefined || name === '') return 'anonymous';
    if (!/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name)) return 'other';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_NAMES) return 'other';
    this.operations.add(name);
    return name;
  }
}

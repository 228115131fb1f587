/**
 * Runs probing jobs in this process: plans what is missing, sends requests through the
 * provider's limiter with retries, stores each answer with the job's progress in one
 * transaction, and ends the job SUCCEEDED (with the collapse check) or FAILED with the
 * provider's message. See job.service.ts for the guarantees this gives.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { collapseReport, isCollapsed } from '../../core/genetics/collapse';
import type { ProbeJobRow, Store } from '../../db/store';
import type { Logger } from '../../logger';
import { describeFailure } from '../../providers/errors';
import { costOf, type Provider, type SampleResult } from '../../providers/provider';
import { createRateLimiter, type RateLimiter, type RateLimiterFactory } from '../../providers/rate-limiter';
import type { ProviderRegistry } from '../../providers/registry';
import { noTelemetry, type Telemetry } from '../telemetry';
import { withRetry, type RetryOptions } from '../../providers/retry';
import { asStorageError } from '../errors';
import type { PopulationService } from '../population.service';
import type { SampleService } from '../sample.service';
import { pace } from '../time-slice';
import { alreadyDone, planRequests, type ProbeRequestPlan } from './probe-plan';
import { finalReport, runAdaptiveRounds } from './adaptive';
import { resolveTarget, type Target } from './probe-target';
import { estimateTokens } from './token-estimate';
import type { TurnOutcome } from './job-queue';
import { UnsavedAnswers } from './unsaved-answers';
import { BatchRunner } from './batch-runner';

export interface RunnerOptions {
  registry: ProviderRegistry;
  logger?: Logger;
  /**
   * requests in flight per provider; replaces the plugin's default (a plugin's default is a safe
   * guess, while the real limit depends on the account or the hardware)
   */
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  /** re-plan rounds when a provider returns fewer samples than asked */
  rounds?: number;
  /**
   * How long a claim on a job holds without renewal (renewed every third of it while the job
   * runs). A process that dies loses its jobs to others once this has passed. Default 30 s.
   */
  leaseMs?: number;
  /**
   * Storing a paid answer: attempts (after the store's own retries on a busy database) before
   * the answer is kept in memory and the job pauses, and the first backoff delay (doubling).
   * Default 5 attempts from 1 s (about 15 s), then a new try every 10 s.
   */
  storeRetry?: { attempts: number; baseDelayMs: number; keptRetryMs: number };
  /** provider requests, retries and tokens for /metrics (src/services/telemetry.ts) */
  telemetry?: Telemetry;
  /**
   * Builds a provider's limiter; default one in this process (`createRateLimiter`). Processes
   * sharing PostgreSQL pass limiters counted there (src/queue/pg-rate-limiter.ts), so a
   * provider's limits hold across all of them.
   */
  limiters?: RateLimiterFactory;
  /** time between two status polls of a provider batch (batch jobs, batch-runner.ts); default 30 s */
  batchPollMs?: number;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_STORE_RETRY = { attempts: 5, baseDelayMs: 1000, keptRetryMs: 10_000 };
const DEFAULT_BATCH_POLL_MS = 30_000;
const DEFAULT_RETRY = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

export class JobRunner {
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  private readonly limiters = new Map<string, RateLimiter>();
  /** who this process is when it claims jobs; unique per runner */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly leaseMs: number;
  private readonly storeRetry: NonNullable<RunnerOptions['storeRetry']>;
  /** paid answers the database did not take yet */
  private readonly unsaved: UnsavedAnswers;
  private readonly batches: BatchRunner;

  constructor(
    private readonly store: Store,
    private readonly samples: SampleService,
    private readonly populations: PopulationService,
    private readonly options: RunnerOptions,
    /** told after every change of a job's row */
    private readonly changed: (jobId: number) => void,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.storeRetry = options.storeRetry ?? DEFAULT_STORE_RETRY;
    this.unsaved = new UnsavedAnswers(this.storeRetry.keptRetryMs, options.logger);
    this.batches = new BatchRunner(store, {
      pollMs: options.batchPollMs ?? DEFAULT_BATCH_POLL_MS,
      maxBatches: options.rounds ?? 3,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      telemetry: options.telemetry,
    });
  }

  /** True when the job runs in this process. */
  runs(jobId: number): boolean {
    return this.running.has(jobId);
  }

  /** Aborts a job running here; its row is the caller's to update. */
  abort(jobId: number, reason?: unknown): void {
    this.running.get(jobId)?.controller.abort(reason);
  }

  /** Stops every running job without changing its status, so the next start resumes it. */
  async shutdown(): Promise<void> {
    const running = [...this.running.values()];
    for (const { controller } of running) controller.abort();
    await Promise.all(running.map((r) => r.done));
    await this.unsaved.close();
  }

  /** Waits until the job is no longer running in this process. */
  async settled(jobId: number): Promise<void> {
    await this.running.get(jobId)?.done;
  }

  /**
   * One turn of a job (job-queue.ts): claims it, runs it until it ends or `stop` aborts, and gives
   * the claim back, so that the next turn (here or in another process) may start at once. `held`
   * when it already runs here or another live process holds its claim.
   */
  async turn(jobId: number, stop: AbortSignal, yieldTurn?: AbortSignal): Promise<TurnOutcome> {
    if (this.running.has(jobId)) return 'held';
    const controller = new AbortController();
    const onStop = () => controller.abort(stop.reason);
    stop.addEventListener('abort', onStop, { once: true });
    if (stop.aborted) onStop();
    const outcome = this.claimAndRun(jobId, controller, yieldTurn);
    const done = outcome.then(
      () => undefined,
      () => undefined,
    );
    this.running.set(jobId, { controller, done });
    try {
      return await outcome;
    } finally {
      stop.removeEventListener('abort', onStop);
      this.running.delete(jobId);
    }
  }

  private async claimAndRun(
    jobId: number,
    controller: AbortController,
    yieldTurn: AbortSignal | undefined,
  ): Promise<TurnOutcome> {
    // A job whose paid answers still wait in memory resumes only once they are stored;
    // otherwise it would ask (and pay) for the same samples again.
    if (this.unsaved.holds(jobId)) await this.unsaved.flush();
    if (this.unsaved.holds(jobId)) return 'unfinished';
    const job = await this.store.claimJob(jobId, this.owner, Date.now(), Date.now() + this.leaseMs);
    if (!job) {
      const row = await this.store.getJob(jobId);
      return row && !TERMINAL_STATUSES.includes(row.status) ? 'held' : 'finished';
    }
    this.changed(job.id);
    // Renew the claim while running; losing it (cancelled or deleted elsewhere, or taken over
    // after this process stalled past its lease) stops the work here.
    const heartbeat = setInterval(() => {
      this.store.renewJobLease(job.id, this.owner, Date.now() + this.leaseMs).then(
        (held) => held || controller.abort(),
        () => undefined,
      );
    }, this.leaseMs / 3);
    heartbeat.unref();
    try {
      await this.run(job, controller.signal, yieldTurn);
    } finally {
      clearInterval(heartbeat);
      // Give the claim back (a no-op when it was lost), so the next turn need not wait out the lease.
      await this.store.releaseJob(job.id, this.owner).catch(() => undefined);
    }
    const after = await this.store.getJob(job.id);
    return after && !TERMINAL_STATUSES.includes(after.status) ? 'unfinished' : 'finished';
  }

  private async run(job: ProbeJobRow, signal: AbortSignal, yieldTurn?: AbortSignal): Promise<void> {
    const warnings = new Set<string>(JSON.parse(job.warnings) as string[]);
    try {
      const target = await resolveTarget(this.store, this.options.registry, {
        model: String(job.modelId),
        genome: String(job.genomeId),
        samplesPerGene: job.samplesPerGene,
        maxTokens: job.maxTokens,
      });
      const genes = await this.store.geneTexts(target.genome.id);
      // a batch job (startProbing batch: true) plans, submits and polls in batch-runner.ts; the
      // direct rounds below are for jobs sampled request by request
      if (job.batch !== null) {
        await this.batches.run({
          job,
          target,
          genes,
          warnings,
          signal,
          yieldTurn,
          store: (request, result, priceFactor) =>
            this.storeResult(job, target, request, result, warnings, priceFactor),
          changed: () => this.changed(job.id),
        });
        if (yieldTurn?.aborted) return;
      }
      const sampleUpTo = async (n: number): Promise<boolean> => {
        for (let round = 0; job.batch === null && round < (this.options.rounds ?? 3); round++) {
          const stats = await this.store.geneSampleStats(target.model.id, target.genome.id);
          const plan = planRequests(genes.length, stats, n, target.provider.capabilities.maxSamplesPerRequest);
          if (plan.length === 0) break;
          await this.runPlan(job, target, genes, plan, warnings, signal, yieldTurn);
          if (yieldTurn?.aborted) return false;
        }
        return !signal.aborted;
      };
      // adaptive sampling (adaptive.ts) may stop before the full plan; batch jobs are never adaptive
      const reached = job.adaptive
        ? await runAdaptiveRounds(job, { store: this.store, populations: this.populations, sampleUpTo })
        : (await sampleUpTo(job.samplesPerGene))
          ? job.samplesPerGene
          : undefined;
      if (reached === undefined || signal.aborted) return;
      await this.finish(job, target, warnings, reached);
    } catch (error) {
      if (error instanceof AnswersKept || asStorageError(error)) {
        // Not the provider's failure, and the job's row could not be written anyway: the job
        // stays RUNNING and resumes (here or elsewhere) once the database takes writes again.
        this.options.logger?.log('error', 'probing job paused: the database is unavailable', {
          job: job.id,
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      if (signal.aborted) return;
      const message = describeFailure(error);
      this.options.logger?.log('warn', 'probing job failed', { job: job.id, error: message });
      await this.store.updateJob(job.id, {
        status: 'FAILED',
        error: message,
        warnings: JSON.stringify([...warnings]),
        finishedAt: now(),
      });
    } finally {
      this.changed(job.id);
    }
  }

  /** Runs requests with at most `concurrency` in flight; the first failure stops the rest. */
  private async runPlan(
    job: ProbeJobRow,
    target: Target,
    genes: readonly string[],
    plan: readonly ProbeRequestPlan[],
    warnings: Set<string>,
    outer: AbortSignal,
    yieldTurn?: AbortSignal,
  ): Promise<void> {
    const failFast = new AbortController();
    const signal = AbortSignal.any([outer, failFast.signal]);
    // Every request in flight listens to this signal (SDK, limiter, backoff sleep): many
    // listeners are expected here, not a leak.
    setMaxListeners(0, signal, failFast.signal, outer);
    const workers = Math.min(plan.length, this.concurrencyOf(target.provider));
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (!signal.aborted && !yieldTurn?.aborted && next < plan.length) {
        const request = plan[next++];
        try {
          await this.probe(job, target, genes[request.gene], request, warnings, signal);
        } catch (error) {
          if (!signal.aborted) {
            failure = error;
            failFast.abort();
          }
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
    if (failure !== undefined) throw failure;
  }

  private async probe(
    job: ProbeJobRow,
    target: Target,
    gene: string,
    request: ProbeRequestPlan,
    warnings: Set<string>,
    signal: AbortSignal,
  ): Promise<void> {
    const { model, provider } = target;
    const limiter = this.limiterOf(provider);
    const tokens = estimateTokens(gene) + request.n * job.maxTokens;
    const telemetry = this.options.telemetry ?? noTelemetry;
    const attempt: Promise<SampleResult> = withRetry(
      () =>
        limiter.run(
          tokens,
          // A provider answering without real I/O (the simulated zoo) resolves in microtasks
          // only, and a freed limiter slot starts the next request at once: unpaced, the demo's
          // 3,200 requests and their SQLite writes ran as one task and held /healthz for seconds.
          async () => {
            await pace();
            return provider.doSample({
              model: model.providerModel ?? model.name,
              mode: model.mode,
              prompt: gene,
              n: request.n,
              temperature: model.temperature,
              topP: model.topP,
              maxTokens: job.maxTokens,
              sampleOffset: request.offset,
              signal,
            });
          },
          signal,
        ),
      {
        ...DEFAULT_RETRY,
        ...this.options.retry,
        signal,
        onRetry: ({ error, attempt, delayMs }) => {
          telemetry.providerRetry(provider.id);
          this.options.logger?.log('info', 'retrying a provider request', {
            job: job.id,
            attempt,
            delayMs,
            error: describeFailure(error),
          });
        },
      },
    );
    let result: SampleResult;
    try {
      result = await attempt;
    } catch (error) {
      if (!signal.aborted) telemetry.providerRequest(provider.id, 'error');
      throw error;
    }
    telemetry.providerRequest(provider.id, 'ok');
    await this.storeResult(job, target, request, result, warnings, 1);
  }

  /** Stores one paid answer with its usage, at `priceFactor` of the table price (batches: 0.5). */
  private async storeResult(
    job: ProbeJobRow,
    { model, genome, provider }: Target,
    request: ProbeRequestPlan,
    result: SampleResult,
    warnings: Set<string>,
    priceFactor: number,
  ): Promise<void> {
    const telemetry = this.options.telemetry ?? noTelemetry;
    telemetry.providerTokens(provider.id, result.usage.promptTokens, result.usage.completionTokens);
    // Stored even when the job was stopped meanwhile: the answer is paid for.
    for (const warning of result.warnings) warnings.add(warning);
    const texts = result.texts.slice(0, request.n);
    // a turn for the event loop between answers, so /healthz and queries never wait behind probing
    await pace();
    await this.storeAnswer({
      jobId: job.id,
      gene: request.gene,
      offset: request.offset,
      texts,
      write: () =>
        this.samples.append(
          model,
          genome,
          texts.map((text, k) => ({ gene: request.gene, text, sample: request.offset + k })),
          'PROBED',
          {
            jobId: job.id,
            gene: request.gene,
            samples: texts.length,
            promptTokens: result.usage.promptTokens,
            completionTokens: result.usage.completionTokens,
            costUsd: priceFactor * costOf(provider.capabilities, model.providerModel ?? '', result.usage),
          },
        ),
    });
    this.changed(job.id);
  }

  /**
   * Writes a paid answer, retrying with backoff while the storage refuses it (the store has
   * already waited out ordinary lock contention); then keeps it in memory and pauses the job.
   * A storage failure is never the provider's, so it neither counts as a failed request nor
   * fails the job. Any other error (a bug, a deleted model) fails the job as before.
   */
  private async storeAnswer(answer: Parameters<UnsavedAnswers['keep']>[0]): Promise<void> {
    const { attempts, baseDelayMs } = this.storeRetry;
    for (let attempt = 1; ; attempt++) {
      try {
        await answer.write();
        return;
      } catch (error) {
        const storage = asStorageError(error);
        if (!storage) throw error;
        if (attempt >= attempts) {
          this.unsaved.keep(answer);
          throw new AnswersKept(storage.message);
        }
        this.options.logger?.log('warn', 'could not store a paid answer yet; retrying', {
          job: answer.jobId,
          attempt,
          error: storage.message,
        });
        // not cut short by the job's signal: stopping the job does not make the answer worthless
        await sleep(baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async finish(
    job: ProbeJobRow,
    { model, genome, provider }: Target,
    warnings: Set<string>,
    reached: number,
  ): Promise<void> {
    const stats = await this.store.geneSampleStats(model.id, genome.id);
    const completed = alreadyDone(genome.geneCount, stats, job.samplesPerGene);
    const needed = alreadyDone(genome.geneCount, stats, reached);
    const [revision] = await this.populations.revisions(genome.id, [model.id]);
    let collapsed = false;
    if (revision && model.temperature > 0) {
      const [population] = await this.populations.load(genome.id, [revision]);
      const report = collapseReport(population.counts);
      collapsed = isCollapsed(report);
      if (collapsed) {
        warnings.add(
          `samples collapsed: ${report.singleAllele} of ${report.genesChecked} genes have a single allele at temperature ` +
            `${model.temperature}; the endpoint may be ignoring temperature (some local servers sample greedily when a seed is sent)`,
        );
      }
    }
    const complete = needed >= genome.geneCount * reached;
    const row = job.adaptive ? await this.store.getJob(job.id) : undefined;
    await this.store.updateJob(job.id, {
      status: complete ? 'SUCCEEDED' : 'FAILED',
      error: complete
        ? null
        : `the provider returned fewer samples than asked: ${needed} of ${genome.geneCount * reached}`,
      ...(row && {
        adaptiveReport: JSON.stringify(
          finalReport(
            row,
            reached,
            genome.geneCount,
            provider.capabilities.maxSamplesPerRequest,
            (await this.store.jobSampleTexts(job.id)).length,
          ),
        ),
      }),
      completed,
      collapsed,
      warnings: JSON.stringify([...warnings]),
      finishedAt: now(),
    });
  }

  private concurrencyOf(provider: Provider): number {
    return Math.max(1, this.options.concurrency ?? provider.capabilities.maxConcurrency);
  }

  /** One limiter per provider, shared by all its jobs. */
  private limiterOf(provider: Provider): RateLimiter {
    let limiter = this.limiters.get(provider.id);
    if (!limiter) {
      limiter = (this.options.limiters ?? createRateLimiter)({
        key: provider.id,
        maxConcurrency: this.concurrencyOf(provider),
        requestsPerMinute: provider.capabilities.requestsPerMinute,
        tokensPerMinute: provider.capabilities.tokensPerMinute,
      });
      this.limiters.set(provider.id, limiter);
    }
    return limiter;
  }
}

/** A paid answer could not be stored and waits in memory: the job pauses instead of failing. */
class AnswersKept extends Error {
  constructor(reason: string) {
    super(`a paid answer waits in memory for the database: ${reason}`);
    this.name = 'AnswersKept';
  }
}

const TERMINAL_STATUSES: readonly ProbeJobRow['status'][] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

const now = () => new Date().toISOString();

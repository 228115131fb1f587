/**
 * Probing jobs: sample a model on a genome through its provider plugin until every gene has N
 * samples (method.md, "Probing"), stored exactly like imported samples.
 *
 * - A job is persisted before any request is made, and each provider answer is stored with the
 *   job's progress in one transaction, so a job killed at any moment resumes (at start-up) from
 *   what is stored, asking only for what is missing.
 * - Samples are stored under fixed indices, so starting the same probing twice tops up instead
 *   of duplicating, and a request answered twice (a retry after a lost reply) is stored once.
 * - Requests go through a per-provider limiter (concurrency, requests and tokens per minute) and
 *   are retried with exponential backoff and jitter on 429, 5xx, timeouts and broken answers,
 *   honouring retry-after. After the last attempt the job FAILS with the provider's message and
 *   keeps every sample it got.
 */
import { EventEmitter, on, setMaxListeners } from 'node:events';
import { collapseReport, isCollapsed } from '../../core/genetics/collapse';
import type { GenomeRow, JobStatus, ModelRow, ProbeJobRow, Store } from '../../db/store';
import type { Logger } from '../../logger';
import { costOf, type Provider, type SampleResult } from '../../providers/provider';
import { createRateLimiter, type RateLimiter } from '../../providers/rate-limiter';
import type { ProviderRegistry } from '../../providers/registry';
import { withRetry, type RetryOptions } from '../../providers/retry';
import { badInput, notFound, parseId } from '../errors';
import { EXTERNAL_PROVIDER } from '../model.service';
import type { PopulationService } from '../population.service';
import type { SampleService } from '../sample.service';
import { decodeCursor, encodeCursor, pageSize, requireIntIn } from '../validate';
import { alreadyDone, planRequests, type ProbeRequestPlan } from './probe-plan';
import { estimateTokens } from './token-estimate';

export const TERMINAL: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
export const REFERENCE_SAMPLES_PER_GENE = 32;

export interface ProbingOptions {
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
}

export interface StartProbingInput {
  model: string;
  genome: string;
  samplesPerGene?: number | null;
  maxTokens?: number | null;
}

export interface ProbingEstimate {
  samplesNeeded: number;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** false when the provider's price table does not know the model (cost shown as 0) */
  priced: boolean;
}

interface Target {
  model: ModelRow;
  genome: GenomeRow;
  provider: Provider;
  samplesPerGene: number;
  maxTokens: number;
}

export class JobService {
  private readonly events = new EventEmitter();
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    private readonly store: Store,
    private readonly samples: SampleService,
    private readonly populations: PopulationService,
    private readonly options: ProbingOptions,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Creates (or returns the active) job for the model and genome and starts it in the background. */
  async start(input: StartProbingInput): Promise<ProbeJobRow> {
    const target = await this.target(input);
    const active = await this.store.listJobs(
      { statuses: ['QUEUED', 'RUNNING'], modelId: target.model.id, genomeId: target.genome.id },
      null,
      1,
    );
    if (active.length > 0) return active[0];
    const stats = await this.store.geneSampleStats(target.model.id, target.genome.id);
    const total = target.genome.geneCount * target.samplesPerGene;
    const completed = alreadyDone(target.genome.geneCount, stats, target.samplesPerGene);
    const job = await this.store.createJob({
      modelId: target.model.id,
      genomeId: target.genome.id,
      samplesPerGene: target.samplesPerGene,
      maxTokens: target.maxTokens,
      status: 'QUEUED',
      completed,
      total,
    });
    this.launch(job);
    return job;
  }

  /** Requests, tokens and dollars a probing would cost, from what is still missing. */
  async estimate(input: StartProbingInput): Promise<ProbingEstimate> {
    const { model, genome, provider, samplesPerGene, maxTokens } = await this.target(input);
    const stats = await this.store.geneSampleStats(model.id, genome.id);
    const plan = planRequests(genome.geneCount, stats, samplesPerGene, provider.capabilities.maxSamplesPerRequest);
    const genes = await this.store.geneTexts(genome.id);
    const usage = {
      requests: plan.length,
      promptTokens: plan.reduce((sum, r) => sum + estimateTokens(genes[r.gene]), 0),
      completionTokens: plan.reduce((sum, r) => sum + r.n * maxTokens, 0),
    };
    const providerModel = model.providerModel ?? '';
    return {
      samplesNeeded: plan.reduce((sum, r) => sum + r.n, 0),
      ...usage,
      costUsd: costOf(provider.capabilities, providerModel, usage),
      priced: (provider.capabilities.prices[providerModel] ?? provider.capabilities.prices['*']) !== undefined,
    };
  }

  async get(id: string): Promise<ProbeJobRow | null> {
    if (!/^[1-9][0-9]{0,15}$/.test(id)) return null;
    return (await this.store.getJob(Number(id))) ?? null;
  }

  async list(
    filter: { model?: string | null; genome?: string | null; status?: JobStatus | null },
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const limit = pageSize(first, 100, 1000);
    const rows = await this.store.listJobs(
      {
        modelId: filter.model ? parseId('model', filter.model) : undefined,
        genomeId: filter.genome ? parseId('genome', filter.genome) : undefined,
        statuses: filter.status ? [filter.status] : undefined,
      },
      decodeCursor('job', after),
      limit + 1,
    );
    const nodes = rows.slice(0, limit);
    const cursors = nodes.map((j) => encodeCursor('job', j.id));
    return { nodes, cursors, hasNextPage: rows.length > limit, endCursor: cursors.at(-1) ?? null };
  }

  /** Stops a queued or running job; samples already stored are kept. A finished job is returned as is. */
  async cancel(id: string): Promise<ProbeJobRow> {
    const job = await this.store.getJob(parseId('job', id));
    if (!job) throw notFound(`no job with id "${id}"`);
    if (TERMINAL.includes(job.status)) return job;
    const updated = await this.store.updateJob(job.id, { status: 'CANCELLED', finishedAt: now() });
    this.running.get(job.id)?.controller.abort();
    this.emit(job.id);
    return updated;
  }

  /** The job now, then after every change, until it finishes (for subscriptions). */
  async *watch(id: string, signal?: AbortSignal): AsyncGenerator<ProbeJobRow> {
    const job = await this.store.getJob(parseId('job', id));
    if (!job) throw notFound(`no job with id "${id}"`);
    // Listen before yielding, so no change between the read and the subscription is missed.
    const changes = on(this.events, `job:${job.id}`, { signal });
    yield job;
    if (TERMINAL.includes(job.status)) return;
    try {
      for await (const _ of changes) {
        const current = await this.store.getJob(job.id);
        if (!current) return;
        yield current;
        if (TERMINAL.includes(current.status)) return;
      }
    } catch (error) {
      if ((error as { name?: string }).name !== 'AbortError') throw error;
    }
  }

  /** Restarts jobs a previous process left queued or running (after a crash or a stop). */
  async resume(): Promise<number> {
    const pending = await this.store.listJobs({ statuses: ['QUEUED', 'RUNNING'] }, null, 100_000);
    for (const job of pending) this.launch(job);
    return pending.length;
  }

  /** Stops every running job without changing its status, so the next start resumes it. */
  async shutdown(): Promise<void> {
    const running = [...this.running.values()];
    for (const { controller } of running) controller.abort(new ShutdownSignal());
    await Promise.all(running.map((r) => r.done));
  }

  /** Waits until the job is no longer running in this process (tests and the demo use it). */
  async settled(id: number): Promise<void> {
    await this.running.get(id)?.done;
  }

  private async target(input: StartProbingInput): Promise<Target> {
    const model = await this.store.getModel(parseId('model', input.model));
    if (!model) throw notFound(`no model with id "${input.model}"`);
    const genome = await this.store.getGenome(parseId('genome', input.genome));
    if (!genome) throw notFound(`no genome with id "${input.genome}"`);
    if (model.provider === EXTERNAL_PROVIDER) {
      throw badInput(`model "${model.name}" is external: its samples can only be imported`);
    }
    if (!this.options.registry.has(model.provider)) {
      throw badInput(`model "${model.name}" names provider "${model.provider}", which is not loaded`);
    }
    const provider = this.options.registry.get(model.provider);
    if (!provider.configured) {
      throw badInput(`provider "${provider.id}" is not configured (missing API key or endpoint)`);
    }
    if (!provider.capabilities.modes.includes(model.mode)) {
      throw badInput(`provider "${provider.id}" cannot sample in ${model.mode} mode`);
    }
    const samplesPerGene = requireIntIn('samplesPerGene', input.samplesPerGene ?? REFERENCE_SAMPLES_PER_GENE, 1, 1024);
    const maxTokens = requireIntIn('maxTokens', input.maxTokens ?? model.maxTokens, 1, 4096);
    return { model, genome, provider, samplesPerGene, maxTokens };
  }

  private launch(job: ProbeJobRow): void {
    if (this.running.has(job.id)) return;
    const controller = new AbortController();
    const done = this.run(job, controller.signal)
      .catch((error: unknown) => this.options.logger?.log('error', 'probing job crashed', { job: job.id, error }))
      .finally(() => this.running.delete(job.id));
    this.running.set(job.id, { controller, done });
  }

  private async run(queued: ProbeJobRow, signal: AbortSignal): Promise<void> {
    const job = await this.store.updateJob(queued.id, { status: 'RUNNING', startedAt: queued.startedAt ?? now() });
    this.emit(job.id);
    const warnings = new Set<string>(JSON.parse(job.warnings) as string[]);
    try {
      const target = await this.target({
        model: String(job.modelId),
        genome: String(job.genomeId),
        samplesPerGene: job.samplesPerGene,
        maxTokens: job.maxTokens,
      });
      const genes = await this.store.geneTexts(target.genome.id);
      for (let round = 0; round < (this.options.rounds ?? 3); round++) {
        const stats = await this.store.geneSampleStats(target.model.id, target.genome.id);
        const plan = planRequests(genes.length, stats, job.samplesPerGene, target.provider.capabilities.maxSamplesPerRequest);
        if (plan.length === 0) break;
        await this.runPlan(job, target, genes, plan, warnings, signal);
      }
      if (signal.aborted) return;
      await this.finish(job, target, warnings);
    } catch (error) {
      if (signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger?.log('warn', 'probing job failed', { job: job.id, error: message });
      await this.store.updateJob(job.id, {
        status: 'FAILED',
        error: message,
        warnings: JSON.stringify([...warnings]),
        finishedAt: now(),
      });
    } finally {
      this.emit(job.id);
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
      while (!signal.aborted && next < plan.length) {
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
    { model, genome, provider }: Target,
    gene: string,
    request: ProbeRequestPlan,
    warnings: Set<string>,
    signal: AbortSignal,
  ): Promise<void> {
    const limiter = this.limiterOf(provider);
    const tokens = estimateTokens(gene) + request.n * job.maxTokens;
    const result: SampleResult = await withRetry(
      () =>
        limiter.run(
          tokens,
          () =>
            provider.doSample({
              model: model.providerModel ?? model.name,
              mode: model.mode,
              prompt: gene,
              n: request.n,
              temperature: model.temperature,
              topP: model.topP,
              maxTokens: job.maxTokens,
              sampleOffset: request.offset,
              signal,
            }),
          signal,
        ),
      {
        maxAttempts: 6,
        baseDelayMs: 500,
        maxDelayMs: 30_000,
        ...this.options.retry,
        signal,
        onRetry: ({ error, attempt, delayMs }) =>
          this.options.logger?.log('info', 'retrying a provider request', {
            job: job.id,
            attempt,
            delayMs,
            error: error instanceof Error ? error.message : String(error),
          }),
      },
    );
    if (signal.aborted) return;
    for (const warning of result.warnings) warnings.add(warning);
    const texts = result.texts.slice(0, request.n);
    await this.samples.append(
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
        costUsd: costOf(provider.capabilities, model.providerModel ?? '', result.usage),
      },
    );
    this.emit(job.id);
  }

  private async finish(job: ProbeJobRow, { model, genome }: Target, warnings: Set<string>): Promise<void> {
    const stats = await this.store.geneSampleStats(model.id, genome.id);
    const completed = alreadyDone(genome.geneCount, stats, job.samplesPerGene);
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
    const complete = completed >= job.total;
    await this.store.updateJob(job.id, {
      status: complete ? 'SUCCEEDED' : 'FAILED',
      error: complete ? null : `the provider returned fewer samples than asked: ${completed} of ${job.total}`,
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
      limiter = createRateLimiter({
        maxConcurrency: this.concurrencyOf(provider),
        requestsPerMinute: provider.capabilities.requestsPerMinute,
        tokensPerMinute: provider.capabilities.tokensPerMinute,
      });
      this.limiters.set(provider.id, limiter);
    }
    return limiter;
  }

  private emit(jobId: number): void {
    this.events.emit(`job:${jobId}`);
  }
}

/** Abort reason for a server shutdown: the job stays RUNNING in the database and resumes later. */
class ShutdownSignal extends Error {
  constructor() {
    super('server shutting down');
    this.name = 'ShutdownSignal';
  }
}

const now = () => new Date().toISOString();

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
 * - A paid answer is never thrown away: when the database refuses it (busy past the store's
 *   retries, full disk), the write is retried, then the answer is kept in memory and the job
 *   pauses (still RUNNING) until the database takes it; storage trouble never FAILS a job
 *   (job-runner.ts, unsaved-answers.ts).
 *
 * - `batch: true` sends the job through the provider's batch API at its discount instead
 *   (batch-runner.ts); the estimate then shows the discounted cost, and cancelling the job
 *   cancels the batch at the provider.
 *
 * This service is the API (start, estimate, cancel, list, watch); a `JobQueue` (job-queue.ts) says
 * which process runs a job, and `JobRunner` does the work there.
 */
import { EventEmitter, on } from 'node:events';
import type { GeneSampleStats, JobStatus, ProbeJobRow, Store } from '../../db/store';
import { costOf } from '../../providers/provider';
import { notFound, parseId } from '../errors';
import { lookUpGenome, lookUpModel } from '../reference';
import type { PopulationService } from '../population.service';
import type { SampleService } from '../sample.service';
import { JOB_PAGE, paginate, type Page, type PageRequest } from '../page';
import type { ChangeFeed } from '../change-feed';
import { LocalJobQueue, type JobQueue } from './job-queue';
import { JobRunner, type RunnerOptions } from './job-runner';
import { alreadyDone, planRequests } from './probe-plan';
import { resolveTarget, type StartProbingInput } from './probe-target';
import { estimateTokens } from './token-estimate';
import { batchApiOf, cancelBatchOf } from './batch-runner';
import { NEW_BATCH_STATE, readBatchState, writeBatchState } from './batch-state';
import { describeFailure } from '../../providers/errors';
import { adaptiveSettings, type AdaptiveReport } from './adaptive';

const JOB_STATUSES: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export { REFERENCE_SAMPLES_PER_GENE, type StartProbingInput } from './probe-target';

export const TERMINAL: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export interface ProbingOptions extends RunnerOptions {
  /** where jobs wait (default `LocalJobQueue`: in this process, and by polling a shared store) */
  queue?: JobQueue;
  /** whether this process runs jobs (`PHYLOLM_ROLE` all or worker); default true */
  takesJobs?: boolean;
  /** tells other processes about job changes, and hears theirs (subscriptions, cancellation) */
  feed?: ChangeFeed;
}
export type { JobStatus };

/** A job as the API shows it: the stored row with its warnings, batch state and adaptive report parsed. */
export interface ProbeJobView extends Omit<ProbeJobRow, 'warnings' | 'batch' | 'adaptive' | 'adaptiveReport'> {
  warnings: string[];
  /** sent through the provider's batch API */
  batch: boolean;
  /** the provider's id of the batch in flight */
  batchId: string | null;
  adaptive: boolean;
  /** adaptive jobs, once finished: samples per gene where sampling stopped, and why */
  stoppedAtSamplesPerGene: number | null;
  stopReason: string | null;
  /** adaptive jobs, once finished: samples and (estimated) tokens not spent against the full plan */
  samplesSaved: number | null;
  tokensSaved: number | null;
}

export function jobView(row: ProbeJobRow): ProbeJobView {
  const { adaptive, adaptiveReport, batch: batchText, ...rest } = row;
  const batch = readBatchState(batchText);
  const report = adaptiveReport ? (JSON.parse(adaptiveReport) as Partial<AdaptiveReport>) : {};
  const finished = report.stoppedAt !== undefined;
  return {
    ...rest,
    warnings: JSON.parse(row.warnings) as string[],
    batch: batch !== null,
    batchId: batch?.current?.id ?? null,
    adaptive: adaptive !== null,
    stoppedAtSamplesPerGene: report.stoppedAt ?? null,
    stopReason: report.reason ?? null,
    samplesSaved: finished ? row.total - row.completed : null,
    tokensSaved: report.tokensSaved ?? null,
  };
}

export interface ProbingEstimate {
  samplesNeeded: number;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** what the batch API saves (0 without batch) */
  batchDiscountUsd: number;
  /** false when the provider's price table does not know the model (cost shown as 0) */
  priced: boolean;
}

export class JobService {
  private readonly events = new EventEmitter();
  private readonly runner: JobRunner;
  private readonly queue: JobQueue;

  constructor(
    private readonly store: Store,
    samples: SampleService,
    populations: PopulationService,
    private readonly options: ProbingOptions,
  ) {
    this.events.setMaxListeners(0);
    this.runner = new JobRunner(store, samples, populations, options, (jobId) => this.changed(jobId));
    this.queue = options.queue ?? new LocalJobQueue(store, options.logger);
    if (options.takesJobs !== false) {
      this.queue
        .take((jobId, signal, yieldTurn) => this.runner.turn(jobId, signal, yieldTurn))
        .catch((error: unknown) => options.logger?.log('error', 'could not start taking jobs', { error }));
    }
    // Another process changed a job: wake this one's subscriptions, and stop the job here if it
    // was cancelled there (the lease renewal would notice too, a third of a lease later).
    options.feed?.onJob((jobId) => {
      this.emit(jobId);
      if (this.runner.runs(jobId)) {
        this.store.getJob(jobId).then(
          (job) => (!job || TERMINAL.includes(job.status)) && this.runner.abort(jobId),
          () => undefined,
        );
      }
    });
  }

  /** Creates (or returns the active) job for the model and genome and starts it in the background. */
  async start(input: StartProbingInput): Promise<ProbeJobView> {
    return this.launch(await this.target(input), () => 0);
  }

  /**
   * A new round (drift, issue 12): `input.samplesPerGene` fresh samples on every gene, on top of
   * what is stored, so the job's own samples are a complete snapshot of the endpoint now. The job
   * asks each gene up to (most samples any gene has) + N; its samples are the round.
   */
  async startRound(input: StartProbingInput): Promise<ProbeJobView> {
    return this.launch(await this.target(input), (stats) => Math.max(0, ...[...stats.values()].map((s) => s.count)));
  }

  private async launch(
    target: Awaited<ReturnType<JobService['target']>>,
    base: (stats: Map<number, GeneSampleStats>) => number,
  ): Promise<ProbeJobView> {
    const active = await this.store.listJobs(
      { statuses: ['QUEUED', 'RUNNING'], modelId: target.model.id, genomeId: target.genome.id },
      null,
      1,
    );
    if (active.length > 0) return jobView(active[0]);
    const stats = await this.store.geneSampleStats(target.model.id, target.genome.id);
    const samplesPerGene = base(stats) + target.samplesPerGene;
    const total = target.genome.geneCount * samplesPerGene;
    const completed = alreadyDone(target.genome.geneCount, stats, samplesPerGene);
    const job = await this.store.createJob({
      modelId: target.model.id,
      genomeId: target.genome.id,
      samplesPerGene,
      maxTokens: target.maxTokens,
      batch: target.batch ? writeBatchState(NEW_BATCH_STATE) : null,
      status: 'QUEUED',
      completed,
      total,
      adaptive: target.adaptive ? JSON.stringify(adaptiveSettings(target.adaptiveOptions, samplesPerGene)) : null,
    });
    await this.queue.enqueue(job.id);
    return jobView(job);
  }

  /** Requests, tokens and dollars a probing would cost, from what is still missing. */
  async estimate(input: StartProbingInput): Promise<ProbingEstimate> {
    const { model, genome, provider, samplesPerGene, maxTokens, batch } = await this.target(input);
    const stats = await this.store.geneSampleStats(model.id, genome.id);
    const plan = planRequests(genome.geneCount, stats, samplesPerGene, provider.capabilities.maxSamplesPerRequest);
    const genes = await this.store.geneTexts(genome.id);
    const usage = {
      requests: plan.length,
      promptTokens: plan.reduce((sum, r) => sum + estimateTokens(genes[r.gene]), 0),
      completionTokens: plan.reduce((sum, r) => sum + r.n * maxTokens, 0),
    };
    const providerModel = model.providerModel ?? '';
    const fullPrice = costOf(provider.capabilities, providerModel, usage);
    const costUsd = batch ? fullPrice * batchApiOf({ provider }).priceFactor : fullPrice;
    return {
      samplesNeeded: plan.reduce((sum, r) => sum + r.n, 0),
      ...usage,
      costUsd,
      batchDiscountUsd: fullPrice - costUsd,
      priced: (provider.capabilities.prices[providerModel] ?? provider.capabilities.prices['*']) !== undefined,
    };
  }

  async get(id: string): Promise<ProbeJobView | null> {
    if (!/^[1-9][0-9]{0,15}$/.test(id)) return null;
    const job = await this.store.getJob(Number(id));
    return job ? jobView(job) : null;
  }

  /** One page of the jobs matching the filter, oldest first. */
  async list(
    filter: { model?: string | null; genome?: string | null; status?: JobStatus | null },
    page: PageRequest,
  ): Promise<Page<ProbeJobView>> {
    const jobFilter = {
      modelId: filter.model ? (await lookUpModel(this.store, filter.model)).id : undefined,
      genomeId: filter.genome ? (await lookUpGenome(this.store, filter.genome)).id : undefined,
      statuses: filter.status ? [filter.status] : undefined,
    };
    const found = await paginate(
      'job',
      page,
      JOB_PAGE,
      (afterId, limit) => this.store.listJobs(jobFilter, afterId, limit),
      (job) => job.id,
    );
    return { ...found, nodes: found.nodes.map(jobView) };
  }

  /** Stops a queued or running job; samples already stored are kept. A finished job is returned as is. */
  /** How many jobs are in each status, every status named (for /metrics). */
  async countByStatus(): Promise<Record<JobStatus, number>> {
    const counts = await this.store.countJobsByStatus();
    return Object.fromEntries(JOB_STATUSES.map((status) => [status, counts[status] ?? 0])) as Record<JobStatus, number>;
  }

  async cancel(id: string): Promise<ProbeJobView> {
    const job = await this.store.getJob(parseId('job', id));
    if (!job) throw notFound(`no job with id "${id}"`);
    if (TERMINAL.includes(job.status)) return jobView(job);
    const updated = await this.store.updateJob(job.id, { status: 'CANCELLED', finishedAt: now() });
    this.runner.abort(job.id);
    // read again once the run here has stopped: it may have stored a batch id since `job` was read
    await this.runner.settled(job.id);
    await this.cancelBatch((await this.store.getJob(job.id)) ?? job);
    await this.queue.cancel(job.id);
    this.changed(job.id);
    return jobView(updated);
  }

  /** Cancels the job's batch at its provider; a refusal is logged (the job is cancelled here anyway). */
  private async cancelBatch(job: ProbeJobRow): Promise<void> {
    if (job.batch === null) return;
    try {
      const model = await lookUpModel(this.store, String(job.modelId));
      const batchId = await cancelBatchOf(job, this.options.registry, model.provider);
      if (batchId) this.options.logger?.log('info', 'cancelled a provider batch', { job: job.id, batchId });
    } catch (error) {
      this.options.logger?.log('warn', 'could not cancel the provider batch of a cancelled job', {
        job: job.id,
        error: describeFailure(error),
      });
    }
  }

  /**
   * Stops (and waits for) the active jobs of a model or genome about to be deleted, so no
   * answer arriving later writes samples for it. Their rows go with the deletion.
   */
  async stopFor(filter: { modelId?: number; genomeId?: number }): Promise<void> {
    const active = await this.store.listJobs({ ...filter, statuses: ['QUEUED', 'RUNNING'] }, null, 100_000);
    for (const job of active) this.runner.abort(job.id);
    await Promise.all(active.map((job) => this.runner.settled(job.id)));
  }

  /** The job now, then after every change, until it finishes (for subscriptions). */
  async *watch(id: string, signal?: AbortSignal): AsyncGenerator<ProbeJobView> {
    const job = await this.store.getJob(parseId('job', id));
    if (!job) throw notFound(`no job with id "${id}"`);
    // Listen before yielding, so no change between the read and the subscription is missed.
    const changes = on(this.events, `job:${job.id}`, { signal });
    yield jobView(job);
    if (TERMINAL.includes(job.status)) return;
    try {
      for await (const _ of changes) {
        const current = await this.store.getJob(job.id);
        if (!current) return;
        yield jobView(current);
        if (TERMINAL.includes(current.status)) return;
      }
    } catch (error) {
      if ((error as { name?: string }).name !== 'AbortError') throw error;
    }
  }

  /**
   * Restarts jobs a previous process left queued or running (after a crash or a stop): the
   * embedded queue runs them here; pg-boss redelivers its own, and gets back any it never had.
   */
  async resume(): Promise<number> {
    if (this.queue instanceof LocalJobQueue) return this.queue.resume();
    const pending = await this.store.listJobs({ statuses: ['QUEUED', 'RUNNING'] }, null, 100_000);
    return this.queue.adopt(pending.map((job) => job.id));
  }

  /**
   * Keeps looking for jobs no live process holds (queued by another process sharing the
   * database, or left by one that died), every half lease, and runs them here.
   */
  startPolling(): void {
    if (this.queue instanceof LocalJobQueue) this.queue.startPolling(this.runner.leaseMs / 2);
  }

  /** Stops taking jobs and every running job without changing its status, so another turn resumes it. */
  async shutdown(): Promise<void> {
    await this.queue.stop();
    await this.runner.shutdown();
  }

  /** Waits until the job is no longer running in this process (tests and the demo use it). */
  settled(id: number): Promise<void> {
    return this.runner.settled(id);
  }

  private target(input: StartProbingInput) {
    return resolveTarget(this.store, this.options.registry, input);
  }

  private emit(jobId: number): void {
    this.events.emit(`job:${jobId}`);
  }

  /** A job's row changed here: tell this process's watchers, and the other processes. */
  private changed(jobId: number): void {
    this.emit(jobId);
    this.options.feed?.jobChanged(jobId);
  }
}

const now = () => new Date().toISOString();

/**
 * Runs a probing job through its provider's batch API (issue 13, "Batch APIs"): the missing
 * samples are planned as for direct requests (probe-plan.ts), submitted as one batch, and the
 * batch id is stored with the job before anything else happens; the batch is then polled, and
 * once it has ended its answers are stored one by one as they are read, each under the sample
 * indices its request asked for. Then the job plans again: whatever is still missing (requests
 * that failed in the batch, or that an expired batch never answered) goes into a NEW batch, so
 * retries keep the batch discount, up to `maxBatches` batches per job; after that the job fails
 * with what it got kept.
 *
 * - A restart resumes from the stored state: a batch in flight is polled again, never resubmitted.
 *   A submission is stored, with a tag, before the provider is asked; a process that died before
 *   it stored the batch id (or an attempt whose answer was lost) asks the provider for the
 *   batch under that tag (`BatchApi.find`) before submitting again.
 * - A batch the provider fails as a whole (OpenAI `failed`, e.g. a malformed input file) fails the
 *   job with the provider's message: sending it again would fail the same way.
 * - Cancelling the job cancels the batch at the provider (`cancelBatchOf`, called by JobService).
 * - The job stops polling when its turn ends (`yieldTurn`, pg-boss time slices) and the next turn
 *   resumes polling the same batch.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeJobRow, Store } from '../../db/store';
import { sanitizeProviderText } from '../../providers/errors';
import type { BatchApi, BatchStatus, SampleResult } from '../../providers/provider';
import type { ProviderRegistry } from '../../providers/registry';
import { withRetry, type RetryOptions } from '../../providers/retry';
import {
  customIdOf,
  newSubmissionTag,
  plannedRequests,
  readBatchState,
  writeBatchState,
  type BatchInFlight,
  type BatchState,
  type PendingSubmission,
} from './batch-state';
import { planRequests, type ProbeRequestPlan } from './probe-plan';
import type { Target } from './probe-target';
import { noTelemetry, type Telemetry } from '../telemetry';

export interface BatchRunOptions {
  /** time between two status polls of a batch in flight */
  pollMs: number;
  /** batches one job may submit before it gives up on the samples still missing */
  maxBatches: number;
  /** retries of each provider call (submit, status, results) */
  retry: RetryOptions;
  /** each line read counts as one provider request, as a direct request does (/metrics) */
  telemetry?: Telemetry;
}

export interface BatchRun {
  job: ProbeJobRow;
  target: Target;
  genes: readonly string[];
  warnings: Set<string>;
  signal: AbortSignal;
  yieldTurn?: AbortSignal;
  /** stores one answer of the batch at `priceFactor` of the table price (the job runner's path) */
  store(request: ProbeRequestPlan, result: SampleResult, priceFactor: number): Promise<void>;
  /** the job's row changed */
  changed(): void;
}

/** The provider's batch API, or a clear error for a provider that has none. */
export function batchApiOf(target: Pick<Target, 'provider'>): BatchApi {
  const api = target.provider.batch;
  if (!api) throw new Error(`provider "${target.provider.id}" has no batch API`);
  return api;
}

export class BatchRunner {
  constructor(
    private readonly store: Store,
    private readonly options: BatchRunOptions,
  ) {}

  async run(run: BatchRun): Promise<void> {
    const { job, target } = run;
    const api = batchApiOf(target);
    let state = readBatchState(job.batch) ?? { submitted: 0, current: null };
    const stopped = () => run.signal.aborted || run.yieldTurn?.aborted === true;
    while (!stopped()) {
      if (!state.current) {
        // a submission stored by an earlier turn may have reached the provider: look for it first
        const resumed = Boolean(state.pending);
        let pending = state.pending;
        if (!pending) {
          const plan = await this.missing(run);
          if (plan.length === 0) return;
          if (state.submitted >= this.options.maxBatches) {
            const samples = plan.reduce((sum, r) => sum + r.n, 0);
            throw new Error(`${samples} samples still missing after ${state.submitted} batches`);
          }
          pending = {
            tag: newSubmissionTag(),
            requests: plan.slice(0, api.maxRequests).map((r) => [r.gene, r.offset, r.n]),
            at: new Date().toISOString(),
          };
          state = await this.save(run, { submitted: state.submitted + 1, current: null, pending });
        }
        const { id, found } = await this.submitOnce(run, api, pending, resumed);
        state = await this.save(run, {
          submitted: state.submitted,
          current: { id, requests: pending.requests, tag: pending.tag, ...(found ? { found } : {}) },
          pending: null,
        });
        continue;
      }
      const current = state.current;
      const status = await this.retrying(run, () => api.status(current.id, run.signal));
      if (status.state === 'running') {
        await this.wait(run);
        continue;
      }
      if (status.outcome === 'failed') {
        throw new Error(`batch ${current.id} failed: ${sanitizeProviderText(status.error ?? 'no reason given')}`);
      }
      const resumed = current.reading === true;
      if (!resumed) state = await this.save(run, { ...state, current: { ...current, reading: true } });
      const ours = await this.retrying(run, (attempt) =>
        this.readResults(run, api, current, status.outcome, resumed || attempt > 1),
      );
      if (stopped()) return;
      // a candidate that was another submission's does not count against the job's batches
      state = await this.save(run, { submitted: state.submitted - (ours ? 0 : 1), current: null });
    }
  }

  /**
   * Submits `pending` once. Before any attempt that may follow an accepted one (a retry after a
   * lost answer, or a submission an earlier turn stored and may have sent), the provider is asked
   * for a batch under its tag, and that batch is taken instead of submitting again.
   */
  private submitOnce(
    run: BatchRun,
    api: BatchApi,
    pending: PendingSubmission,
    resumed: boolean,
  ): Promise<{ id: string; found: boolean }> {
    return this.retrying(run, async (attempt) => {
      if (resumed || attempt > 1) {
        const found = await api.find(pending.tag, new Date(pending.at), pending.requests.length, run.signal);
        if (found !== undefined) return { id: found, found: true };
      }
      const requests = plannedRequests(pending).map((r) => this.requestOf(run, r, pending.tag));
      return { id: await api.submit(requests, pending.tag, run.signal), found: false };
    });
  }

  /**
   * Reads an ended batch, storing each answer as it comes; failed lines are left to the next
   * batch. `again`: an earlier read (a stopped turn, or a failed download) stored some answers
   * already; those are skipped, so their tokens and cost are not recorded twice (the samples
   * themselves could not be: fixed indices).
   */
  private async readResults(
    run: BatchRun,
    api: BatchApi,
    batch: BatchInFlight,
    outcome: BatchStatus['outcome'],
    again: boolean,
  ): Promise<boolean> {
    const requests = new Map(plannedRequests(batch).map((r) => [customIdOf(r, batch.tag), r]));
    const stored = again ? await this.storedIndices(run) : undefined;
    const telemetry = this.options.telemetry ?? noTelemetry;
    const provider = run.target.provider.id;
    let failed = 0;
    let lastError = '';
    let matched = 0;
    for await (const line of api.results(batch.id, run.signal)) {
      const request = requests.get(line.customId);
      if (!request) continue; // not ours (or answered twice): nothing to store
      requests.delete(line.customId);
      matched++;
      if ('error' in line) {
        failed++;
        lastError = line.error;
        telemetry.providerRequest(provider, 'error');
        continue;
      }
      if (stored?.has(`${request.gene}:${request.offset}`)) continue;
      // counted when stored, with its tokens (job-runner.ts): a line read again is not counted twice
      telemetry.providerRequest(provider, 'ok');
      // stored even when the job was stopped meanwhile: the answer is paid for
      await run.store(request, line.result, api.priceFactor);
    }
    if (batch.found && matched === 0) {
      run.warnings.add(
        `batch ${batch.id}, found after a lost submission, holds none of this job's requests; they go into a new batch`,
      );
      return false;
    }
    const unanswered = failed + requests.size;
    if (unanswered === 0) return true;
    const total = batch.requests.length;
    if (outcome === 'expired' || outcome === 'cancelled') {
      run.warnings.add(
        `batch ${batch.id} ${outcome} with ${unanswered} of ${total} requests unanswered; they go into a new batch`,
      );
    } else {
      const last = lastError ? ` (last: ${sanitizeProviderText(lastError)})` : '';
      run.warnings.add(`${unanswered} of ${total} requests failed in batch ${batch.id}${last}; retried in a new batch`);
    }
    return true;
  }

  private async missing({ job, target, genes }: BatchRun): Promise<ProbeRequestPlan[]> {
    const stats = await this.store.geneSampleStats(target.model.id, target.genome.id);
    return planRequests(genes.length, stats, job.samplesPerGene, target.provider.capabilities.maxSamplesPerRequest);
  }

  /** The (gene, sample index) pairs already stored for the model on the genome. */
  private async storedIndices({ target }: BatchRun): Promise<Set<string>> {
    const found = new Set<string>();
    for (let after: number | null = null; ;) {
      const page = await this.store.listSamples(
        { modelId: target.model.id, genomeId: target.genome.id },
        after,
        10_000,
      );
      for (const sample of page) found.add(`${sample.geneIndex}:${sample.sampleIndex}`);
      if (page.length < 10_000) return found;
      after = page[page.length - 1].id;
    }
  }

  private requestOf({ job, target, genes }: BatchRun, request: ProbeRequestPlan, tag: string) {
    const { model } = target;
    return {
      customId: customIdOf(request, tag),
      request: {
        model: model.providerModel ?? model.name,
        mode: model.mode,
        prompt: genes[request.gene],
        n: request.n,
        temperature: model.temperature,
        topP: model.topP,
        maxTokens: job.maxTokens,
      },
    };
  }

  private async save(run: BatchRun, state: BatchState): Promise<BatchState> {
    await this.store.updateJob(run.job.id, { batch: writeBatchState(state) });
    run.changed();
    return state;
  }

  private retrying<T>(run: BatchRun, call: (attempt: number) => Promise<T>): Promise<T> {
    return withRetry(call, { ...this.options.retry, signal: run.signal });
  }

  /** Sleeps until the next poll, or until the job is stopped or its turn ends. */
  private async wait(run: BatchRun): Promise<void> {
    const signals = [run.signal, ...(run.yieldTurn ? [run.yieldTurn] : [])];
    await sleep(this.options.pollMs, undefined, { signal: AbortSignal.any(signals) }).catch(() => undefined);
  }
}

/**
 * Cancels the batch a job has in flight at its provider (cancelJob), or the one its stored
 * submission may have started (looked for under its tag). Best effort: the job is cancelled here
 * whatever the provider answers, so a refusal is only reported.
 */
export async function cancelBatchOf(
  job: ProbeJobRow,
  registry: ProviderRegistry,
  providerId: string,
): Promise<string | undefined> {
  const state = readBatchState(job.batch);
  if (!state || !registry.has(providerId)) return undefined;
  const api = registry.get(providerId).batch;
  if (!api) return undefined;
  const pending = state.pending;
  const batchId =
    state.current?.id ??
    (pending ? await api.find(pending.tag, new Date(pending.at), pending.requests.length) : undefined);
  if (!batchId) return undefined;
  await api.cancel(batchId);
  return batchId;
}

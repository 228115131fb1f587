/**
 * Drift (issue 12): did the model behind an endpoint change? Every probing job of a model on a
 * genome is a round, and the samples it stored (tagged with the job and their time) are that
 * round's snapshot. `drift` compares each round with the one before it: Nei D and the p-value of
 * the identity permutation test (src/core/identity) between the two snapshots.
 *
 * `schedule` stores a standing order to re-probe every ISO 8601 duration; the schedule lives in
 * the database, so a restarted server carries on where it stopped (rounds due while it was down
 * run at the first tick). Each tick (every second by default):
 *   1. for every schedule, rounds finished since the last check are compared with their
 *      predecessor; p <= alpha (0.01) is a change: stored as a drift alert (once per pair of
 *      rounds, by a unique index) and, with a webhook configured, POSTed signed (webhook.ts);
 *   2. a due schedule whose model has no job running starts the next round.
 * One process runs the schedules (the one the server runs in); see README, "Drift".
 */
import type { Comparison } from '../../core/identity/compare';
import type { DriftAlertRow, GenomeRow, ModelRow, ProbeJobRow, ProbeScheduleRow, Store } from '../../db/store';
import type { Logger } from '../../logger';
import type { Compute } from '../compute';
import { badInput, notFound } from '../errors';
import type { GenomeService } from '../genome.service';
import { IDENTITY_SEED } from '../identity.service';
import { LruCache } from '../lru-cache';
import type { ModelService } from '../model.service';
import { ALLELE_LENGTH } from '../population.service';
import type { JobService } from '../probing/job.service';
import { REFERENCE_SAMPLES_PER_GENE } from '../probing/probe-target';
import { requireIntIn } from '../validate';
import { durationMs } from './iso-duration';
import { deliver, type WebhookOptions } from './webhook';

/** Significance level at which two successive rounds count as a change. */
export const DRIFT_ALPHA = 0.01;
/** Shortest period a schedule may have. */
export const MIN_PERIOD_MS = 1000;

export interface DriftOptions {
  webhook?: WebhookOptions;
  /** how often due schedules are looked for (default 1 s) */
  tickMs?: number;
  logger?: Logger;
}

export interface DriftStepView extends Comparison {
  fromJobId: number;
  toJobId: number;
  /** when the later round finished */
  at: string;
  changed: boolean;
}

export interface ScheduleView {
  id: number;
  model: ModelRow;
  genome: GenomeRow;
  every: string;
  samplesPerGene: number;
  nextAt: string;
}

export class DriftService {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** comparisons of finished rounds (their samples never change), a few hundred bytes each */
  private readonly steps = new LruCache<Comparison>(100_000);

  constructor(
    private readonly store: Store,
    private readonly models: ModelService,
    private readonly genomes: GenomeService,
    private readonly jobs: JobService,
    private readonly compute: Compute,
    private readonly options: DriftOptions = {},
  ) {}

  /** Stores (or replaces) the schedule; its first round starts at the next tick. */
  async schedule(input: {
    model: string;
    genome: string;
    every: string;
    samplesPerGene?: number | null;
  }): Promise<ScheduleView> {
    const everyMs = durationMs(input.every);
    if (everyMs < MIN_PERIOD_MS) throw badPeriod(input.every);
    const samplesPerGene = requireIntIn('samplesPerGene', input.samplesPerGene ?? REFERENCE_SAMPLES_PER_GENE, 1, 1024);
    const model = await this.models.get(input.model);
    const genome = await this.genomes.get(input.genome);
    // the checks of startProbing (provider loaded and configured, not external), before storing
    await this.jobs.estimate({ model: String(model.id), genome: String(genome.id), samplesPerGene });
    const row = await this.store.putSchedule({
      modelId: model.id,
      genomeId: genome.id,
      every: input.every,
      everyMs,
      samplesPerGene,
      nextAt: Date.now(),
    });
    this.kick();
    return scheduleView(row, model, genome);
  }

  /** Removes a schedule; false when there was none. Rounds and alerts stay. */
  async unschedule(input: { model: string; genome: string }): Promise<boolean> {
    const model = await this.models.get(input.model);
    const genome = await this.genomes.get(input.genome);
    return this.store.deleteSchedule(model.id, genome.id);
  }

  async schedules(): Promise<ScheduleView[]> {
    const rows = await this.store.listSchedules();
    return Promise.all(
      rows.map(async (row) =>
        scheduleView(row, await this.models.get(String(row.modelId)), await this.genomes.get(String(row.genomeId))),
      ),
    );
  }

  /** Every pair of successive rounds of the model on the genome, oldest first. */
  async drift(input: { model: string; genome: string }): Promise<DriftStepView[]> {
    const model = await this.models.get(input.model);
    const genome = await this.genomes.get(input.genome);
    const rounds = await this.rounds(model.id, genome.id);
    const steps: DriftStepView[] = [];
    for (let r = 1; r < rounds.length; r++) steps.push(await this.step(genome, rounds[r - 1], rounds[r]));
    return steps;
  }

  async alerts(input: { model?: string | null; genome?: string | null }, limit = 100): Promise<DriftAlertRow[]> {
    const modelId = input.model ? (await this.models.get(input.model)).id : undefined;
    const genomeId = input.genome ? (await this.genomes.get(input.genome)).id : undefined;
    requireIntIn('first', limit, 1, 1000);
    return this.store.listDriftAlerts({ modelId, genomeId }, limit);
  }

  /** Starts the schedule loop (src/app.ts, after jobs resume). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.options.tickMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /**
   * Stops the loop and waits for the tick under way. Webhook deliveries still retrying go on in
   * the background (they touch no storage) rather than holding the shutdown for their backoff.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** One pass over the schedules now (ticks never overlap). */
  kick(): Promise<void> {
    this.ticking ??= this.tick()
      .catch((error: unknown) => this.options.logger?.log('warn', 'drift schedule tick failed', { error }))
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  private async tick(): Promise<void> {
    for (const schedule of await this.store.listSchedules()) {
      await this.checkRounds(schedule);
      if (schedule.nextAt > Date.now()) continue;
      const active = await this.store.listJobs(
        { statuses: ['QUEUED', 'RUNNING'], modelId: schedule.modelId, genomeId: schedule.genomeId },
        null,
        1,
      );
      if (active.length > 0) continue;
      // several processes may tick over one database: the one whose claim moves nextAt starts the round
      if (!(await this.store.claimScheduleRound(schedule.id, schedule.nextAt, Date.now() + schedule.everyMs))) continue;
      await this.jobs.startRound({
        model: String(schedule.modelId),
        genome: String(schedule.genomeId),
        samplesPerGene: schedule.samplesPerGene,
      });
    }
  }

  /** Compares each round finished since the last check with the one before; alerts on a change. */
  private async checkRounds(schedule: ProbeScheduleRow): Promise<void> {
    const rounds = await this.rounds(schedule.modelId, schedule.genomeId);
    const genome = await this.genomes.get(String(schedule.genomeId));
    for (let r = 1; r < rounds.length; r++) {
      if (schedule.checkedJobId !== null && rounds[r].id <= schedule.checkedJobId) continue;
      const step = await this.step(genome, rounds[r - 1], rounds[r]);
      if (step.changed) await this.alert(schedule, step);
      await this.store.updateSchedule(schedule.id, { checkedJobId: rounds[r].id });
    }
  }

  private async alert(schedule: ProbeScheduleRow, step: DriftStepView): Promise<void> {
    const row = await this.store.addDriftAlert({
      modelId: schedule.modelId,
      genomeId: schedule.genomeId,
      fromJobId: step.fromJobId,
      toJobId: step.toJobId,
      distance: step.distance!,
      pValue: step.pValue!,
    });
    if (!row) return;
    this.options.logger?.log('warn', 'drift detected', { alert: row.id, model: row.modelId, genome: row.genomeId });
    const webhook = this.options.webhook;
    if (!webhook) return;
    const model = await this.models.get(String(row.modelId));
    const genome = await this.genomes.get(String(row.genomeId));
    const payload = {
      event: 'drift',
      alert: {
        id: String(row.id),
        model: { id: String(model.id), name: model.name },
        genome: { id: String(genome.id), name: genome.name },
        fromJob: String(row.fromJobId),
        toJob: String(row.toJobId),
        distance: row.distance,
        pValue: row.pValue,
        alpha: DRIFT_ALPHA,
        createdAt: row.createdAt,
      },
    };
    void deliver(webhook, payload, this.options.logger);
  }

  /**
   * Successful probing jobs that asked the provider for samples, oldest first: the rounds (a job
   * that found every sample already stored made no request and has no snapshot of its own).
   */
  private async rounds(modelId: number, genomeId: number): Promise<ProbeJobRow[]> {
    const jobs = await this.store.listJobs({ statuses: ['SUCCEEDED'], modelId, genomeId }, null, 100_000);
    return jobs.filter((job) => job.requests > 0);
  }

  private async step(genome: GenomeRow, from: ProbeJobRow, to: ProbeJobRow): Promise<DriftStepView> {
    const key = `${from.id}:${to.id}`;
    let comparison = this.steps.get(key);
    if (!comparison) {
      const [a, b] = await Promise.all([this.snapshot(genome, from.id), this.snapshot(genome, to.id)]);
      comparison = await this.compute.run('compare', { a, b, seed: IDENTITY_SEED });
      this.steps.set(key, comparison);
    }
    const changed = comparison.pValue !== null && comparison.pValue <= DRIFT_ALPHA;
    return { ...comparison, fromJobId: from.id, toJobId: to.id, at: to.finishedAt ?? to.createdAt, changed };
  }

  /** One round's allele counts (JSON text), counted from the samples its job stored. */
  private async snapshot(genome: GenomeRow, jobId: number): Promise<string> {
    const samples = await this.store.jobSampleTexts(jobId);
    if (samples.length === 0) throw notFound(`round ${jobId} has no samples`);
    return this.compute.run('recount', {
      geneCount: genome.geneCount,
      alleleLength: ALLELE_LENGTH,
      genes: samples.map((s) => s.gene),
      texts: samples.map((s) => s.text),
    });
  }
}

function scheduleView(row: ProbeScheduleRow, model: ModelRow, genome: GenomeRow): ScheduleView {
  return {
    id: row.id,
    model,
    genome,
    every: row.every,
    samplesPerGene: row.samplesPerGene,
    nextAt: new Date(row.nextAt).toISOString(),
  };
}

function badPeriod(every: string) {
  return badInput(`every must be at least ${MIN_PERIOD_MS / 1000} s, got "${every}"`);
}

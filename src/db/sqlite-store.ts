/**
 * The `Store` on SQLite (better-sqlite3 through drizzle-orm). better-sqlite3 transactions are
 * synchronous, which is what makes each method atomic: nothing else runs on this connection
 * between BEGIN and COMMIT.
 */
import { checkAppendKeys } from './append-keys';
import { grownPopulation } from './population-growth';
import { accessSync, constants } from 'node:fs';
import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database, Statement } from 'better-sqlite3';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { BlobWriter } from './blob-writer';
import type { DatabaseHandle, Db } from './client';
import {
  benchmarkRanges,
  driftAlerts,
  genes,
  genomes,
  meta,
  models,
  populations,
  probeJobs,
  probeRequests,
  probeSchedules,
  samples,
  scores,
} from './schema';
import { inChunks } from './in-chunks';
import { FaultLog, isUniqueViolation } from './storage-errors';
import { DuplicateError } from './store';
import type {
  BenchmarkRangeRow,
  GeneSampleStats,
  JobFilter,
  JobPatch,
  NewJob,
  ProbeJobRow,
  AppendSamplesInput,
  DriftAlertRow,
  NewDriftAlert,
  NewSchedule,
  ProbeScheduleRow,
  SchedulePatch,
  AppendSamplesResult,
  ComputationRow,
  GenomeRow,
  ModelFilter,
  ModelRow,
  NewComputation,
  PopulationRevision,
  PopulationState,
  ScoreEntry,
  ScoreRow,
  Store,
  StoredSample,
  StoreHealth,
} from './store';
import type { NewModelRow } from './schema';

/** SQLite allows 32,766 bound variables per statement; stay well below it. */
const INSERT_CHUNK = 2000;
const DATA_REVISION = 'data_revision';
/** bumped with every change to populations (samples appended, a model or genome deleted) */
const POPULATIONS_REVISION = 'populations_revision';

/**
 * Every write transaction takes the write lock at BEGIN. A deferred transaction that reads first
 * and writes later (appendSamples, claimJob) cannot upgrade its lock once another process has
 * committed since its read began: in WAL mode SQLite fails it with SQLITE_BUSY at once, without
 * calling the busy handler, so busy_timeout does not help (https://www.sqlite.org/wal.html,
 * "Concurrency"; https://sqlite.org/lang_transaction.html). BEGIN IMMEDIATE waits (or fails) at
 * the start instead, before any work, where resilient-store.ts retries it.
 */
const IMMEDIATE = { behavior: 'immediate' } as const;

export class SqliteStore implements Store {
  private readonly db: Db;
  private readonly sqlite: Database;
  /** storage faults seen by the methods (recorded by resilient-store.ts), for `health()` */
  readonly faults = new FaultLog();
  /** cached computations and their claims (client.ts: a worker thread for a file) */
  private readonly computations: BlobWriter;
  /**
   * The one hot write path, as a prepared statement: building a 4,096-row insert through
   * drizzle's query builder costs ~100 ms, this costs a few.
   */
  private readonly insertSample: Statement<unknown[], { id: number } | undefined>;
  /**
   * Read on every request the response cache could answer (its key includes the revision):
   * through the query builder this was about a third of the server's time on a cache hit.
   */
  private readonly selectMetaValue: Statement<[string], { value: number } | undefined>;
  /**
   * Lookups made on every request that names a model or a genome, and the revisions the cost
   * model reads for every matrix or tree: prepared once. Through the query builder, SQLite
   * compiled each anew, which was the largest cost of the server under 500 mixed clients.
   */
  private readonly lookups;
  /** the model and the genome's gene count an append names (append-keys.ts) */
  private readonly appendKeys: Statement<[number, number], { model: number | null; geneCount: number | null }>;

  constructor(handle: DatabaseHandle) {
    this.db = handle.db;
    this.sqlite = handle.sqlite;
    this.selectMetaValue = handle.sqlite.prepare('SELECT value FROM meta WHERE key = ?');
    this.computations = handle.computations;
    this.lookups = preparedLookups(handle.db);
    this.appendKeys = handle.sqlite.prepare(
      'SELECT (SELECT id FROM models WHERE id = ?) AS model, (SELECT gene_count FROM genomes WHERE id = ?) AS geneCount',
    );
    this.insertSample = handle.sqlite.prepare(
      `INSERT INTO samples (model_id, genome_id, gene_index, sample_index, text, source, job_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
    );
  }

  async health(): Promise<StoreHealth> {
    const fault = this.faults.current();
    if (fault) return { ok: false, reason: fault };
    if (!this.sqlite.open) return { ok: false, reason: 'the database is closed' };
    if (this.sqlite.readonly || this.sqlite.pragma('query_only', { simple: true }) === 1) {
      return { ok: false, reason: 'the database connection is read-only' };
    }
    if (!this.sqlite.memory) {
      try {
        accessSync(this.sqlite.name, constants.W_OK);
      } catch {
        return { ok: false, reason: 'the database file is read-only (no write permission)' };
      }
    }
    return { ok: true };
  }

  async dataRevision(): Promise<number> {
    return this.readDataRevision();
  }

  async populationsRevision(): Promise<number> {
    return this.selectMetaValue.get(POPULATIONS_REVISION)?.value ?? 0;
  }

  private readDataRevision(): number {
    return this.selectMetaValue.get(DATA_REVISION)?.value ?? 0;
  }

  /** Called inside every transaction that changes user data (and with the populations' key, them). */
  private bumpDataRevision(tx: Db, key = DATA_REVISION): void {
    tx.insert(meta)
      .values({ key, value: 1 })
      .onConflictDoUpdate({ target: meta.key, set: { value: sql`${meta.value} + 1` } })
      .run();
  }

  async createModel(input: NewModelRow): Promise<ModelRow> {
    return uniquely(`a model named "${input.name}" already exists`, () =>
      this.db.transaction((tx) => {
        const row = tx.insert(models).values(input).returning().get();
        this.bumpDataRevision(tx);
        return row;
      }, IMMEDIATE),
    );
  }

  async deleteModel(id: number): Promise<void> {
    this.db.transaction((tx) => {
      tx.delete(models).where(eq(models.id, id)).run();
      this.bumpDataRevision(tx);
      this.bumpDataRevision(tx, POPULATIONS_REVISION);
    }, IMMEDIATE);
  }

  async getModel(id: number): Promise<ModelRow | undefined> {
    return this.lookups.modelById.get({ id });
  }

  async getModelByName(name: string): Promise<ModelRow | undefined> {
    return this.lookups.modelByName.get({ name });
  }

  async getModels(ids: readonly number[]): Promise<ModelRow[]> {
    return ids.length === 0 ? [] : this.lookups.modelsByIds.all({ list: JSON.stringify(ids) });
  }

  async getModelsByNames(names: readonly string[]): Promise<ModelRow[]> {
    return names.length === 0 ? [] : this.lookups.modelsByNames.all({ list: JSON.stringify(names) });
  }

  private modelConditions(filter: ModelFilter): SQL[] {
    const conditions: SQL[] = [];
    if (filter.provider !== undefined) conditions.push(eq(models.provider, filter.provider));
    if (filter.family !== undefined) conditions.push(eq(models.family, filter.family));
    if (filter.mode !== undefined) conditions.push(eq(models.mode, filter.mode));
    if (filter.nameContains !== undefined) {
      // LIKE is case-insensitive for ASCII in SQLite; escape its wildcards so they match literally.
      const escaped = filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`);
      conditions.push(sql`${models.name} LIKE ${`%${escaped}%`} ESCAPE '\\'`);
    }
    if (filter.genomeId !== undefined) {
      conditions.push(
        sql`EXISTS (SELECT 1 FROM ${populations} WHERE ${populations.modelId} = ${models.id} AND ${populations.genomeId} = ${filter.genomeId})`,
      );
    }
    return conditions;
  }

  async listModels(filter: ModelFilter, afterId: number | null, limit: number): Promise<ModelRow[]> {
    const conditions = this.modelConditions(filter);
    if (afterId !== null) conditions.push(gt(models.id, afterId));
    return this.db
      .select()
      .from(models)
      .where(and(...conditions))
      .orderBy(asc(models.id))
      .limit(limit)
      .all();
  }

  async countModels(filter: ModelFilter): Promise<number> {
    const row = this.db
      .select({ n: sql<number>`count(*)` })
      .from(models)
      .where(and(...this.modelConditions(filter)))
      .get();
    return row?.n ?? 0;
  }

  async createGenome(input: {
    name: string;
    fingerprint: string;
    genes: readonly string[];
    design?: string | null;
  }): Promise<GenomeRow> {
    return uniquely(`a genome named "${input.name}" already exists`, () =>
      this.db.transaction((tx) => {
        const genome = tx
          .insert(genomes)
          .values({
            name: input.name,
            fingerprint: input.fingerprint,
            geneCount: input.genes.length,
            design: input.design ?? null,
          })
          .returning()
          .get();
        const rows = input.genes.map((text, index) => ({ genomeId: genome.id, index, text }));
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          tx.insert(genes)
            .values(rows.slice(i, i + INSERT_CHUNK))
            .run();
        }
        this.bumpDataRevision(tx);
        return genome;
      }, IMMEDIATE),
    );
  }

  async deleteGenome(id: number): Promise<void> {
    this.db.transaction((tx) => {
      tx.delete(genomes).where(eq(genomes.id, id)).run();
      this.bumpDataRevision(tx);
      this.bumpDataRevision(tx, POPULATIONS_REVISION);
    }, IMMEDIATE);
  }

  async getGenome(id: number): Promise<GenomeRow | undefined> {
    return this.lookups.genomeById.get({ id });
  }

  async getGenomeByName(name: string): Promise<GenomeRow | undefined> {
    return this.lookups.genomeByName.get({ name });
  }

  async listGenomes(): Promise<GenomeRow[]> {
    return this.db.select().from(genomes).orderBy(asc(genomes.id)).all();
  }

  async listGenes(genomeId: number, afterIndex: number | null, limit: number) {
    const conditions = [eq(genes.genomeId, genomeId)];
    if (afterIndex !== null) conditions.push(gt(genes.index, afterIndex));
    return this.db
      .select({ index: genes.index, text: genes.text })
      .from(genes)
      .where(and(...conditions))
      .orderBy(asc(genes.index))
      .limit(limit)
      .all();
  }

  async geneTexts(genomeId: number): Promise<string[]> {
    const rows = await this.listGenes(genomeId, null, Number.MAX_SAFE_INTEGER);
    return rows.map((r) => r.text);
  }

  async appendSamples(input: AppendSamplesInput): Promise<AppendSamplesResult> {
    const { modelId, genomeId } = input;
    return this.db.transaction((tx) => {
      checkAppendKeys(this.appendKeys.get(modelId, genomeId)!, modelId, genomeId, input.samples);
      const next = this.nextSampleIndices(tx, modelId, genomeId);
      const rows = input.samples.map((s) => {
        let sampleIndex = s.sampleIndex;
        if (sampleIndex === undefined) {
          sampleIndex = next.get(s.gene) ?? 0;
        }
        next.set(s.gene, Math.max(next.get(s.gene) ?? 0, sampleIndex + 1));
        return {
          modelId,
          genomeId,
          geneIndex: s.gene,
          sampleIndex,
          text: s.text,
          source: input.source,
          jobId: input.jobId ?? null,
        };
      });
      const inserted: { id: number; gene: number; text: string }[] = [];
      const createdAt = new Date().toISOString();
      for (const r of rows) {
        const got = this.insertSample.get(
          r.modelId,
          r.genomeId,
          r.geneIndex,
          r.sampleIndex,
          r.text,
          r.source,
          r.jobId,
          createdAt,
        );
        if (got) inserted.push({ id: got.id, gene: r.geneIndex, text: r.text });
      }
      if (input.request) this.recordRequest(tx, input.request, inserted.length);
      const previous = this.readPopulation(tx, modelId, genomeId);
      if (inserted.length === 0) {
        return { accepted: 0, rejected: rows.length, population: previous };
      }
      const population = grownPopulation(input, previous, inserted);
      tx.insert(populations)
        .values(population)
        .onConflictDoUpdate({
          target: [populations.modelId, populations.genomeId],
          set: {
            revision: population.revision,
            sampleCount: population.sampleCount,
            alleleLength: population.alleleLength,
            counts: population.counts,
          },
        })
        .run();
      this.bumpDataRevision(tx);
      this.bumpDataRevision(tx, POPULATIONS_REVISION);
      return { accepted: inserted.length, rejected: rows.length - inserted.length, population };
    }, IMMEDIATE);
  }

  private recordRequest(tx: Db, request: NonNullable<AppendSamplesInput['request']>, accepted: number): void {
    tx.insert(probeRequests)
      .values({
        jobId: request.jobId,
        geneIndex: request.gene,
        samples: request.samples,
        promptTokens: request.promptTokens,
        completionTokens: request.completionTokens,
        costUsd: request.costUsd,
      })
      .run();
    tx.update(probeJobs)
      .set({
        completed: sql`${probeJobs.completed} + ${accepted}`,
        requests: sql`${probeJobs.requests} + 1`,
        promptTokens: sql`${probeJobs.promptTokens} + ${request.promptTokens}`,
        completionTokens: sql`${probeJobs.completionTokens} + ${request.completionTokens}`,
        costUsd: sql`${probeJobs.costUsd} + ${request.costUsd}`,
      })
      .where(eq(probeJobs.id, request.jobId))
      .run();
    this.bumpDataRevision(tx);
  }

  /** Next free sample index per gene for one (model, genome). */
  private nextSampleIndices(tx: Db, modelId: number, genomeId: number): Map<number, number> {
    const rows = tx
      .select({ gene: samples.geneIndex, last: sql<number>`max(${samples.sampleIndex})` })
      .from(samples)
      .where(and(eq(samples.modelId, modelId), eq(samples.genomeId, genomeId)))
      .groupBy(samples.geneIndex)
      .all();
    return new Map(rows.map((r) => [r.gene, r.last + 1]));
  }

  private readPopulation(tx: Db, modelId: number, genomeId: number): PopulationState | null {
    return (
      tx
        .select()
        .from(populations)
        .where(and(eq(populations.modelId, modelId), eq(populations.genomeId, genomeId)))
        .get() ?? null
    );
  }

  async listSamples(
    query: { modelId: number; genomeId: number; gene?: number },
    afterId: number | null,
    limit: number,
  ): Promise<StoredSample[]> {
    const conditions = [eq(samples.modelId, query.modelId), eq(samples.genomeId, query.genomeId)];
    if (query.gene !== undefined) conditions.push(eq(samples.geneIndex, query.gene));
    if (afterId !== null) conditions.push(gt(samples.id, afterId));
    return this.db
      .select()
      .from(samples)
      .where(and(...conditions))
      .orderBy(asc(samples.id))
      .limit(limit)
      .all();
  }

  async sampleTexts(modelId: number, genomeId: number): Promise<{ gene: number; text: string }[]> {
    return this.db
      .select({ gene: samples.geneIndex, text: samples.text })
      .from(samples)
      .where(and(eq(samples.modelId, modelId), eq(samples.genomeId, genomeId)))
      .all();
  }

  async jobSampleTexts(jobId: number): Promise<{ gene: number; text: string }[]> {
    return this.db
      .select({ gene: samples.geneIndex, text: samples.text })
      .from(samples)
      .where(eq(samples.jobId, jobId))
      .all();
  }

  async putSchedule(schedule: NewSchedule): Promise<ProbeScheduleRow> {
    return this.db.transaction((tx) => {
      const { every, everyMs, samplesPerGene, nextAt } = schedule;
      const row = tx
        .insert(probeSchedules)
        .values(schedule)
        .onConflictDoUpdate({
          target: [probeSchedules.modelId, probeSchedules.genomeId],
          set: { every, everyMs, samplesPerGene, nextAt },
        })
        .returning()
        .get();
      this.bumpDataRevision(tx);
      return row;
    }, IMMEDIATE);
  }

  async listSchedules(): Promise<ProbeScheduleRow[]> {
    return this.db.select().from(probeSchedules).orderBy(asc(probeSchedules.id)).all();
  }

  async updateSchedule(id: number, patch: SchedulePatch): Promise<void> {
    this.db.update(probeSchedules).set(patch).where(eq(probeSchedules.id, id)).run();
  }

  async claimScheduleRound(id: number, dueAt: number, nextAt: number): Promise<boolean> {
    const { changes } = this.db
      .update(probeSchedules)
      .set({ nextAt })
      .where(and(eq(probeSchedules.id, id), eq(probeSchedules.nextAt, dueAt)))
      .run();
    return changes === 1;
  }

  async deleteSchedule(modelId: number, genomeId: number): Promise<boolean> {
    return this.db.transaction((tx) => {
      const { changes } = tx
        .delete(probeSchedules)
        .where(and(eq(probeSchedules.modelId, modelId), eq(probeSchedules.genomeId, genomeId)))
        .run();
      if (changes > 0) this.bumpDataRevision(tx);
      return changes > 0;
    }, IMMEDIATE);
  }

  async addDriftAlert(alert: NewDriftAlert): Promise<DriftAlertRow | undefined> {
    return this.db.transaction((tx) => {
      const row = tx.insert(driftAlerts).values(alert).onConflictDoNothing().returning().get();
      if (row) this.bumpDataRevision(tx);
      return row;
    }, IMMEDIATE);
  }

  async listDriftAlerts(filter: { modelId?: number; genomeId?: number }, limit: number): Promise<DriftAlertRow[]> {
    const conditions: SQL[] = [];
    if (filter.modelId !== undefined) conditions.push(eq(driftAlerts.modelId, filter.modelId));
    if (filter.genomeId !== undefined) conditions.push(eq(driftAlerts.genomeId, filter.genomeId));
    return this.db
      .select()
      .from(driftAlerts)
      .where(and(...conditions))
      .orderBy(desc(driftAlerts.id))
      .limit(limit)
      .all();
  }

  async geneSampleStats(modelId: number, genomeId: number): Promise<Map<number, GeneSampleStats>> {
    const rows = this.db
      .select({ gene: samples.geneIndex, count: sql<number>`count(*)`, last: sql<number>`max(${samples.sampleIndex})` })
      .from(samples)
      .where(and(eq(samples.modelId, modelId), eq(samples.genomeId, genomeId)))
      .groupBy(samples.geneIndex)
      .all();
    return new Map(rows.map((r) => [r.gene, { count: r.count, nextIndex: r.last + 1 }]));
  }

  async getPopulations(genomeId: number, modelIds?: readonly number[]): Promise<PopulationState[]> {
    const query = (chunk?: number[]) =>
      this.db
        .select()
        .from(populations)
        .where(and(eq(populations.genomeId, genomeId), chunk && inArray(populations.modelId, chunk)))
        .orderBy(asc(populations.modelId))
        .all();
    return modelIds ? inChunks(modelIds, query) : query();
  }

  async populationRevisions(genomeId: number, modelIds?: readonly number[]): Promise<PopulationRevision[]> {
    return modelIds
      ? this.lookups.revisionsOfModels.all({ genomeId, list: JSON.stringify(modelIds) })
      : this.lookups.revisionsOnGenome.all({ genomeId });
  }

  async setScores(entries: readonly ScoreEntry[], ranges: readonly BenchmarkRangeRow[] = []): Promise<ScoreRow[]> {
    const updatedAt = new Date().toISOString();
    return this.db.transaction((tx) => {
      for (const r of ranges) {
        tx.insert(benchmarkRanges)
          .values(r)
          .onConflictDoUpdate({ target: benchmarkRanges.benchmark, set: { low: r.low, high: r.high } })
          .run();
      }
      const rows = entries.map((e) =>
        tx
          .insert(scores)
          .values({ ...e, updatedAt })
          .onConflictDoUpdate({ target: [scores.modelId, scores.benchmark], set: { value: e.value, updatedAt } })
          .returning()
          .get(),
      );
      this.bumpDataRevision(tx);
      return rows;
    }, IMMEDIATE);
  }

  async benchmarkRanges(): Promise<BenchmarkRangeRow[]> {
    return this.db.select().from(benchmarkRanges).orderBy(asc(benchmarkRanges.benchmark)).all();
  }

  async scoresOf(modelIds: readonly number[]): Promise<ScoreRow[]> {
    return inChunks(modelIds, (chunk) =>
      this.db
        .select()
        .from(scores)
        .where(inArray(scores.modelId, chunk))
        .orderBy(asc(scores.modelId), asc(scores.benchmark))
        .all(),
    );
  }

  async scoresFor(benchmark: string): Promise<ScoreRow[]> {
    return this.db.select().from(scores).where(eq(scores.benchmark, benchmark)).orderBy(asc(scores.modelId)).all();
  }

  async benchmarkNames(): Promise<string[]> {
    const rows = this.db
      .selectDistinct({ benchmark: scores.benchmark })
      .from(scores)
      .orderBy(asc(scores.benchmark))
      .all();
    return rows.map((r) => r.benchmark);
  }

  async createJob(job: NewJob): Promise<ProbeJobRow> {
    return this.db.transaction((tx) => {
      const row = tx.insert(probeJobs).values(job).returning().get();
      this.bumpDataRevision(tx);
      return row;
    }, IMMEDIATE);
  }

  async getJob(id: number): Promise<ProbeJobRow | undefined> {
    return this.db.select().from(probeJobs).where(eq(probeJobs.id, id)).get();
  }

  async listJobs(filter: JobFilter, afterId: number | null, limit: number): Promise<ProbeJobRow[]> {
    const conditions: SQL[] = [];
    if (filter.statuses) conditions.push(inArray(probeJobs.status, [...filter.statuses]));
    if (filter.modelId !== undefined) conditions.push(eq(probeJobs.modelId, filter.modelId));
    if (filter.genomeId !== undefined) conditions.push(eq(probeJobs.genomeId, filter.genomeId));
    if (afterId !== null) conditions.push(gt(probeJobs.id, afterId));
    return this.db
      .select()
      .from(probeJobs)
      .where(and(...conditions))
      .orderBy(asc(probeJobs.id))
      .limit(limit)
      .all();
  }

  async countJobsByStatus(): Promise<Partial<Record<ProbeJobRow['status'], number>>> {
    const rows = this.db
      .select({ status: probeJobs.status, count: sql<number>`count(*)` })
      .from(probeJobs)
      .groupBy(probeJobs.status)
      .all();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
  }

  async updateJob(id: number, patch: JobPatch): Promise<ProbeJobRow> {
    return this.db.transaction((tx) => {
      const row = tx.update(probeJobs).set(patch).where(eq(probeJobs.id, id)).returning().get();
      if (!row) throw new Error(`no probe job ${id}`);
      this.bumpDataRevision(tx);
      return row;
    }, IMMEDIATE);
  }

  async claimJob(id: number, owner: string, now: number, leaseUntil: number): Promise<ProbeJobRow | undefined> {
    return this.db.transaction((tx) => {
      const row = tx
        .update(probeJobs)
        .set({
          owner,
          leaseUntil,
          status: 'RUNNING',
          startedAt: sql`coalesce(${probeJobs.startedAt}, ${new Date(now).toISOString()})`,
        })
        .where(
          and(
            eq(probeJobs.id, id),
            inArray(probeJobs.status, ['QUEUED', 'RUNNING']),
            sql`(${probeJobs.owner} IS NULL OR ${probeJobs.owner} = ${owner} OR ${probeJobs.leaseUntil} IS NULL OR ${probeJobs.leaseUntil} < ${now})`,
          ),
        )
        .returning()
        .get();
      if (row) this.bumpDataRevision(tx);
      return row;
    }, IMMEDIATE);
  }

  async renewJobLease(id: number, owner: string, leaseUntil: number): Promise<boolean> {
    const result = this.db
      .update(probeJobs)
      .set({ leaseUntil })
      .where(and(eq(probeJobs.id, id), eq(probeJobs.owner, owner), eq(probeJobs.status, 'RUNNING')))
      .run();
    return result.changes > 0;
  }

  async releaseJob(id: number, owner: string): Promise<void> {
    this.db
      .update(probeJobs)
      .set({ owner: null, leaseUntil: null })
      .where(and(eq(probeJobs.id, id), eq(probeJobs.owner, owner)))
      .run();
  }

  async getComputation(key: string): Promise<ComputationRow | undefined> {
    return this.computations.get(key);
  }

  async recentComputations(genomeId: number, kind: string, limit: number): Promise<ComputationRow[]> {
    return this.computations.recent(genomeId, kind, limit);
  }

  async computationIndex(genomeId: number, kind: string) {
    return this.computations.index(genomeId, kind);
  }

  async putComputation(entry: NewComputation): Promise<void> {
    return this.computations.put(entry, new Date().toISOString());
  }

  async touchComputation(key: string): Promise<void> {
    return this.computations.touch(key, new Date().toISOString());
  }

  async deleteComputations(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) return this.computations.delete(keys);
  }

  async claimComputation(key: string, owner: string, now: number, until: number): Promise<boolean> {
    return this.computations.claim(key, owner, now, until);
  }

  async releaseComputation(key: string, owner: string): Promise<void> {
    return this.computations.release(key, owner);
  }
}

/** Runs a write, turning SQLite's unique-constraint failure into a `DuplicateError`. */
function uniquely<T>(message: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(message);
    throw error;
  }
}

/**
 * `column IN (the list)` with the list passed as one JSON array parameter (SQLite's json_each):
 * one prepared statement for lists of any length, where `inArray` builds and prepares new SQL
 * for every call and every length (a tenth of the event loop under 500 clients).
 */
const inJsonList = (column: SQLiteColumn) =>
  sql`${column} IN (SELECT value FROM json_each(${sql.placeholder('list')}))`;

/** The hot lookups (single rows, id and name lists, revisions), as drizzle prepared queries. */
function preparedLookups(db: Db) {
  return {
    modelsByIds: db.select().from(models).where(inJsonList(models.id)).prepare(),
    modelsByNames: db.select().from(models).where(inJsonList(models.name)).prepare(),
    revisionsOfModels: db
      .select({ modelId: populations.modelId, revision: populations.revision, sampleCount: populations.sampleCount })
      .from(populations)
      .where(and(eq(populations.genomeId, sql.placeholder('genomeId')), inJsonList(populations.modelId)))
      .orderBy(asc(populations.modelId))
      .prepare(),
    modelById: db
      .select()
      .from(models)
      .where(eq(models.id, sql.placeholder('id')))
      .prepare(),
    modelByName: db
      .select()
      .from(models)
      .where(eq(models.name, sql.placeholder('name')))
      .prepare(),
    genomeById: db
      .select()
      .from(genomes)
      .where(eq(genomes.id, sql.placeholder('id')))
      .prepare(),
    genomeByName: db
      .select()
      .from(genomes)
      .where(eq(genomes.name, sql.placeholder('name')))
      .prepare(),
    revisionsOnGenome: db
      .select({ modelId: populations.modelId, revision: populations.revision, sampleCount: populations.sampleCount })
      .from(populations)
      .where(eq(populations.genomeId, sql.placeholder('genomeId')))
      .orderBy(asc(populations.modelId))
      .prepare(),
  };
}

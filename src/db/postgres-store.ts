/**
 * The `Store` on PostgreSQL (node-postgres through drizzle-orm), with the semantics of
 * `SqliteStore`: each mutating method is one transaction, and every value reads back as SQLite
 * gives it (pg-schema.ts). Where SQLite gets atomicity from its single writer, this store gets
 * it from PostgreSQL's locks, because several processes write at once:
 *
 * - appendSamples takes a transaction-level advisory lock on (model, genome) before it reads the
 *   next free sample indices and the population, so two writers to one population queue instead
 *   of both counting from the same snapshot (a lost update of the allele counts);
 * - claimJob is one conditional UPDATE: under READ COMMITTED a concurrent claim waits for the
 *   row lock and then re-checks the WHERE clause on the committed row
 *   (https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED), so
 *   exactly one owner wins;
 * - the data revision is one row incremented in place, bumped last in each transaction so its
 *   row lock is held only until the commit.
 */
import { checkAppendKeys } from './append-keys';
import { AppendGroup, groupable } from './pg-append-group';
import { grownPopulation } from './population-growth';
import { countJob, recordRequests, upsertPopulations } from './pg-append-sql';
import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type * as sqliteSchema from './schema';
import type { PgDb, PostgresHandle } from './postgres-client';
import {
  benchmarkRanges,
  computationClaims,
  computationParts,
  computations,
  driftAlerts,
  genes,
  genomes,
  meta,
  models,
  populations,
  probeJobs,
  probeSchedules,
  samples,
  scores,
} from './pg-schema';
import { partBounds } from './computation-parts';
import { inChunks } from './in-chunks';
import { copyByteaOut } from './pg-copy-out';
import { asStorageError, FaultLog, isUniqueViolation } from './storage-errors';
import { DuplicateError, UnstorableTextError } from './store';
import type {
  BenchmarkRangeRow,
  AppendSamplesInput,
  AppendSamplesResult,
  ComputationRow,
  DriftAlertRow,
  GeneSampleStats,
  GenomeRow,
  JobFilter,
  JobPatch,
  ModelFilter,
  ModelRow,
  NewComputation,
  NewDriftAlert,
  NewJob,
  NewSchedule,
  PopulationRevision,
  PopulationState,
  ProbeJobRow,
  ProbeScheduleRow,
  SchedulePatch,
  ScoreEntry,
  ScoreRow,
  Store,
  StoredSample,
  StoreHealth,
} from './store';
import type { NewModelRow } from './schema';

/**
 * Compile-time proof that PostgreSQL's rows have exactly SQLite's shapes (the `Store` interface
 * is written with SQLite's row types): a column added to one schema and not the other, or read
 * as another type, fails the build here.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameRows: [
  Same<typeof models.$inferSelect, typeof sqliteSchema.models.$inferSelect>,
  Same<typeof genomes.$inferSelect, typeof sqliteSchema.genomes.$inferSelect>,
  Same<typeof samples.$inferSelect, typeof sqliteSchema.samples.$inferSelect>,
  Same<typeof populations.$inferSelect, typeof sqliteSchema.populations.$inferSelect>,
  Same<typeof scores.$inferSelect, typeof sqliteSchema.scores.$inferSelect>,
  Same<typeof computations.$inferSelect, typeof sqliteSchema.computations.$inferSelect>,
  Same<typeof probeJobs.$inferSelect, typeof sqliteSchema.probeJobs.$inferSelect>,
  Same<typeof models.$inferInsert, typeof sqliteSchema.models.$inferInsert>,
  Same<typeof probeSchedules.$inferSelect, typeof sqliteSchema.probeSchedules.$inferSelect>,
  Same<typeof driftAlerts.$inferSelect, typeof sqliteSchema.driftAlerts.$inferSelect>,
] = [true, true, true, true, true, true, true, true, true, true];
void sameRows;

const DATA_REVISION = 'data_revision';
/** rows each revision counter is spread over (bumpDataRevision) */
const REVISION_SHARDS = 16;
const randomShard = () => Math.floor(Math.random() * REVISION_SHARDS);
const populationShard = (modelId: number, genomeId: number) => (modelId * 31 + genomeId) % REVISION_SHARDS;
/** bumped with every change to populations (samples appended, a model or genome deleted) */
const POPULATIONS_REVISION = 'populations_revision';

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** A population row as appendSamples reads it (json_build_object: bigint revision as a number) */
interface PopulationJson {
  revision: number | string;
  sampleCount: number;
  alleleLength: number;
  counts: string;
}

export class PostgresStore implements Store {
  private readonly db: PgDb;
  /** storage faults seen by the methods (recorded by resilient-store.ts), for `health()` */
  readonly faults = new FaultLog();
  private closed = false;
  /** the last append queued per population (`model:genome`) in this process, see appendSamples */
  private readonly appending = new Map<string, Promise<void>>();
  /** probing answers, written in groups (pg-append-group.ts) */
  private readonly answers: AppendGroup;

  constructor(private readonly handle: PostgresHandle) {
    this.db = handle.db;
    this.answers = new AppendGroup({
      transaction: (body) => this.db.transaction(body),
      revisionBump: (populations, modelId, genomeId) =>
        this.revisionBump(populations, populationShard(modelId, genomeId)),
    });
  }

  /** Ends the pool; `health()` then says so. */
  async close(): Promise<void> {
    this.closed = true;
    await this.handle.close();
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { ok: false, reason: 'the database connection pool is closed' };
    // one round trip, no table read: is the server there, and does it accept writes? A failure
    // here is reported, not recorded: the next successful check says ok again.
    let rows: { standby: boolean; readonly: string }[];
    try {
      ({ rows } = await this.handle.pool.query<{ standby: boolean; readonly: string }>(
        "SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS readonly",
      ));
    } catch (error) {
      const storage = asStorageError(error);
      return {
        ok: false,
        reason: storage ? `${storage.message} (${storage.code})` : 'the database server did not answer',
      };
    }
    // it answered: a connection lost earlier is no longer a fault; a full disk still is
    this.faults.reachedAgain();
    const fault = this.faults.current();
    if (fault) return { ok: false, reason: fault };
    if (rows[0].standby) return { ok: false, reason: 'the database server is a read-only standby' };
    if (rows[0].readonly === 'on') return { ok: false, reason: 'the database is read-only' };
    return { ok: true };
  }

  async dataRevision(): Promise<number> {
    return this.readMeta(DATA_REVISION);
  }

  async populationsRevision(): Promise<number> {
    return this.readMeta(POPULATIONS_REVISION);
  }

  /** A counter: the sum of its shards (see bumpDataRevision). */
  private async readMeta(key: string): Promise<number> {
    // a named (prepared) statement: read on every request the response cache could answer
    const { rows } = await this.handle.pool.query<{ value: string | null }>({
      name: 'phylolm-meta-sum',
      text: "SELECT sum(value) AS value FROM meta WHERE key = $1 OR starts_with(key, $1 || '#')",
      values: [key],
    });
    return rows[0].value === null ? 0 : Number(rows[0].value);
  }

  /**
   * Called last inside every transaction that changes user data (`populations`: and populations).
   * A writer holds the counter row it bumped until its commit, and every other writer of every
   * process bumping the same row waits for it: one row per counter made all writes of all
   * workers commit one after another (the workers bench, issue 10). So each counter is spread
   * over REVISION_SHARDS rows (`data_revision`, `data_revision#1`, ...) and read as their sum,
   * which still grows by one with each committed write; appends to one population, already
   * serialised by its lock, always take the same shard, other writes a random one. One
   * statement for both counters, data before populations (one lock order for all writers).
   */
  private async bumpDataRevision(tx: Tx, populations = false, shard = randomShard()): Promise<void> {
    await tx.execute(this.revisionBump(populations, shard));
  }

  async createModel(input: NewModelRow): Promise<ModelRow> {
    storable('the model', [input.name, input.provider, input.providerModel, input.family]);
    return uniquely(`a model named "${input.name}" already exists`, () =>
      this.db.transaction(async (tx) => {
        const [row] = await tx.insert(models).values(input).returning();
        await this.bumpDataRevision(tx);
        return row;
      }),
    );
  }

  async deleteModel(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      // the model row first: its lock waits for appends holding KEY SHARE on it and turns later
      // ones away, so the samples delete below sees every sample ever stored for it
      await tx.delete(models).where(eq(models.id, id));
      await tx.delete(samples).where(eq(samples.modelId, id));
      await this.bumpDataRevision(tx, true);
    });
  }

  async getModel(id: number): Promise<ModelRow | undefined> {
    return first(this.db.select().from(models).where(eq(models.id, id)));
  }

  async getModelByName(name: string): Promise<ModelRow | undefined> {
    return first(this.db.select().from(models).where(eq(models.name, name)));
  }

  async getModels(ids: readonly number[]): Promise<ModelRow[]> {
    return inChunks(ids, (chunk) => this.db.select().from(models).where(inArray(models.id, chunk)));
  }

  async getModelsByNames(names: readonly string[]): Promise<ModelRow[]> {
    return inChunks(names, (chunk) => this.db.select().from(models).where(inArray(models.name, chunk)));
  }

  private modelConditions(filter: ModelFilter): SQL[] {
    const conditions: SQL[] = [];
    if (filter.provider !== undefined) conditions.push(eq(models.provider, filter.provider));
    if (filter.family !== undefined) conditions.push(eq(models.family, filter.family));
    if (filter.mode !== undefined) conditions.push(eq(models.mode, filter.mode));
    if (filter.nameContains !== undefined) {
      // ILIKE: case-insensitive as SQLite's LIKE; its wildcards escaped so they match literally
      const escaped = filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`);
      conditions.push(sql`${models.name} ILIKE ${`%${escaped}%`} ESCAPE '\\'`);
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
      .limit(limit);
  }

  async countModels(filter: ModelFilter): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(models)
      .where(and(...this.modelConditions(filter)));
    return Number(row?.n ?? 0);
  }

  async createGenome(input: {
    name: string;
    fingerprint: string;
    genes: readonly string[];
    design?: string | null;
  }): Promise<GenomeRow> {
    storable('the genome name', [input.name]);
    input.genes.forEach((text, i) => storable(`gene ${i}`, [text]));
    return uniquely(`a genome named "${input.name}" already exists`, () =>
      this.db.transaction(async (tx) => {
        const [genome] = await tx
          .insert(genomes)
          .values({
            name: input.name,
            fingerprint: input.fingerprint,
            geneCount: input.genes.length,
            design: input.design ?? null,
          })
          .returning();
        // every gene in one statement: two array parameters, whatever the genome's size
        await tx.execute(
          sql`INSERT INTO ${genes} (genome_id, gene_index, text)
              SELECT ${genome.id}, ord - 1, t FROM unnest(${textArray(input.genes)}::text[]) WITH ORDINALITY AS u(t, ord)`,
        );
        await this.bumpDataRevision(tx);
        return genome;
      }),
    );
  }

  async deleteGenome(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      // genome row first, as in deleteModel
      await tx.delete(genomes).where(eq(genomes.id, id));
      await tx.delete(samples).where(eq(samples.genomeId, id));
      await this.bumpDataRevision(tx, true);
    });
  }

  async getGenome(id: number): Promise<GenomeRow | undefined> {
    return first(this.db.select().from(genomes).where(eq(genomes.id, id)));
  }

  async getGenomeByName(name: string): Promise<GenomeRow | undefined> {
    return first(this.db.select().from(genomes).where(eq(genomes.name, name)));
  }

  async listGenomes(): Promise<GenomeRow[]> {
    return this.db.select().from(genomes).orderBy(asc(genomes.id));
  }

  async listGenes(genomeId: number, afterIndex: number | null, limit: number) {
    const conditions = [eq(genes.genomeId, genomeId)];
    if (afterIndex !== null) conditions.push(gt(genes.index, afterIndex));
    return this.db
      .select({ index: genes.index, text: genes.text })
      .from(genes)
      .where(and(...conditions))
      .orderBy(asc(genes.index))
      .limit(limit);
  }

  async geneTexts(genomeId: number): Promise<string[]> {
    const rows = await this.db
      .select({ text: genes.text })
      .from(genes)
      .where(eq(genes.genomeId, genomeId))
      .orderBy(asc(genes.index));
    return rows.map((r) => r.text);
  }

  /**
   * Appends to one population from this process wait for each other here, in arrival order,
   * before they take a pooled connection: waiting on the population's advisory lock instead,
   * they held every connection of the pool (a job's answers arrive faster than they are stored
   * on a busy server), and the appends of other populations, job leases and reads waited for a
   * connection behind them (the workers bench, issue 10).
   */
  async appendSamples(input: AppendSamplesInput): Promise<AppendSamplesResult> {
    input.samples.forEach((s, i) => storable(`completion ${i}`, [s.text]));
    // a probing job's answers go in groups: one transaction for those that arrive together
    if (groupable(input)) return this.answers.add(input);
    const key = `${input.modelId}:${input.genomeId}`;
    const previous = this.appending.get(key) ?? Promise.resolve();
    const result = previous.then(() => this.appendNow(input));
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.appending.set(key, settled);
    void settled.then(() => {
      if (this.appending.get(key) === settled) this.appending.delete(key);
    });
    return result;
  }

  private async appendNow(input: AppendSamplesInput): Promise<AppendSamplesResult> {
    const { modelId, genomeId } = input;
    return this.db.transaction(async (tx) => {
      // one writer per population at a time (see the head of this file), and the keys checked
      await this.lockAndCheck(tx, modelId, genomeId, input.samples);
      const next = input.samples.some((s) => s.sampleIndex === undefined)
        ? await this.nextSampleIndices(tx, modelId, genomeId)
        : new Map<number, number>();
      const geneIndices: number[] = [];
      const sampleIndices: number[] = [];
      const texts: string[] = [];
      /** input position of the first sample at each (gene, sample index): the one a duplicate loses to */
      const position = new Map<string, number>();
      for (const s of input.samples) {
        const sampleIndex = s.sampleIndex ?? next.get(s.gene) ?? 0;
        next.set(s.gene, Math.max(next.get(s.gene) ?? 0, sampleIndex + 1));
        const key = `${s.gene}:${sampleIndex}`;
        if (!position.has(key)) position.set(key, texts.length);
        geneIndices.push(s.gene);
        sampleIndices.push(sampleIndex);
        texts.push(s.text);
      }
      // One statement for the whole batch; ORDER BY the input position gives ids in input order,
      // as SQLite's row-by-row inserts do. The population is read in the same statement: after
      // the append lock (taken by an earlier statement, so this statement's snapshot sees every
      // append committed before it), and one round trip fewer per append.
      const created = await tx.execute<{ population: PopulationJson | null; inserted: [string, number, number][] }>(
        sql`WITH ins AS (
              INSERT INTO ${samples} (model_id, genome_id, gene_index, sample_index, text, source, job_id, created_at)
              SELECT ${modelId}, ${genomeId}, g, s, t, ${input.source}, ${input.jobId ?? null}::int4, ${new Date().toISOString()}
              FROM unnest(${intArray(geneIndices)}::int4[], ${intArray(sampleIndices)}::int4[], ${textArray(texts)}::text[])
                WITH ORDINALITY AS u(g, s, t, ord)
              ORDER BY ord
              ON CONFLICT DO NOTHING
              RETURNING id, gene_index, sample_index
            )
            SELECT (SELECT json_build_object('revision', p.revision, 'sampleCount', p.sample_count,
                      'alleleLength', p.allele_length, 'counts', p.counts)
                    FROM ${populations} p WHERE p.model_id = ${modelId} AND p.genome_id = ${genomeId}) AS population,
                   (SELECT coalesce(json_agg(json_build_array(id::text, gene_index, sample_index)), '[]'::json) FROM ins) AS inserted`,
      );
      const [{ population: stored, inserted: rows }] = created.rows;
      const previous: PopulationState | null = stored && {
        modelId,
        genomeId,
        revision: Number(stored.revision),
        sampleCount: stored.sampleCount,
        alleleLength: stored.alleleLength,
        counts: stored.counts,
      };
      const inserted = rows
        .map(([id, gene, sampleIndex]) => {
          const at = position.get(`${gene}:${sampleIndex}`)!;
          return { at, id: Number(id), gene, text: texts[at] };
        })
        .sort((a, b) => a.at - b.at);
      const shard = populationShard(modelId, genomeId);
      const population = inserted.length > 0 ? grownPopulation(input, previous, inserted) : null;
      // the request's record, the population and the revisions: one statement, the bump last
      const parts: SQL[] = [];
      if (input.request) {
        const { request } = input;
        parts.push(recordRequests([request]), countJob('counted', request.jobId, [request], inserted.length));
      }
      if (population) parts.push(upsertPopulations([population]));
      if (parts.length > 0) {
        await tx.execute(sql`WITH ${sql.join(parts, sql`, `)} ${this.revisionBump(population !== null, shard)}`);
      }
      return {
        accepted: inserted.length,
        rejected: texts.length - inserted.length,
        population: population ?? previous,
      };
    });
  }

  /** bumpDataRevision as a statement of its own, to end a WITH clause */
  private revisionBump(populations: boolean, shard: number): SQL {
    const suffix = shard === 0 ? '' : `#${shard}`;
    const rows = (populations ? [DATA_REVISION, POPULATIONS_REVISION] : [DATA_REVISION]).map(
      (key) => sql`(${`${key}${suffix}`}, 1)`,
    );
    return sql`INSERT INTO ${meta} (key, value) VALUES ${sql.join(rows, sql`, `)}
      ON CONFLICT (key) DO UPDATE SET value = ${meta}.value + 1`;
  }

  private async lockAndCheck(
    tx: Tx,
    modelId: number,
    genomeId: number,
    batch: AppendSamplesInput['samples'],
  ): Promise<void> {
    const { rows } = await tx.execute<{ model: number | null; gene_count: number | null }>(
      sql`SELECT pg_advisory_xact_lock(${modelId}::int4, ${genomeId}::int4) AS locked,
            (SELECT id FROM ${models} WHERE id = ${modelId} FOR KEY SHARE) AS model,
            (SELECT gene_count FROM ${genomes} WHERE id = ${genomeId} FOR KEY SHARE) AS gene_count`,
    );
    const [found] = rows;
    checkAppendKeys({ model: found.model, geneCount: found.gene_count }, modelId, genomeId, batch);
  }

  /** Next free sample index per gene for one (model, genome). */
  private async nextSampleIndices(tx: Tx, modelId: number, genomeId: number): Promise<Map<number, number>> {
    const rows = await tx
      .select({ gene: samples.geneIndex, last: sql<number>`max(${samples.sampleIndex})` })
      .from(samples)
      .where(and(eq(samples.modelId, modelId), eq(samples.genomeId, genomeId)))
      .groupBy(samples.geneIndex);
    return new Map(rows.map((r) => [r.gene, Number(r.last) + 1]));
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
      .limit(limit);
  }

  async sampleTexts(modelId: number, genomeId: number): Promise<{ gene: number; text: string }[]> {
    return this.db
      .select({ gene: samples.geneIndex, text: samples.text })
      .from(samples)
      .where(and(eq(samples.modelId, modelId), eq(samples.genomeId, genomeId)))
      .orderBy(asc(samples.id));
  }

  async jobSampleTexts(jobId: number): Promise<{ gene: number; text: string }[]> {
    return this.db
      .select({ gene: samples.geneIndex, text: samples.text })
      .from(samples)
      .where(eq(samples.jobId, jobId))
      .orderBy(asc(samples.id));
  }

  async putSchedule(schedule: NewSchedule): Promise<ProbeScheduleRow> {
    return this.db.transaction(async (tx) => {
      const { every, everyMs, samplesPerGene, nextAt } = schedule;
      const [row] = await tx
        .insert(probeSchedules)
        .values(schedule)
        .onConflictDoUpdate({
          target: [probeSchedules.modelId, probeSchedules.genomeId],
          set: { every, everyMs, samplesPerGene, nextAt },
        })
        .returning();
      await this.bumpDataRevision(tx);
      return row;
    });
  }

  async listSchedules(): Promise<ProbeScheduleRow[]> {
    return this.db.select().from(probeSchedules).orderBy(asc(probeSchedules.id));
  }

  async updateSchedule(id: number, patch: SchedulePatch): Promise<void> {
    await this.db.update(probeSchedules).set(patch).where(eq(probeSchedules.id, id));
  }

  async claimScheduleRound(id: number, dueAt: number, nextAt: number): Promise<boolean> {
    const claimed = await this.db
      .update(probeSchedules)
      .set({ nextAt })
      .where(and(eq(probeSchedules.id, id), eq(probeSchedules.nextAt, dueAt)))
      .returning({ id: probeSchedules.id });
    return claimed.length === 1;
  }

  async deleteSchedule(modelId: number, genomeId: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx
        .delete(probeSchedules)
        .where(and(eq(probeSchedules.modelId, modelId), eq(probeSchedules.genomeId, genomeId)))
        .returning({ id: probeSchedules.id });
      if (deleted.length > 0) await this.bumpDataRevision(tx);
      return deleted.length > 0;
    });
  }

  async addDriftAlert(alert: NewDriftAlert): Promise<DriftAlertRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(driftAlerts).values(alert).onConflictDoNothing().returning();
      if (row) await this.bumpDataRevision(tx);
      return row;
    });
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
      .limit(limit);
  }

  async geneSampleStats(modelId: number, genomeId: number): Promise<Map<number, GeneSampleStats>> {
    const rows = await this.db
      .select({
        gene: samples.geneIndex,
        count: sql<string>`count(*)`,
        last: sql<number>`max(${samples.sampleIndex})`,
      })
      .from(samples)
      .where(and(eq(samples.modelId, modelId), eq(samples.genomeId, genomeId)))
      .groupBy(samples.geneIndex)
      .orderBy(asc(samples.geneIndex));
    return new Map(rows.map((r) => [r.gene, { count: Number(r.count), nextIndex: Number(r.last) + 1 }]));
  }

  async getPopulations(genomeId: number, modelIds?: readonly number[]): Promise<PopulationState[]> {
    const query = (chunk?: number[]) =>
      this.db
        .select()
        .from(populations)
        .where(and(eq(populations.genomeId, genomeId), chunk && inArray(populations.modelId, chunk)))
        .orderBy(asc(populations.modelId));
    return modelIds ? inChunks(modelIds, query) : query();
  }

  async populationRevisions(genomeId: number, modelIds?: readonly number[]): Promise<PopulationRevision[]> {
    const query = (chunk?: number[]) =>
      this.db
        .select({
          modelId: populations.modelId,
          revision: populations.revision,
          sampleCount: populations.sampleCount,
        })
        .from(populations)
        .where(and(eq(populations.genomeId, genomeId), chunk && inArray(populations.modelId, chunk)))
        .orderBy(asc(populations.modelId));
    return modelIds ? inChunks(modelIds, query) : query();
  }

  async setScores(entries: readonly ScoreEntry[], ranges: readonly BenchmarkRangeRow[] = []): Promise<ScoreRow[]> {
    entries.forEach((e, i) => storable(`score ${i}`, [e.benchmark]));
    ranges.forEach((r, i) => storable(`range ${i}`, [r.benchmark]));
    const updatedAt = new Date().toISOString();
    return this.db.transaction(async (tx) => {
      for (const r of ranges) {
        await tx
          .insert(benchmarkRanges)
          .values(r)
          .onConflictDoUpdate({ target: benchmarkRanges.benchmark, set: { low: r.low, high: r.high } });
      }
      const rows: ScoreRow[] = [];
      for (const e of entries) {
        const [row] = await tx
          .insert(scores)
          .values({ ...e, updatedAt })
          .onConflictDoUpdate({ target: [scores.modelId, scores.benchmark], set: { value: e.value, updatedAt } })
          .returning();
        rows.push(row);
      }
      await this.bumpDataRevision(tx);
      return rows;
    });
  }

  async benchmarkRanges(): Promise<BenchmarkRangeRow[]> {
    return this.db.select().from(benchmarkRanges).orderBy(asc(benchmarkRanges.benchmark));
  }

  async scoresOf(modelIds: readonly number[]): Promise<ScoreRow[]> {
    return inChunks(modelIds, (chunk) =>
      this.db
        .select()
        .from(scores)
        .where(inArray(scores.modelId, chunk))
        .orderBy(asc(scores.modelId), asc(scores.benchmark)),
    );
  }

  async scoresFor(benchmark: string): Promise<ScoreRow[]> {
    return this.db.select().from(scores).where(eq(scores.benchmark, benchmark)).orderBy(asc(scores.modelId));
  }

  async benchmarkNames(): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ benchmark: scores.benchmark })
      .from(scores)
      .orderBy(asc(scores.benchmark));
    return rows.map((r) => r.benchmark);
  }

  async createJob(job: NewJob): Promise<ProbeJobRow> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(probeJobs).values(job).returning();
      await this.bumpDataRevision(tx);
      return row;
    });
  }

  async getJob(id: number): Promise<ProbeJobRow | undefined> {
    return first(this.db.select().from(probeJobs).where(eq(probeJobs.id, id)));
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
      .limit(limit);
  }

  async countJobsByStatus(): Promise<Partial<Record<ProbeJobRow['status'], number>>> {
    const rows = await this.db
      .select({ status: probeJobs.status, count: sql<string>`count(*)` })
      .from(probeJobs)
      .groupBy(probeJobs.status);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
  }

  async updateJob(id: number, patch: JobPatch): Promise<ProbeJobRow> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.update(probeJobs).set(patch).where(eq(probeJobs.id, id)).returning();
      if (!row) throw new Error(`no probe job ${id}`);
      await this.bumpDataRevision(tx);
      return row;
    });
  }

  async claimJob(id: number, owner: string, now: number, leaseUntil: number): Promise<ProbeJobRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
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
        .returning();
      if (row) await this.bumpDataRevision(tx);
      return row;
    });
  }

  async renewJobLease(id: number, owner: string, leaseUntil: number): Promise<boolean> {
    const rows = await this.db
      .update(probeJobs)
      .set({ leaseUntil })
      .where(and(eq(probeJobs.id, id), eq(probeJobs.owner, owner), eq(probeJobs.status, 'RUNNING')))
      .returning({ id: probeJobs.id });
    return rows.length > 0;
  }

  async releaseJob(id: number, owner: string): Promise<void> {
    await this.db
      .update(probeJobs)
      .set({ owner: null, leaseUntil: null })
      .where(and(eq(probeJobs.id, id), eq(probeJobs.owner, owner)));
  }

  /** A cached computation with its whole payload (computation-parts.ts). */
  async getComputation(key: string): Promise<ComputationRow | undefined> {
    const [row] = await this.readComputations('key = $1', [key]);
    return row;
  }

  async recentComputations(genomeId: number, kind: string, limit: number): Promise<ComputationRow[]> {
    return this.readComputations('genome_id = $1 AND kind = $2 ORDER BY used_at DESC LIMIT $3', [
      genomeId,
      kind,
      limit,
    ]);
  }

  /**
   * Computation rows chosen by `where` (SQL on `computations`, with `values` for its `$n`), each
   * with its whole payload, from one snapshot (whatever another process writes meanwhile). Each
   * entry's length is summed first (`octet_length` of an out-of-line value reads its TOAST pointer
   * only), then its part 0 and parts are copied out in order as raw bytes (pg-copy-out.ts) into
   * one buffer of that length. On the pool's own client: drizzle has no COPY.
   */
  private async readComputations(where: string, values: unknown[]): Promise<ComputationRow[]> {
    const client = await this.handle.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows: heads } = await client.query<Omit<ComputationRow, 'payload'> & { bytes: string }>(
        `SELECT key, kind, genome_id AS "genomeId", dependencies, created_at AS "createdAt", used_at AS "usedAt",
           octet_length(payload) + coalesce((SELECT sum(octet_length(data)) FROM computation_parts p WHERE p.key = c.key), 0) AS bytes
         FROM computations c WHERE ${where}`,
        values,
      );
      const rows: ComputationRow[] = [];
      for (const { bytes, ...head } of heads) {
        const payload = Buffer.allocUnsafeSlow(Number(bytes));
        const key = client.escapeLiteral(head.key);
        const copied = await copyByteaOut(
          client,
          `COPY (SELECT data FROM (SELECT 0 AS part, payload AS data FROM computations WHERE key = ${key}
             UNION ALL SELECT part, data FROM computation_parts WHERE key = ${key}) AS parts ORDER BY part)
           TO STDOUT (FORMAT binary)`,
          payload,
        );
        if (copied !== payload.length)
          throw new Error(`cached computation ${head.key}: ${copied} of ${bytes} bytes read`);
        rows.push({ ...head, payload });
      }
      await client.query('COMMIT');
      return rows;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async computationIndex(genomeId: number, kind: string) {
    return this.db
      .select({ key: computations.key, dependencies: computations.dependencies })
      .from(computations)
      .where(and(eq(computations.genomeId, genomeId), eq(computations.kind, kind)))
      .orderBy(desc(computations.usedAt));
  }

  /** Stores `entry` in parts (computation-parts.ts), replacing an entry under its key, in one transaction. */
  async putComputation(entry: NewComputation): Promise<void> {
    const usedAt = new Date().toISOString();
    const { payload } = entry;
    const parts = partBounds(payload.length, this.handle.computationPartBytes).map(({ start, end }) =>
      payload.subarray(start, end),
    );
    await this.db.transaction(async (tx) => {
      await tx
        .insert(computations)
        .values({ ...entry, payload: parts[0], usedAt })
        .onConflictDoUpdate({ target: computations.key, set: { payload: parts[0], usedAt } });
      await tx.delete(computationParts).where(eq(computationParts.key, entry.key));
      for (let part = 1; part < parts.length; part++) {
        await tx.insert(computationParts).values({ key: entry.key, part, data: parts[part] });
      }
    });
  }

  async touchComputation(key: string): Promise<void> {
    await this.db.update(computations).set({ usedAt: new Date().toISOString() }).where(eq(computations.key, key));
  }

  async deleteComputations(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await inChunks(keys, async (chunk) => {
      await this.db.delete(computations).where(inArray(computations.key, chunk));
      return [];
    });
  }

  async claimComputation(key: string, owner: string, now: number, until: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.delete(computationClaims).where(sql`${computationClaims.until} < ${now}`);
      // one statement: a concurrent claim of the same key waits for this row's lock and then
      // re-checks the WHERE clause on the committed row (as claimJob), so one claimant wins
      const won = await tx
        .insert(computationClaims)
        .values({ key, owner, until })
        .onConflictDoUpdate({
          target: computationClaims.key,
          set: { owner, until },
          setWhere: sql`${computationClaims.owner} = ${owner} OR ${computationClaims.until} < ${now}`,
        })
        .returning({ key: computationClaims.key });
      return won.length === 1;
    });
  }

  async releaseComputation(key: string, owner: string): Promise<void> {
    await this.db
      .delete(computationClaims)
      .where(and(eq(computationClaims.key, key), eq(computationClaims.owner, owner)));
  }
}

/** PostgreSQL's `text` cannot hold U+0000: refused before any write, with what holds it. */
function storable(what: string, texts: readonly (string | null | undefined)[]): void {
  if (texts.some((t) => t?.includes('\u0000'))) {
    throw new UnstorableTextError(`${what}: the text contains U+0000 (NUL), which PostgreSQL cannot store`);
  }
}

async function first<T>(rows: Promise<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}

/**
 * A whole array as ONE bound parameter (drizzle would spread a bare array into a list), for
 * `unnest`: a batch of any size is one statement with a fixed number of parameters.
 */
function intArray(values: readonly number[]): SQL {
  return sql`${sql.param(values)}`;
}
const textArray = (values: readonly string[]): SQL => sql`${sql.param(values)}`;

/** Runs a write, turning PostgreSQL's unique violation (23505) into a `DuplicateError`. */
async function uniquely<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(message);
    throw error;
  }
}

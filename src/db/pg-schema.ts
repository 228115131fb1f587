/**
 * The database schema on PostgreSQL, as code: the same tables, columns, keys and cascades as
 * `schema.ts` (SQLite), in PostgreSQL's types. drizzle-kit generates `migrations/pg/` from this
 * file (`npm run db:generate:pg`); never edit an applied migration by hand.
 *
 * Types are chosen so that every value reads back exactly as SQLite gives it:
 * - floats are `double precision` (IEEE 754 binary64, like SQLite's REAL), never `real`
 *   (float4), so 0.1 or 1/3 round-trip bit for bit;
 * - timestamps are ISO-8601 text in UTC with milliseconds, as SQLite's `strftime` writes them,
 *   so rows compare equal across stores and sort as text;
 * - ids that can pass 2^31 (samples, whose id is a population's revision) and epoch-ms leases
 *   are `bigint`, read as JavaScript numbers (exact below 2^53);
 * - cached computations are `bytea`, in parts of 1 MB (computation-parts.ts).
 * The row types are checked against SQLite's at compile time (postgres-store.ts), so the
 * services cannot tell the stores apart.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** `bytea`, read and written as a Buffer (drizzle has no built-in column for it). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** What SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')` gives, in PostgreSQL. */
export const NOW_ISO = sql`to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const createdAt = () => text('created_at').notNull().default(NOW_ISO);

const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();

function modelRef() {
  return integer('model_id')
    .notNull()
    .references(() => models.id, { onDelete: 'cascade' });
}

function genomeRef() {
  return integer('genome_id')
    .notNull()
    .references(() => genomes.id, { onDelete: 'cascade' });
}

export const models = pgTable(
  'models',
  {
    id: id(),
    name: text('name').notNull(),
    provider: text('provider').notNull(),
    providerModel: text('provider_model'),
    family: text('family'),
    mode: text('mode', { enum: ['COMPLETION', 'CHAT'] }).notNull(),
    temperature: doublePrecision('temperature').notNull(),
    topP: doublePrecision('top_p').notNull(),
    maxTokens: integer('max_tokens').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('models_name_unique').on(t.name), index('models_provider_idx').on(t.provider)],
);

export const genomes = pgTable(
  'genomes',
  {
    id: id(),
    name: text('name').notNull(),
    fingerprint: text('fingerprint').notNull(),
    geneCount: integer('gene_count').notNull(),
    /**
     * a designed genome's provenance (designGenome, issue 13) as JSON: the genome it was chosen
     * from, the design models, the method and its score; null for a genome given gene by gene
     */
    design: text('design'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('genomes_name_unique').on(t.name), index('genomes_fingerprint_idx').on(t.fingerprint)],
);

export const genes = pgTable(
  'genes',
  {
    genomeId: genomeRef(),
    index: integer('gene_index').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.genomeId, t.index] })],
);

export const samples = pgTable(
  'samples',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    // No foreign keys on purpose (SQLite has them): PostgreSQL checks a foreign key row by row,
    // with a trigger per inserted row per key, which was half the time of a bulk import (issue
    // 10). postgres-store.ts keeps the same guarantees per batch instead: appendSamples takes a
    // KEY SHARE lock on the model and genome rows and checks the gene indices against the
    // genome's gene count; deleteModel and deleteGenome delete the samples themselves.
    modelId: integer('model_id').notNull(),
    genomeId: integer('genome_id').notNull(),
    geneIndex: integer('gene_index').notNull(),
    sampleIndex: integer('sample_index').notNull(),
    text: text('text').notNull(),
    source: text('source', { enum: ['IMPORTED', 'PROBED'] }).notNull(),
    jobId: integer('job_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('samples_identity_unique').on(t.modelId, t.genomeId, t.geneIndex, t.sampleIndex)],
);

export const populations = pgTable(
  'populations',
  {
    modelId: modelRef(),
    genomeId: genomeRef(),
    revision: bigint('revision', { mode: 'number' }).notNull(),
    sampleCount: integer('sample_count').notNull(),
    alleleLength: integer('allele_length').notNull(),
    counts: text('counts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.genomeId] }), index('populations_genome_idx').on(t.genomeId)],
);

export const scores = pgTable(
  'scores',
  {
    modelId: modelRef(),
    benchmark: text('benchmark').notNull(),
    value: doublePrecision('value').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.benchmark] }), index('scores_benchmark_idx').on(t.benchmark)],
);

/**
 * Who is computing a cold cached result right now (issue 10): a process about to compute the
 * entry `key` of `computations` claims it here first; another process asked for the same key
 * waits for the stored row instead of computing it too. `until` (epoch ms) bounds the claim, so
 * a claimer that died holds nobody up for longer (ComputeClaims, src/services/compute-claims.ts).
 */
export const computationClaims = pgTable('computation_claims', {
  key: text('key').primaryKey(),
  owner: text('owner').notNull(),
  until: bigint('until', { mode: 'number' }).notNull(),
});

/**
 * Declared score ranges of benchmarks (issue 12): a benchmark without a row has the range [0, 1].
 * Kept so that a range declared once holds for every later write and import.
 */
export const benchmarkRanges = pgTable('benchmark_ranges', {
  benchmark: text('benchmark').primaryKey(),
  low: doublePrecision('low').notNull(),
  high: doublePrecision('high').notNull(),
});

export const computations = pgTable(
  'computations',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    genomeId: genomeRef(),
    dependencies: text('dependencies').notNull(),
    payload: bytea('payload').notNull(),
    createdAt: createdAt(),
    usedAt: text('used_at').notNull(),
  },
  (t) => [index('computations_genome_kind_used_idx').on(t.genomeId, t.kind, t.usedAt)],
);

/** Parts 1, 2, ... of a payload larger than one part (schema.ts, `computationParts`). */
export const computationParts = pgTable(
  'computation_parts',
  {
    key: text('key')
      .notNull()
      .references(() => computations.key, { onDelete: 'cascade' }),
    part: integer('part').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.part] })],
);

export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
});

export const probeJobs = pgTable(
  'probe_jobs',
  {
    id: id(),
    modelId: modelRef(),
    genomeId: genomeRef(),
    samplesPerGene: integer('samples_per_gene').notNull(),
    maxTokens: integer('max_tokens').notNull(),
    status: text('status', { enum: ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] }).notNull(),
    completed: integer('completed').notNull(),
    total: integer('total').notNull(),
    error: text('error'),
    warnings: text('warnings').notNull().default('[]'),
    collapsed: boolean('collapsed').notNull().default(false),
    requests: integer('requests').notNull().default(0),
    promptTokens: bigint('prompt_tokens', { mode: 'number' }).notNull().default(0),
    completionTokens: bigint('completion_tokens', { mode: 'number' }).notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    owner: text('owner'),
    leaseUntil: bigint('lease_until', { mode: 'number' }),
    /**
     * null for a job sampled request by request; for a job sent through the provider's batch API
     * (startProbing batch: true), its batch state as JSON (src/services/probing/batch-state.ts):
     * the batch in flight with the requests it holds, and how many batches were submitted
     */
    batch: text('batch'),
    /** adaptive sampling (issue 13): the stopping rule's settings as JSON, null for the full plan */
    adaptive: text('adaptive'),
    /** adaptive sampling: what each round found and why it stopped, as JSON (services/probing/adaptive.ts) */
    adaptiveReport: text('adaptive_report'),
    createdAt: createdAt(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [index('probe_jobs_status_idx').on(t.status), index('probe_jobs_model_genome_idx').on(t.modelId, t.genomeId)],
);

export const probeRequests = pgTable(
  'probe_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    jobId: integer('job_id')
      .notNull()
      .references(() => probeJobs.id, { onDelete: 'cascade' }),
    geneIndex: integer('gene_index').notNull(),
    samples: integer('samples').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    costUsd: doublePrecision('cost_usd').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('probe_requests_job_idx').on(t.jobId)],
);

/** As `probe_schedules` in schema.ts: a standing order to re-probe a model on a genome. */
export const probeSchedules = pgTable(
  'probe_schedules',
  {
    id: id(),
    modelId: modelRef(),
    genomeId: genomeRef(),
    every: text('every').notNull(),
    everyMs: bigint('every_ms', { mode: 'number' }).notNull(),
    samplesPerGene: integer('samples_per_gene').notNull(),
    /** epoch ms of the next round */
    nextAt: bigint('next_at', { mode: 'number' }).notNull(),
    checkedJobId: integer('checked_job_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('probe_schedules_model_genome_unique').on(t.modelId, t.genomeId)],
);

/** As `drift_alerts` in schema.ts: a detected change between two successive rounds. */
export const driftAlerts = pgTable(
  'drift_alerts',
  {
    id: id(),
    modelId: modelRef(),
    genomeId: genomeRef(),
    fromJobId: integer('from_job_id').notNull(),
    toJobId: integer('to_job_id').notNull(),
    distance: doublePrecision('distance').notNull(),
    pValue: doublePrecision('p_value').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('drift_alerts_rounds_unique').on(t.fromJobId, t.toJobId),
    index('drift_alerts_model_genome_idx').on(t.modelId, t.genomeId),
  ],
);

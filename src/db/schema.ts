/**
 * The database schema, as code. drizzle-kit generates the SQL migrations in `migrations/` from
 * this file (`npm run db:generate`); never edit an applied migration by hand.
 *
 * What is stored is the raw evidence (every sample's full text, with the endpoint and settings
 * that produced it) plus caches derived from it. Caches are keyed by content fingerprints, so a
 * stale entry can never be served: it simply stops matching.
 */
import { sql } from 'drizzle-orm';
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  foreignKey,
} from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  text('created_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

/** A cascading reference to a model: deleting the model deletes what points at it. */
function modelRef() {
  return integer('model_id')
    .notNull()
    .references(() => models.id, { onDelete: 'cascade' });
}

/** A cascading reference to a genome. */
function genomeRef() {
  return integer('genome_id')
    .notNull()
    .references(() => genomes.id, { onDelete: 'cascade' });
}

/** A taxon: one endpoint with its sampling settings (method.md: each endpoint is its own taxon). */
export const models = sqliteTable(
  'models',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    provider: text('provider').notNull(),
    providerModel: text('provider_model'),
    family: text('family'),
    mode: text('mode', { enum: ['COMPLETION', 'CHAT'] }).notNull(),
    temperature: real('temperature').notNull(),
    topP: real('top_p').notNull(),
    maxTokens: integer('max_tokens').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('models_name_unique').on(t.name), index('models_provider_idx').on(t.provider)],
);

/** An ordered set of genes; `fingerprint` is a hash of the gene texts in order. */
export const genomes = sqliteTable(
  'genomes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

export const genes = sqliteTable(
  'genes',
  {
    genomeId: genomeRef(),
    index: integer('gene_index').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.genomeId, t.index] })],
);

/**
 * One probe: a sampled completion of a gene by a model. `sampleIndex` numbers the samples of one
 * (model, genome, gene); the unique index is what makes re-imports and resumed probing jobs
 * idempotent (a sample is never stored twice).
 */
export const samples = sqliteTable(
  'samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: modelRef(),
    genomeId: integer('genome_id').notNull(),
    geneIndex: integer('gene_index').notNull(),
    sampleIndex: integer('sample_index').notNull(),
    text: text('text').notNull(),
    source: text('source', { enum: ['IMPORTED', 'PROBED'] }).notNull(),
    jobId: integer('job_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('samples_identity_unique').on(t.modelId, t.genomeId, t.geneIndex, t.sampleIndex),
    foreignKey({ columns: [t.genomeId, t.geneIndex], foreignColumns: [genes.genomeId, genes.index] }).onDelete(
      'cascade',
    ),
  ],
);

/**
 * Allele counts of one model on one genome, maintained in the same transaction as the samples
 * they count. `revision` is the id of the newest sample counted: it changes exactly when the
 * population does, so it is what result fingerprints are built from.
 */
export const populations = sqliteTable(
  'populations',
  {
    modelId: modelRef(),
    genomeId: genomeRef(),
    revision: integer('revision').notNull(),
    sampleCount: integer('sample_count').notNull(),
    alleleLength: integer('allele_length').notNull(),
    counts: text('counts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.genomeId] }), index('populations_genome_idx').on(t.genomeId)],
);

/** Benchmark scores in [0, 1] (or any finite scale the user chooses), one per model and benchmark. */
export const scores = sqliteTable(
  'scores',
  {
    modelId: modelRef(),
    benchmark: text('benchmark').notNull(),
    value: real('value').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.benchmark] }), index('scores_benchmark_idx').on(t.benchmark)],
);

/**
 * Declared score ranges of benchmarks (issue 12): a benchmark without a row has the range [0, 1].
 * Kept so that a range declared once holds for every later write and import.
 */
export const benchmarkRanges = sqliteTable('benchmark_ranges', {
  benchmark: text('benchmark').primaryKey(),
  low: real('low').notNull(),
  high: real('high').notNull(),
});

/**
 * Cached computations (distance matrices, trees, predictions). `key` is a fingerprint of every
 * input; `dependencies` lists the (model, revision) pairs it was computed from, so entries made
 * stale by new samples can be found and dropped.
 */
export const computations = sqliteTable(
  'computations',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    genomeId: genomeRef(),
    dependencies: text('dependencies').notNull(),
    payload: blob('payload', { mode: 'buffer' }).notNull(),
    createdAt: createdAt(),
    usedAt: text('used_at').notNull(),
  },
  (t) => [index('computations_genome_kind_idx').on(t.genomeId, t.kind)],
);

/**
 * The rest of a cached computation's payload when it is larger than one part (issue 10): the row
 * in `computations` holds part 0 (its first `partBytes`), these rows hold parts 1, 2, ... in
 * order (computation-parts.ts). One value was the limit before: better-sqlite3 refuses to bind a
 * buffer over about 512 MB, and PostgreSQL's `bytea` read back as hex text passes V8's longest
 * string at about 256 MB. A row written before the parts (one part only) reads the same.
 */
export const computationParts = sqliteTable(
  'computation_parts',
  {
    key: text('key')
      .notNull()
      .references(() => computations.key, { onDelete: 'cascade' }),
    part: integer('part').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.part] })],
);

/**
 * Who is computing a cold cached result right now (issue 10): a process about to compute the
 * entry `key` of `computations` claims it here first; another process asked for the same key
 * waits for the stored row instead of computing it too. `until` (epoch ms) bounds the claim, so
 * a claimer that died holds nobody up for longer (ComputeClaims, src/services/compute-claims.ts).
 */
export const computationClaims = sqliteTable('computation_claims', {
  key: text('key').primaryKey(),
  owner: text('owner').notNull(),
  until: integer('until').notNull(),
});

/**
 * Monotonic counter of writes to user data (models, genomes, samples, scores). Response caches
 * key on it; derived-cache writes do not bump it. A table rather than process memory so that
 * several processes sharing one database agree on it.
 */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: integer('value').notNull(),
});

export type ModelRow = typeof models.$inferSelect;
export type NewModelRow = typeof models.$inferInsert;
export type GenomeRow = typeof genomes.$inferSelect;
export type SampleRow = typeof samples.$inferSelect;
export type PopulationRow = typeof populations.$inferSelect;
export type ScoreRow = typeof scores.$inferSelect;
export type ComputationRow = typeof computations.$inferSelect;

/**
 * A probing job: sample a model on a genome until every gene has `samplesPerGene` samples.
 * Progress counters are updated in the same transaction as the samples they count, so a job
 * killed at any point resumes from exactly what is stored.
 */
export const probeJobs = sqliteTable(
  'probe_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: modelRef(),
    genomeId: genomeRef(),
    samplesPerGene: integer('samples_per_gene').notNull(),
    maxTokens: integer('max_tokens').notNull(),
    status: text('status', { enum: ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] }).notNull(),
    completed: integer('completed').notNull(),
    total: integer('total').notNull(),
    error: text('error'),
    warnings: text('warnings').notNull().default('[]'),
    collapsed: integer('collapsed', { mode: 'boolean' }).notNull().default(false),
    requests: integer('requests').notNull().default(0),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    costUsd: real('cost_usd').notNull().default(0),
    /** the process running the job, and until when its claim holds (epoch ms) unless renewed */
    owner: text('owner'),
    leaseUntil: integer('lease_until'),
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

/** Every provider request a job made, with its token usage (what probing really cost). */
export const probeRequests = sqliteTable(
  'probe_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: integer('job_id')
      .notNull()
      .references(() => probeJobs.id, { onDelete: 'cascade' }),
    geneIndex: integer('gene_index').notNull(),
    samples: integer('samples').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    costUsd: real('cost_usd').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('probe_requests_job_idx').on(t.jobId)],
);

export type ProbeJobRow = typeof probeJobs.$inferSelect;

/**
 * A standing order to re-probe a model on a genome every `everyMs` (`every`: the ISO 8601
 * duration as given). Each re-probe is one probing job, a "round"; `checkedJobId` is the newest
 * round already compared with the one before it (drift), so a restart never checks a round twice.
 */
export const probeSchedules = sqliteTable(
  'probe_schedules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: modelRef(),
    genomeId: genomeRef(),
    every: text('every').notNull(),
    everyMs: integer('every_ms').notNull(),
    samplesPerGene: integer('samples_per_gene').notNull(),
    /** epoch ms of the next round */
    nextAt: integer('next_at').notNull(),
    checkedJobId: integer('checked_job_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('probe_schedules_model_genome_unique').on(t.modelId, t.genomeId)],
);

/** A detected change between two successive rounds of one model on one genome. */
export const driftAlerts = sqliteTable(
  'drift_alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: modelRef(),
    genomeId: genomeRef(),
    fromJobId: integer('from_job_id').notNull(),
    toJobId: integer('to_job_id').notNull(),
    distance: real('distance').notNull(),
    pValue: real('p_value').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('drift_alerts_rounds_unique').on(t.fromJobId, t.toJobId),
    index('drift_alerts_model_genome_idx').on(t.modelId, t.genomeId),
  ],
);

export type ProbeScheduleRow = typeof probeSchedules.$inferSelect;
export type DriftAlertRow = typeof driftAlerts.$inferSelect;

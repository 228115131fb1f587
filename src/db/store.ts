/**
 * The store: every read and write the services need, as coarse atomic operations. Services and
 * the core never see SQL, so a Postgres backend (or several worker processes sharing one
 * database) can come later behind this same interface. Methods are async for that reason even
 * though better-sqlite3 is synchronous.
 *
 * Each mutating method is one transaction: it either writes everything or nothing.
 */
import type {
  ComputationRow,
  DriftAlertRow,
  GenomeRow,
  ModelRow,
  NewModelRow,
  ProbeJobRow,
  ProbeScheduleRow,
  ScoreRow,
} from './schema';

export type { ComputationRow, DriftAlertRow, GenomeRow, ModelRow, ProbeJobRow, ProbeScheduleRow, ScoreRow };

/** A re-probing schedule to store; replaces the one of the same model and genome. */
export interface NewSchedule {
  modelId: number;
  genomeId: number;
  every: string;
  everyMs: number;
  samplesPerGene: number;
  nextAt: number;
}

export type SchedulePatch = Partial<Pick<ProbeScheduleRow, 'nextAt' | 'checkedJobId'>>;

export interface NewDriftAlert {
  modelId: number;
  genomeId: number;
  fromJobId: number;
  toJobId: number;
  distance: number;
  pValue: number;
}

export type JobStatus = ProbeJobRow['status'];

export interface NewJob {
  modelId: number;
  genomeId: number;
  samplesPerGene: number;
  maxTokens: number;
  status: JobStatus;
  completed: number;
  total: number;
  /** the initial batch state of a job sent through a batch API; null or absent otherwise */
  batch?: string | null;
  /** adaptive sampling's settings as JSON; absent or null for the full plan */
  adaptive?: string | null;
}

export type JobPatch = Partial<
  Pick<
    ProbeJobRow,
    | 'status'
    | 'error'
    | 'warnings'
    | 'collapsed'
    | 'startedAt'
    | 'finishedAt'
    | 'completed'
    | 'batch'
    | 'adaptiveReport'
  >
>;

export interface JobFilter {
  statuses?: readonly JobStatus[];
  modelId?: number;
  genomeId?: number;
}

/** One provider request of a job, recorded with the samples it produced. */
export interface ProbeRequestRecord {
  jobId: number;
  gene: number;
  samples: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export type Mode = 'COMPLETION' | 'CHAT';

/** Thrown when a write would break a uniqueness rule (a model or genome name already taken). */
export class DuplicateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DuplicateError';
  }
}

/**
 * Thrown when this store cannot hold a text as given: PostgreSQL's `text` cannot contain U+0000
 * (NUL), which SQLite stores. The write changes nothing; clients get BAD_USER_INPUT.
 */
export class UnstorableTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnstorableTextError';
  }
}

export type SampleSource = 'IMPORTED' | 'PROBED';

export interface ModelFilter {
  provider?: string;
  family?: string;
  mode?: Mode;
  /** case-insensitive substring of the name */
  nameContains?: string;
  /** only models with samples on this genome */
  genomeId?: number;
}

export interface NewSample {
  gene: number;
  text: string;
  /** when given, a sample already stored at this index is skipped (idempotent re-import) */
  sampleIndex?: number;
}

export interface StoredSample {
  id: number;
  modelId: number;
  genomeId: number;
  geneIndex: number;
  sampleIndex: number;
  text: string;
  source: SampleSource;
  jobId: number | null;
  createdAt: string;
}

export interface GeneSampleStats {
  count: number;
  nextIndex: number;
}

export interface PopulationState {
  modelId: number;
  genomeId: number;
  /** id of the newest sample counted; changes exactly when the population changes */
  revision: number;
  sampleCount: number;
  alleleLength: number;
  /** serialized allele counts (JSON), parsed by the service */
  counts: string;
}

export interface PopulationRevision {
  modelId: number;
  revision: number;
  sampleCount: number;
}

export interface AppendSamplesInput {
  modelId: number;
  genomeId: number;
  source: SampleSource;
  jobId?: number | null;
  /** a probing job's request: recorded, and the job's counters advanced, in the same transaction */
  request?: ProbeRequestRecord;
  samples: readonly NewSample[];
  /**
   * Computes the new serialized population from the previous one (null when none) and the
   * samples actually inserted. Runs inside the transaction, so counts and samples never diverge.
   */
  updatePopulation(
    previous: PopulationState | null,
    inserted: readonly { gene: number; text: string }[],
  ): {
    counts: string;
    alleleLength: number;
  };
}

export interface AppendSamplesResult {
  accepted: number;
  rejected: number;
  population: PopulationState | null;
}

/** A benchmark's declared score range (scores outside it are refused on write). */
export interface BenchmarkRangeRow {
  benchmark: string;
  low: number;
  high: number;
}

export interface ScoreEntry {
  modelId: number;
  benchmark: string;
  value: number;
}

export interface NewComputation {
  key: string;
  kind: string;
  genomeId: number;
  dependencies: string;
  payload: Buffer;
}

/** Whether the store can serve reads and writes now (for `/healthz`). */
export type StoreHealth = { ok: true } | { ok: false; reason: string };

export interface Store {
  /**
   * Cheap (no write, no table scan): a storage fault seen by a recent operation (full disk,
   * read-only or corrupt file, I/O error) and whether the connection can write at all.
   */
  health(): Promise<StoreHealth>;

  /** Monotonic counter of writes to user data; derived caches do not bump it. */
  dataRevision(): Promise<number>;
  /**
   * Monotonic counter of changes to populations (samples appended, a model or genome deleted):
   * what a list of population revisions stays true until. Other writes leave it.
   */
  populationsRevision(): Promise<number>;

  createModel(input: NewModelRow): Promise<ModelRow>;
  getModel(id: number): Promise<ModelRow | undefined>;
  getModelByName(name: string): Promise<ModelRow | undefined>;
  getModels(ids: readonly number[]): Promise<ModelRow[]>;
  /** The models with these exact names, in no particular order; unknown names are skipped. */
  getModelsByNames(names: readonly string[]): Promise<ModelRow[]>;
  /** Models ordered by id, after the given id, at most `limit`. */
  listModels(filter: ModelFilter, afterId: number | null, limit: number): Promise<ModelRow[]>;
  countModels(filter: ModelFilter): Promise<number>;

  /** Deletes a model and, by cascade, its samples, populations, scores and jobs. */
  deleteModel(id: number): Promise<void>;

  /** `design`: a designed genome's provenance as JSON (designGenome), stored with the genome in one transaction */
  createGenome(input: {
    name: string;
    fingerprint: string;
    genes: readonly string[];
    design?: string | null;
  }): Promise<GenomeRow>;
  getGenome(id: number): Promise<GenomeRow | undefined>;
  /** Deletes a genome and, by cascade, its genes, samples, populations, jobs and cached results. */
  deleteGenome(id: number): Promise<void>;
  getGenomeByName(name: string): Promise<GenomeRow | undefined>;
  listGenomes(): Promise<GenomeRow[]>;
  listGenes(genomeId: number, afterIndex: number | null, limit: number): Promise<{ index: number; text: string }[]>;
  geneTexts(genomeId: number): Promise<string[]>;

  appendSamples(input: AppendSamplesInput): Promise<AppendSamplesResult>;
  listSamples(
    query: { modelId: number; genomeId: number; gene?: number },
    afterId: number | null,
    limit: number,
  ): Promise<StoredSample[]>;
  /** Every sample of one model on one genome, as (gene, text): for counting alleles another way. */
  sampleTexts(modelId: number, genomeId: number): Promise<{ gene: number; text: string }[]>;
  /** The samples one probing job stored, as (gene, text): one round of a model, for drift. */
  jobSampleTexts(jobId: number): Promise<{ gene: number; text: string }[]>;
  /** Per gene index of one model on one genome: samples stored, and the next free sample index. */
  geneSampleStats(modelId: number, genomeId: number): Promise<Map<number, GeneSampleStats>>;
  getPopulations(genomeId: number, modelIds?: readonly number[]): Promise<PopulationState[]>;
  populationRevisions(genomeId: number, modelIds?: readonly number[]): Promise<PopulationRevision[]>;

  /**
   * Writes scores, and the ranges declared with them (each replacing its benchmark's earlier
   * range), in one transaction. The caller has checked every value against its range.
   */
  setScores(entries: readonly ScoreEntry[], ranges?: readonly BenchmarkRangeRow[]): Promise<ScoreRow[]>;
  /** Every declared benchmark range, by benchmark name. */
  benchmarkRanges(): Promise<BenchmarkRangeRow[]>;
  scoresOf(modelIds: readonly number[]): Promise<ScoreRow[]>;
  scoresFor(benchmark: string): Promise<ScoreRow[]>;
  /** Every benchmark name that has at least one score, sorted. */
  benchmarkNames(): Promise<string[]>;

  createJob(job: NewJob): Promise<ProbeJobRow>;
  getJob(id: number): Promise<ProbeJobRow | undefined>;
  /** Jobs ordered by id, after the given id, at most `limit`. */
  listJobs(filter: JobFilter, afterId: number | null, limit: number): Promise<ProbeJobRow[]>;
  /** how many jobs are in each status (statuses without jobs are absent); for /metrics */
  countJobsByStatus(): Promise<Partial<Record<ProbeJobRow['status'], number>>>;
  updateJob(id: number, patch: JobPatch): Promise<ProbeJobRow>;
  /**
   * Takes a queued or running job for `owner` until `leaseUntil` (epoch ms), if nobody else holds
   * a live lease on it: the one way a process may start running a job, so that several processes
   * sharing one database never run the same job. Returns the job, or undefined when not taken.
   */
  claimJob(id: number, owner: string, now: number, leaseUntil: number): Promise<ProbeJobRow | undefined>;
  /** Extends the owner's lease on a running job; false when the job is no longer its to run. */
  renewJobLease(id: number, owner: string, leaseUntil: number): Promise<boolean>;
  /** Gives a job up (at shutdown) so any process may claim it at once. */
  releaseJob(id: number, owner: string): Promise<void>;

  /** Stores a re-probing schedule, replacing the model's schedule on the genome (checked round kept). */
  putSchedule(schedule: NewSchedule): Promise<ProbeScheduleRow>;
  /** Every schedule, by id. */
  listSchedules(): Promise<ProbeScheduleRow[]>;
  updateSchedule(id: number, patch: SchedulePatch): Promise<void>;
  /**
   * Moves a schedule's next round from `dueAt` to `nextAt` if it still says `dueAt`: true for
   * exactly one of several processes that read the same due schedule (a compare-and-set on the
   * row), so a round is started once however many processes tick.
   */
  claimScheduleRound(id: number, dueAt: number, nextAt: number): Promise<boolean>;
  /** Removes the schedule of a model on a genome; false when there was none. */
  deleteSchedule(modelId: number, genomeId: number): Promise<boolean>;
  /** Records a detected change; a second alert for the same two rounds is ignored (undefined). */
  addDriftAlert(alert: NewDriftAlert): Promise<DriftAlertRow | undefined>;
  /** Alerts, newest first, optionally of one model and/or genome. */
  listDriftAlerts(filter: { modelId?: number; genomeId?: number }, limit: number): Promise<DriftAlertRow[]>;

  getComputation(key: string): Promise<ComputationRow | undefined>;
  /** Most recently used computations of a kind on a genome (candidates for incremental reuse). */
  recentComputations(genomeId: number, kind: string, limit: number): Promise<ComputationRow[]>;
  /** Keys and dependencies (no payloads) of a kind on a genome, most recently used first. */
  computationIndex(genomeId: number, kind: string): Promise<{ key: string; dependencies: string }[]>;
  putComputation(entry: NewComputation): Promise<void>;
  touchComputation(key: string): Promise<void>;
  deleteComputations(keys: readonly string[]): Promise<void>;
  /**
   * Claims the computation of the cold entry `key` for `owner` until `until` (epoch ms): true when
   * nobody else holds a live claim on it (a claim whose `until` is not past `now`), else false and
   * nothing changes. Claiming again as the holder extends the claim. Expired claims of any key are
   * dropped on the way. Not a data write: revisions stay where they are.
   */
  claimComputation(key: string, owner: string, now: number, until: number): Promise<boolean>;
  /** Lets go of `owner`'s claim on `key`; anyone else's claim is left alone. */
  releaseComputation(key: string, owner: string): Promise<void>;
}

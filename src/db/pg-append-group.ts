/**
 * Group commit of probing answers on PostgreSQL (issue 10, the workers bench): the answers a
 * process stores while its previous group is being written go together in the next group, one
 * transaction of five statements whatever its size, instead of five statements per answer (the
 * classic group commit of database logs: Gawlick & Kinkade 1985, IMS Fast Path; DeWitt et al.
 * 1984). Nothing waits for a timer: a lone answer is written at once, and groups grow only when
 * answers arrive faster than a transaction takes, which is when the round trips cost most.
 *
 * Exactly what appending each answer alone gives:
 * - samples keep their fixed indices; a sample already stored (or given twice in one group) is
 *   rejected, the first one in arrival order kept, as one append after another would;
 * - each caller gets its own result: its population as its own append leaves it, computed by its
 *   own `updatePopulation` from the state the answers before it left;
 * - a job's counters move by the same numbers, its cost added one answer at a time in arrival
 *   order (floating-point sums depend on the order);
 * - a group is one transaction: a crash or an error stores none of it, and every caller sees the
 *   failure (the job runner retries or keeps its answer, as for a single append). An answer whose
 *   model or genome is gone, or whose gene is out of range, fails alone; any other error in a
 *   group of several sends each answer on alone, so one answer's fault is never another's;
 * - the populations of a group are locked in one order (model, genome) with the same advisory
 *   locks a single append takes, so groups of several processes cannot deadlock.
 */
import { sql, type SQL } from 'drizzle-orm';
import { checkAppendKeys } from './append-keys';
import { grownPopulation } from './population-growth';
import type { PgDb } from './postgres-client';
import { countJob, recordRequests, upsertPopulations } from './pg-append-sql';
import { genomes, models, populations, samples } from './pg-schema';
import type { AppendSamplesInput, AppendSamplesResult, PopulationState, ProbeRequestRecord } from './store';

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** The most answers one transaction takes; more wait for the next group. */
const MAX_GROUP = 256;

/** An answer the group writer takes: samples with their indices, and the request's record. */
export type GroupedAppend = AppendSamplesInput & { request: ProbeRequestRecord };

/** True for an append the group writer can take (a probing answer with fixed sample indices). */
export function groupable(input: AppendSamplesInput): input is GroupedAppend {
  return input.request !== undefined && input.samples.every((s) => s.sampleIndex !== undefined);
}

interface Waiting {
  input: GroupedAppend;
  resolve(result: AppendSamplesResult): void;
  reject(error: unknown): void;
}

export interface AppendGroupOptions {
  /** runs one transaction (PostgresStore's `db.transaction`) */
  transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T>;
  /** the data and populations revision bump ending a write (populations: samples were added) */
  revisionBump(populations: boolean, modelId: number, genomeId: number): SQL;
}

export class AppendGroup {
  private pending: Waiting[] = [];
  private writing = false;
  /** transactions written so far (for tests and the bench's statement count) */
  groups = 0;

  constructor(private readonly options: AppendGroupOptions) {}

  add(input: GroupedAppend): Promise<AppendSamplesResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.next();
    });
  }

  /** Starts the next group unless one is being written (it starts the next when it ends). */
  private next(): void {
    if (this.writing || this.pending.length === 0) return;
    this.writing = true;
    // answers that arrived in this turn of the event loop go together from the first group on
    setImmediate(() => {
      const group = this.pending.splice(0, MAX_GROUP);
      void this.write(group).finally(() => {
        this.writing = false;
        this.next();
      });
    });
  }

  private async write(group: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.options.transaction((tx) => this.writeGroup(tx, group));
      this.groups++;
      outcomes.forEach((outcome, i) =>
        outcome instanceof Error ? group[i].reject(outcome) : group[i].resolve(outcome),
      );
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      // whatever failed, it fails only the answer that caused it
      for (const waiting of group) await this.write([waiting]);
    }
  }

  /** One transaction for the group; an answer refused for its keys gets its error back. */
  private async writeGroup(tx: Tx, group: readonly Waiting[]): Promise<(AppendSamplesResult | Error)[]> {
    const keys = [...new Map(group.map(({ input }) => [popKey(input), input])).values()];
    // 1. lock every population of the group in one order, and read whether its keys exist
    const { rows: found } = await tx.execute<{ m: number; g: number; model: number | null; gene_count: number | null }>(
      sql`SELECT k.m, k.g, pg_advisory_xact_lock(k.m, k.g) AS locked,
            (SELECT id FROM ${models} WHERE id = k.m FOR KEY SHARE) AS model,
            (SELECT gene_count FROM ${genomes} WHERE id = k.g FOR KEY SHARE) AS gene_count
          FROM (SELECT m, g FROM unnest(${ints(keys.map((k) => k.modelId))}::int4[], ${ints(keys.map((k) => k.genomeId))}::int4[])
                  AS u(m, g) ORDER BY m, g OFFSET 0) k`,
    );
    const exists = new Map(found.map((r) => [`${r.m}:${r.g}`, { model: r.model, geneCount: r.gene_count }]));
    const outcomes: (AppendSamplesResult | Error | undefined)[] = group.map(({ input }) => {
      try {
        checkAppendKeys(exists.get(popKey(input))!, input.modelId, input.genomeId, input.samples);
        return undefined;
      } catch (error) {
        return error as Error;
      }
    });
    const taken = group.map((w, i) => ({ input: w.input, i })).filter(({ i }) => outcomes[i] === undefined);
    // 2. every sample in one statement, in arrival order, and the populations as they were
    const rows = taken.flatMap(({ input, i }) =>
      input.samples.map((s) => ({ i, input, gene: s.gene, sample: s.sampleIndex!, text: s.text })),
    );
    const column = <T>(f: (r: (typeof rows)[number]) => T) => sql.param(rows.map(f));
    const { rows: written } = await tx.execute<{
      populations: PopulationRow[];
      inserted: [string, number, number, number, number][];
    }>(
      sql`WITH ins AS (
            INSERT INTO ${samples} (model_id, genome_id, gene_index, sample_index, text, source, job_id, created_at)
            SELECT m, g, gi, si, t, src, j, ${new Date().toISOString()}
            FROM unnest(${column((r) => r.input.modelId)}::int4[], ${column((r) => r.input.genomeId)}::int4[],
                        ${column((r) => r.gene)}::int4[], ${column((r) => r.sample)}::int4[], ${column((r) => r.text)}::text[],
                        ${column((r) => r.input.source)}::text[], ${column((r) => r.input.jobId ?? null)}::int4[])
              WITH ORDINALITY AS u(m, g, gi, si, t, src, j, ord)
            ORDER BY ord
            ON CONFLICT DO NOTHING
            RETURNING id, model_id, genome_id, gene_index, sample_index
          )
          SELECT (SELECT coalesce(json_agg(json_build_object('modelId', p.model_id, 'genomeId', p.genome_id,
                    'revision', p.revision, 'sampleCount', p.sample_count, 'alleleLength', p.allele_length,
                    'counts', p.counts)), '[]'::json)
                  FROM ${populations} p JOIN unnest(${ints(keys.map((k) => k.modelId))}::int4[], ${ints(keys.map((k) => k.genomeId))}::int4[]) AS k(m, g)
                    ON p.model_id = k.m AND p.genome_id = k.g) AS populations,
                 (SELECT coalesce(json_agg(json_build_array(id::text, model_id, genome_id, gene_index, sample_index)), '[]'::json)
                  FROM ins) AS inserted`,
    );
    const [{ populations: before, inserted }] = written;
    // the answer each stored row belongs to: the first in arrival order with that key
    const owner = new Map<string, number>();
    rows.forEach((r, at) => {
      const key = `${r.input.modelId}:${r.input.genomeId}:${r.gene}:${r.sample}`;
      if (!owner.has(key)) owner.set(key, at);
    });
    const mine = new Map<number, { id: number; gene: number; text: string; at: number }[]>();
    for (const [id, m, g, gene, sample] of inserted) {
      const at = owner.get(`${m}:${g}:${gene}:${sample}`)!;
      const list = mine.get(rows[at].i) ?? [];
      list.push({ id: Number(id), gene, text: rows[at].text, at });
      mine.set(rows[at].i, list);
    }
    // 3. each answer's population from the one the answers before it left
    const state = new Map<string, PopulationState | null>(keys.map((k) => [popKey(k), null]));
    for (const p of before) state.set(`${p.modelId}:${p.genomeId}`, { ...p, revision: Number(p.revision) });
    const changed = new Set<string>();
    const accepted = new Map<number, number>();
    for (const { input, i } of taken) {
      const key = popKey(input);
      const previous = state.get(key) ?? null;
      const own = (mine.get(i) ?? []).sort((a, b) => a.at - b.at);
      accepted.set(i, own.length);
      if (own.length === 0) {
        outcomes[i] = { accepted: 0, rejected: input.samples.length, population: previous };
        continue;
      }
      const population = grownPopulation(input, previous, own);
      state.set(key, population);
      changed.add(key);
      outcomes[i] = { accepted: own.length, rejected: input.samples.length - own.length, population };
    }
    // 4. the requests' records, the jobs' counters, the populations and the revisions: one statement
    if (taken.length > 0) {
      const parts = [recordRequests(taken.map(({ input }) => input.request))];
      const jobs = new Map<number, { input: GroupedAppend; i: number }[]>();
      for (const t of taken) jobs.set(t.input.request.jobId, [...(jobs.get(t.input.request.jobId) ?? []), t]);
      [...jobs].forEach(([jobId, answers], k) =>
        parts.push(
          countJob(
            `counted${k}`,
            jobId,
            answers.map((a) => a.input.request),
            answers.reduce((sum, a) => sum + accepted.get(a.i)!, 0),
          ),
        ),
      );
      const finals = [...changed].map((key) => state.get(key)!);
      if (finals.length > 0) parts.push(upsertPopulations(finals));
      const first = taken[0].input;
      await tx.execute(
        sql`WITH ${sql.join(parts, sql`, `)} ${this.options.revisionBump(changed.size > 0, first.modelId, first.genomeId)}`,
      );
    }
    return outcomes.map((o) => o!);
  }
}

interface PopulationRow {
  modelId: number;
  genomeId: number;
  revision: number | string;
  sampleCount: number;
  alleleLength: number;
  counts: string;
}

const popKey = (p: { modelId: number; genomeId: number }) => `${p.modelId}:${p.genomeId}`;
const ints = (values: readonly number[]): SQL => sql`${sql.param(values)}`;

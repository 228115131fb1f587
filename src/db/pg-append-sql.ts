/**
 * The statements an append of probing answers ends with on PostgreSQL, as data-modifying parts
 * of one WITH clause: the requests' records, their jobs' counters, and the populations' new
 * states. Shared by a single append (postgres-store.ts) and a group of them (pg-append-group.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { populations, probeJobs, probeRequests } from './pg-schema';
import type { PopulationState, ProbeRequestRecord } from './store';

/** probe_requests rows for `requests`, in their order, as a WITH part named `logged`. */
export function recordRequests(requests: readonly ProbeRequestRecord[]): SQL {
  const column = <T>(f: (r: ProbeRequestRecord) => T) => sql.param(requests.map(f));
  return sql`logged AS (
      INSERT INTO ${probeRequests} (job_id, gene_index, samples, prompt_tokens, completion_tokens, cost_usd)
      SELECT j, gi, n, pt, ct, c
      FROM unnest(${column((r) => r.jobId)}::int4[], ${column((r) => r.gene)}::int4[], ${column((r) => r.samples)}::int4[],
                  ${column((r) => r.promptTokens)}::int4[], ${column((r) => r.completionTokens)}::int4[],
                  ${column((r) => r.costUsd)}::float8[]) WITH ORDINALITY AS r(j, gi, n, pt, ct, c, ord)
      ORDER BY ord
    )`;
}

/**
 * A job's counters moved by `requests` (its answers, in arrival order) that stored `accepted`
 * samples, as a WITH part named `name`; the cost is added one answer at a time, in that order
 * (floating-point sums depend on it), exactly as one update per answer would.
 */
export function countJob(name: string, jobId: number, requests: readonly ProbeRequestRecord[], accepted: number): SQL {
  const sum = (f: (r: ProbeRequestRecord) => number) => requests.reduce((s, r) => s + f(r), 0);
  const cost = requests.reduce<SQL>((total, r) => sql`(${total} + ${r.costUsd}::float8)`, sql`${probeJobs.costUsd}`);
  return sql`${sql.raw(name)} AS (
      UPDATE ${probeJobs} SET completed = completed + ${accepted}::int4,
        requests = requests + ${requests.length}::int4,
        prompt_tokens = prompt_tokens + ${sum((r) => r.promptTokens)}::int8,
        completion_tokens = completion_tokens + ${sum((r) => r.completionTokens)}::int8,
        cost_usd = ${cost}
      WHERE id = ${jobId}
    )`;
}

/** The populations' new states, inserted or replacing the stored ones, as a WITH part named `p`. */
export function upsertPopulations(finals: readonly PopulationState[]): SQL {
  const column = <T>(f: (p: PopulationState) => T) => sql.param(finals.map(f));
  return sql`p AS (
      INSERT INTO ${populations} (model_id, genome_id, revision, sample_count, allele_length, counts)
      SELECT * FROM unnest(${column((p) => p.modelId)}::int4[], ${column((p) => p.genomeId)}::int4[],
                           ${column((p) => p.revision)}::int8[], ${column((p) => p.sampleCount)}::int4[],
                           ${column((p) => p.alleleLength)}::int4[], ${column((p) => p.counts)}::text[])
      ON CONFLICT (model_id, genome_id) DO UPDATE SET revision = excluded.revision,
        sample_count = excluded.sample_count, allele_length = excluded.allele_length, counts = excluded.counts
    )`;
}

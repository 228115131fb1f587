/**
 * Issue 10 target: probing throughput with 1, 2 and 4 worker processes (`PHYLOLM_ROLE=worker`, the
 * compiled server) on one PostgreSQL, against a fake OpenAI-compatible server answering in 100 ms, with a
 * per-process concurrency cap (`PHYLOLM_WORKER_CONCURRENCY`) and the provider's global limit set
 * above what all workers together ask. Targets: at least 1.8x the one-worker throughput with 2
 * workers, 3.2x with 4. One API process enqueues the jobs; the clock runs from the first
 * startProbing until every job is SUCCEEDED (read from the database).
 * 64 models by default (BENCH_WORKERS_MODELS): throughput is a steady rate, and a 16-model run
 * lasts under 5 s at 4 workers, so the burst of startProbing calls and the uneven end of its last
 * jobs weighed as much as the workers did.
 * Printed for each run: the whole run's rate (the target's figure); the rate over the middle half
 * of its requests; and what a request costs, robust to
 * a busy machine's timings: the worker processes' CPU (from /proc) and the database statements
 * of every process (when the server loads pg_stat_statements) per provider request.
 *   BENCH=workers npm run bench   (PHYLOLM_BENCH_PG_URL names a server; else one is started)
 *   BENCH_WORKERS_NODE_OPTIONS="--require ./profile.js" adds node options to the workers (e.g. a
 *   preload that starts node:inspector's profiler; --cpu-prof itself is refused in NODE_OPTIONS)
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { startFakeOpenAI, type FakeServer } from '../test/helpers/fake-openai';
import { startServerProcess } from '../test/helpers/server-process';
import { postgresForBench } from './postgres';
import { syntheticGenome } from './synthetic';

const DELAY_MS = 100;
const PER_PROCESS = 4;
const MODELS = Number(process.env.BENCH_WORKERS_MODELS ?? 64);
const GENES = 32;
const SAMPLES = 4;
const TARGETS: Record<number, number> = { 2: 1.8, 4: 3.2 };

/** A compiled server (test/helpers/server-process.ts) with the bench's settings: no worker threads. */
const startServer = (env: Record<string, string>) =>
  startServerProcess({ PHYLOLM_WORKERS: '0', ...env }, process.cwd());

async function gql(url: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux; undefined elsewhere).
 * Worker CPU per request is the bench's robust figure: the machine's other load moves the
 * timings, not the CPU a request costs.
 */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces) : utime is the 14th field, stime the 15th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on every Linux build this runs on (sysconf(_SC_CLK_TCK)) */
const CLOCK_TICKS = 100;

/**
 * Statements the database ran (every process: workers, API and this bench's polling) when the
 * server has pg_stat_statements loaded; undefined otherwise.
 */
async function statementCount(pg: Client): Promise<number | undefined> {
  try {
    await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const { rows } = await pg.query<{ calls: string | null }>(
      `SELECT sum(calls) AS calls FROM pg_stat_statements WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT LIKE '%FILTER (WHERE status = %'`,
    );
    return Number(rows[0].calls ?? 0);
  } catch {
    return undefined;
  }
}

/**
 * CPU (ms) used so far by each server process serving this database (PostgreSQL runs one per
 * connection), when the server runs on this machine; empty otherwise.
 */
async function databaseCpu(pg: Client): Promise<Map<number, number>> {
  const { rows } = await pg.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = cpuMs(pid);
    if (ms !== undefined) cpu.set(pid, ms);
  }
  return cpu;
}

interface Measured {
  rps: number;
  /**
   * requests per second over the middle half of the requests (from the 25th to the 75th
   * percentile of the run's requests): the steady rate, without the fixed costs at both ends
   * (enqueueing, the queue's first poll, the last jobs' completion) that a short run weighs heavily
   */
  steady: number;
  /** ms from the first startProbing to the answer of the last one, to the first provider request, and to the last one */
  enqueuedMs: number;
  firstMs: number;
  lastMs: number;
  ms: number;
  requests: number;
  /** worker processes' CPU (ms) over the measured window, per provider request */
  cpuPerRequest?: number;
  /** the database server's CPU (ms) for this database over the measured window, per provider request */
  databaseCpuPerRequest?: number;
  /** database statements over the measured window, per provider request */
  statementsPerRequest?: number;
}

/** Requests per second with `workers` worker processes on a new database. */
async function throughput(workers: number, databaseUrl: string, fake: FakeServer): Promise<Measured> {
  const env = {
    PHYLOLM_DB: databaseUrl,
    // the provider's global limit never binds here: only each worker's own cap does
    PHYLOLM_WORKER_CONCURRENCY: String(PER_PROCESS),
    PHYLOLM_WORKER_JOBS: '4',
    PHYLOLM_LOG_LEVEL: 'info',
    // an OpenAI-compatible endpoint without a requests-per-minute limit (OpenAI's own plugin
    // carries its 500/min, shared by all workers, which would bound every run at 8 requests/s)
    PHYLOLM_OPENAI_COMPATIBLE: JSON.stringify([
      { name: 'bench', baseURL: fake.baseURL, models: ['m'], maxConcurrency: 4 * PER_PROCESS * workers },
    ]),
  };
  const api = await startServer({ ...env, PHYLOLM_ROLE: 'api' });
  const started = await Promise.all(
    Array.from({ length: workers }, () =>
      startServer({
        ...env,
        PHYLOLM_ROLE: 'worker',
        // to profile the workers, see the head of this file
        ...(process.env.BENCH_WORKERS_NODE_OPTIONS && { NODE_OPTIONS: process.env.BENCH_WORKERS_NODE_OPTIONS }),
      }),
    ),
  );
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const genome = (
      await gql(api.url, `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
        input: { name: 'bench', genes: syntheticGenome(GENES).genes },
      })
    ).createGenome.id;
    const models: string[] = [];
    for (let m = 0; m < MODELS; m++) {
      const input = {
        name: `m${m}`,
        provider: 'openai-compatible:bench',
        providerModel: 'm',
        mode: 'COMPLETION',
        maxTokens: 5,
      };
      models.push(
        (
          await gql(api.url, `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
            input,
          })
        ).registerModel.id,
      );
    }
    const before = fake.requests.length;
    const workerCpu = () => started.reduce((sum, w) => sum + (cpuMs(w.process.pid) ?? NaN), 0);
    const cpuBefore = workerCpu();
    const statementsBefore = await statementCount(pg);
    const databaseBefore = await databaseCpu(pg);
    const start = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - start) / 1e6;
    /** (ms since start, provider requests so far), sampled as the run is polled */
    const progress: [number, number][] = [];
    // Every job is asked for at once, as separate clients would: enqueued one after another,
    // 16 startProbing round trips (0.1 to 0.3 s each on a loaded 2-core machine) sat inside the
    // measured window, the same for 1, 2 or 4 workers, and capped the speedup (Amdahl).
    await Promise.all(
      models.map((model) =>
        gql(api.url, `mutation ($input: StartProbingInput!) { startProbing(input: $input) { id } }`, {
          input: { model, genome, samplesPerGene: SAMPLES },
        }),
      ),
    );
    const enqueuedMs = elapsed();
    for (;;) {
      const { rows } = await pg.query<{ done: string; failed: string }>(
        `SELECT count(*) FILTER (WHERE status = 'SUCCEEDED') AS done, count(*) FILTER (WHERE status = 'FAILED') AS failed FROM probe_jobs`,
      );
      if (Number(rows[0].failed) > 0) throw new Error('a probing job failed');
      progress.push([elapsed(), fake.requests.length - before]);
      if (Number(rows[0].done) === MODELS) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const ms = elapsed();
    const requests = fake.requests.length - before;
    const at = (share: number) => progress.find(([, n]) => n >= share * requests)!;
    const [[t1, n1], [t3, n3]] = [at(0.25), at(0.75)];
    const cpu = workerCpu() - cpuBefore;
    const statementsAfter = await statementCount(pg);
    const databaseAfter = await databaseCpu(pg);
    // a connection opened during the run counts from 0; one closed during it is missed (pools keep theirs)
    const databaseMs = [...databaseAfter].reduce((sum, [pid, ms]) => sum + ms - (databaseBefore.get(pid) ?? 0), 0);
    return {
      rps: requests / (ms / 1000),
      steady: (n3 - n1) / ((t3 - t1) / 1000),
      enqueuedMs,
      firstMs: progress.find(([, n]) => n > 0)![0],
      lastMs: at(1)[0],
      ms,
      requests,
      cpuPerRequest: Number.isFinite(cpu) ? cpu / requests : undefined,
      databaseCpuPerRequest: databaseAfter.size > 0 ? databaseMs / requests : undefined,
      statementsPerRequest:
        statementsBefore === undefined || statementsAfter === undefined
          ? undefined
          : (statementsAfter - statementsBefore) / requests,
    };
  } finally {
    await pg.end();
    await Promise.all([api, ...started].map((server) => server.stop()));
  }
}

export async function benchWorkers(): Promise<void> {
  const pg = postgresForBench();
  const fake = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: DELAY_MS } });
  process.stdout.write(
    `PostgreSQL: ${pg.origin}; ${MODELS} models x ${GENES} genes x ${SAMPLES} samples (one request per gene), ` +
      `provider answers in ${DELAY_MS} ms, ${PER_PROCESS} requests in flight per worker process\n`,
  );
  try {
    let base: Measured | undefined;
    for (const workers of [1, 2, 4]) {
      const database = await pg.createDatabase();
      try {
        const run = await throughput(workers, database.url, fake);
        base ??= run;
        const speedup = run.rps / base.rps;
        const steadySpeedup = run.steady / base.steady;
        const bound = (workers * PER_PROCESS) / (DELAY_MS / 1000);
        const target = TARGETS[workers];
        const verdict = (x: number) => (target ? `  target >= ${target}x ${x >= target ? 'OK' : 'UNDER'}` : '');
        process.stdout.write(
          `${`${workers} worker process${workers > 1 ? 'es' : ''}`.padEnd(20)} ${run.rps.toFixed(1).padStart(7)} requests/s ` +
            `(bound ${bound}/s, ${run.ms.toFixed(0)} ms, whole run)  speedup ${speedup.toFixed(2)}x${verdict(speedup)}\n` +
            `${''.padEnd(20)} ${run.steady.toFixed(1).padStart(7)} requests/s (middle half of the requests)  ` +
            `speedup ${steadySpeedup.toFixed(2)}x${verdict(steadySpeedup)}\n` +
            `${''.padEnd(20)} every job enqueued after ${run.enqueuedMs.toFixed(0)} ms, ` +
            `first request after ${run.firstMs.toFixed(0)} ms, last after ${run.lastMs.toFixed(0)} ms, ` +
            `every job SUCCEEDED after ${run.ms.toFixed(0)} ms\n` +
            `${''.padEnd(20)} ` +
            (run.cpuPerRequest === undefined ? '' : `worker CPU ${run.cpuPerRequest.toFixed(2)} ms/request  `) +
            (run.databaseCpuPerRequest === undefined
              ? ''
              : `PostgreSQL CPU ${run.databaseCpuPerRequest.toFixed(2)} ms/request  `) +
            (run.statementsPerRequest === undefined
              ? '(statements: no pg_stat_statements on the server)'
              : `${run.statementsPerRequest.toFixed(1)} database statements/request`) +
            '\n',
        );
      } finally {
        await database.drop();
      }
    }
  } finally {
    await fake.close();
    pg.stop();
  }
}

/**
 * Issue 10, must-be-true 3 (the store half): import and cold distance matrix at 1,000 and
 * 10,000 models x 128 genes x 32 samples, SQLite and PostgreSQL side by side in one run, the
 * real application on each. Target: the 10,000-model matrix cold in <= 60 s on 2 cores.
 *
 *   BENCH=store npm run bench                          both sizes
 *   BENCH=store BENCH_STORE_MODELS=1000 npm run bench  one size
 *
 * "import" is every model's 4,096 samples appended through the sample service (what the
 * importCompletions mutation runs after parsing), one transaction per model, populations
 * updated in the same transaction; the HTTP import of one more model is timed separately.
 * "cold matrix" is the similarity of every model, computed from the stored populations (read
 * from the store, then the worker pool); storing the result (a bytea / blob of n^2 doubles,
 * written behind the answer) is timed on its own, and so is asking for it again (cached): of the
 * same server, and of a second server on the same database (read back from the stored rows).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchApp } from './app';
import { postGraphQL } from './http';
import { postgresForBench, type BenchServer } from './postgres';
import { syntheticGenome, syntheticSamples } from './synthetic';
import { median, report, time } from './timing';

const GENES = 128;
const SAMPLES = 32;
const SIZES = (process.env.BENCH_STORE_MODELS ?? '1000,10000').split(',').map(Number);

export async function benchStore(): Promise<void> {
  const pg = postgresForBench();
  process.stdout.write(`PostgreSQL: ${pg.origin}; SQLite: a file in the temporary folder (WAL, synchronous=NORMAL)\n`);
  try {
    for (const models of SIZES) {
      process.stdout.write(
        `\n-- ${models} models x ${GENES} genes x ${SAMPLES} samples (${models * GENES * SAMPLES} samples)\n`,
      );
      await benchOne('SQLite', models, pg);
      await benchOne('PostgreSQL', models, pg);
    }
  } finally {
    pg.stop();
  }
}

async function benchOne(engine: 'SQLite' | 'PostgreSQL', models: number, pg: BenchServer): Promise<void> {
  const database = engine === 'PostgreSQL' ? await pg.createDatabase() : undefined;
  // the SQLite file in a folder of the bench's own, so that a second server can open it too
  const sqliteDir = mkdtempSync(join(tmpdir(), 'phylolm-bench-store-'));
  const sqlitePath = join(sqliteDir, 'store.db');
  const app = await startBenchApp(database ? { postgresUrl: database.url } : { dbPath: sqlitePath });
  const { services } = app;
  try {
    const synthetic = syntheticGenome(GENES);
    const genome = await services.genomes.create({ name: 'bench', genes: synthetic.genes });
    let appending = 0;
    const all: Awaited<ReturnType<typeof services.models.register>>[] = [];
    const wall = await time(async () => {
      for (let m = 0; m < models; m++) {
        const model = await services.models.register({ name: `m${m}`, provider: 'external' });
        const samples = syntheticSamples(synthetic, m, SAMPLES);
        appending += (await time(() => services.samples.append(model, genome, samples, 'IMPORTED'))).ms;
        all.push(model);
        // progress on stderr for the long sizes (the figures stay on stdout)
        if ((m + 1) % 1000 === 0) process.stderr.write(`${engine}: ${m + 1} models imported\n`);
      }
    });
    report(
      `${engine}: import ${models} models (appends only; ${rate(models * GENES * SAMPLES, appending)})`,
      appending,
    );
    report(`${engine}: same, wall clock with registering and generating`, wall.ms);

    const importQuery = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`;
    let k = 0;
    const httpImport = await median(5, async () => {
      const name = `http-${k}`;
      await services.models.register({ name, provider: 'external' });
      await postGraphQL(app.server.url, importQuery, {
        input: {
          model: `name:${name}`,
          genome: 'name:bench',
          completions: syntheticSamples(synthetic, 50_000 + k++, SAMPLES),
        },
      });
    });
    report(`${engine}: import one model, 4,096 samples, HTTP (median of 5)`, httpImport, 300);

    const cold = await time(() => services.distances.similarity(genome, all));
    report(`${engine}: cold distance matrix, ${models} models`, cold.ms, models >= 10_000 ? 60_000 : undefined);
    const stored = await time(() => services.writes.flush());
    const mb = (models * models * 8) / 1e6;
    report(`${engine}: storing that matrix (${mb.toFixed(0)} MB, written behind the answer)`, stored.ms);
    const cached = await time(() => services.distances.similarity(genome, all));
    report(`${engine}: the same matrix asked again (memory cache, else the stored row)`, cached.ms);
    // a second server on the database has nothing in memory: it reads the stored row (in parts)
    const second = await startBenchApp(database ? { postgresUrl: database.url } : { dbPath: sqlitePath });
    try {
      const stored = await time(() => second.services.distances.similarity(genome, all));
      report(`${engine}: the same matrix asked of a second server (read back from the database)`, stored.ms);
    } finally {
      await second.close();
    }
  } finally {
    await app.close();
    await database?.drop();
    rmSync(sqliteDir, { recursive: true, force: true });
  }
}

function rate(samples: number, ms: number): string {
  return `${Math.round(samples / (ms / 1000)).toLocaleString('en-US')} samples/s`;
}

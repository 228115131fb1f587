/**
 * Issue 10: one cached computation's payload stored and read back on each store alone (SQLite
 * file, PostgreSQL), in parts (src/db/computation-parts.ts). A 10,000-model distance matrix is
 * 800 MB of float64s; the payload here is float64s too, in shared memory as a matrix from the
 * compute pool is.
 *
 *   BENCH=computations npm run bench                               100 and 800 MB
 *   BENCH=computations BENCH_COMPUTATION_MB=300 npm run bench      other sizes
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type OpenedStore } from '../src/db/open-store';
import { postgresForBench } from './postgres';
import { report, time } from './timing';

const SIZES_MB = (process.env.BENCH_COMPUTATION_MB ?? '100,800').split(',').map(Number);

export async function benchComputations(): Promise<void> {
  const pg = postgresForBench();
  const dir = mkdtempSync(join(tmpdir(), 'phylolm-bench-computations-'));
  try {
    await benchOne('SQLite', await openStore({ dbPath: join(dir, 'store.db') }));
    const database = await pg.createDatabase();
    try {
      await benchOne('PostgreSQL', await openStore({ dbPath: '', postgresUrl: database.url }));
    } finally {
      await database.drop();
    }
  } finally {
    pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchOne(engine: string, opened: OpenedStore): Promise<void> {
  const { store } = opened;
  try {
    const genome = await store.createGenome({ name: 'bench', fingerprint: 'bench', genes: ['a'] });
    for (const mb of SIZES_MB) {
      const matrix = new Float64Array(new SharedArrayBuffer(mb * 1024 * 1024));
      for (let i = 0; i < matrix.length; i++) matrix[i] = Math.random();
      const payload = Buffer.from(matrix.buffer);
      const key = `bench-${mb}`;
      const entry = { key, kind: 'nei-similarity/v1', genomeId: genome.id, dependencies: '[]', payload };
      const put = await time(() => store.putComputation(entry));
      report(`${engine}: store ${mb} MB (${throughput(mb, put.ms)})`, put.ms);
      const get = await time(() => store.getComputation(key));
      if (!get.value?.payload.equals(payload)) throw new Error(`${engine}: ${mb} MB read back differ`);
      report(`${engine}: read back ${mb} MB (${throughput(mb, get.ms)})`, get.ms);
      await store.deleteComputations([key]);
    }
  } finally {
    await opened.close();
  }
}

const throughput = (mb: number, ms: number) => `${Math.round(mb / (ms / 1000))} MB/s`;

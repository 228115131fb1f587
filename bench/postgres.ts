/**
 * A PostgreSQL server for benchmarks: the one named by `PHYLOLM_BENCH_PG_URL` (or
 * `PHYLOLM_TEST_PG_URL`), else a throw-away one started with scripts/pg-test-server.sh for the
 * run and stopped after it. Each measurement gets a new database on it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../src/paths';

export interface BenchServer {
  url: string;
  /** how it was found, for the report */
  origin: string;
  /** CREATE DATABASE with a random name; returns its URL and how to drop it */
  createDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
  stop(): void;
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export function postgresForBench(): BenchServer {
  const given = process.env.PHYLOLM_BENCH_PG_URL || process.env.PHYLOLM_TEST_PG_URL;
  let dir: string | undefined;
  let url = given;
  const script = join(projectRoot, 'scripts', 'pg-test-server.sh');
  if (!url) {
    dir = mkdtempSync(join(tmpdir(), 'phylolm-bench-pg-'));
    const out = execFileSync(script, ['start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    url = out.trim().split('\n').pop()!;
  }
  const server = url;
  return {
    url: server,
    origin: given
      ? 'the server of PHYLOLM_BENCH_PG_URL / PHYLOLM_TEST_PG_URL'
      : 'scripts/pg-test-server.sh (fsync off: disposable data)',
    async createDatabase() {
      const name = `phylolm_bench_${randomBytes(5).toString('hex')}`;
      await admin(server, `CREATE DATABASE ${name}`);
      const parsed = new URL(server);
      parsed.pathname = `/${name}`;
      return { url: parsed.toString(), drop: () => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
    },
    stop() {
      if (!dir) return;
      execFileSync(script, ['stop', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

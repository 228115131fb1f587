/**
 * A PostgreSQL database of its own for one test file, on the server named by
 * `PHYLOLM_TEST_PG_URL` (`.ci/run` starts one with scripts/pg-test-server.sh and sets it).
 *
 * Without the variable the PostgreSQL tests cannot run: locally they are skipped with a test
 * whose name says why; in CI (`CI` set) a test fails with that message instead, so a CI run
 * that silently lost its database cannot pass.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const PG_TEST_URL = process.env.PHYLOLM_TEST_PG_URL || undefined;

const WHY =
  'PHYLOLM_TEST_PG_URL is not set: start a server with `scripts/pg-test-server.sh start DIR` and set it to the URL printed';

/**
 * `describe(name, body)` when a server is configured; otherwise one skipped test saying why
 * (locally) or one failing test saying why (in CI).
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (PG_TEST_URL) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    if (process.env.CI) {
      it('needs a PostgreSQL server', () => {
        throw new Error(`${WHY} (CI must run the PostgreSQL tests; .ci/run starts a server)`);
      });
    } else {
      it.skip(`skipped: ${WHY}`, () => undefined);
    }
  });
}

export interface TestDatabase {
  /** a URL to a new, empty database of this test file */
  url: string;
  /** drops the database (after every connection to it was closed) */
  drop(): Promise<void>;
}

async function withAdmin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE with a random name on the test server. */
export async function createTestDatabase(prefix = 'phylolm_test'): Promise<TestDatabase> {
  if (!PG_TEST_URL) throw new Error(WHY);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Every table of the store emptied and its ids restarted: a fresh store without a new database. */
export async function emptyAllTables(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'TRUNCATE models, genomes, genes, samples, populations, scores, computations, computation_claims, meta, probe_jobs, probe_requests RESTART IDENTITY CASCADE',
    );
  } finally {
    await client.end();
  }
}

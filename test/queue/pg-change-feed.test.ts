/**
 * The job change feed on LISTEN/NOTIFY (src/queue/pg-change-feed.ts) between two "processes"
 * (two feeds, each with its own connections) on a real PostgreSQL.
 */
import { Client } from 'pg';
import { PgChangeFeed } from '../../src/queue/pg-change-feed';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../helpers/postgres';

describeWithPostgres('job change feed through LISTEN/NOTIFY', () => {
  let db: TestDatabase;
  let a: PgChangeFeed;
  let b: PgChangeFeed;
  const heardByA: number[] = [];
  const heardByB: number[] = [];

  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  beforeAll(async () => {
    db = await createTestDatabase('phylolm_feed');
    a = await PgChangeFeed.start(db.url);
    b = await PgChangeFeed.start(db.url);
    a.onJob((id) => heardByA.push(id));
    b.onJob((id) => heardByB.push(id));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('tells the other process of job changes, each job once per batch, and not the sender', async () => {
    a.jobChanged(7);
    a.jobChanged(9);
    a.jobChanged(7);
    await until(() => heardByB.includes(7) && heardByB.includes(9));
    b.jobChanged(11);
    await until(() => heardByA.includes(11));
    expect(heardByB.sort()).toEqual([7, 9]);
    expect(heardByA).toEqual([11]);
  });

  it('listens again after its connection died', async () => {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database() AND pid <> pg_backend_pid()`,
    );
    await admin.end();
    expect(rowCount).toBe(2);
    // sent until heard: a notification sent while b had no listener is lost, as documented
    while (!heardByB.includes(42)) {
      a.jobChanged(42);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

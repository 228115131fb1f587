/**
 * The change feed on LISTEN/NOTIFY (src/queue/pg-change-feed.ts) between two "processes" (two
 * feeds, each with its own connections) on a real PostgreSQL, and the data revision a process
 * keeps in memory because of it (src/services/change-feed.ts).
 */
import { Client } from 'pg';
import { PgChangeFeed } from '../../src/queue/pg-change-feed';
import { SharedRevision } from '../../src/services/change-feed';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../helpers/postgres';

/** Resolves on the next call of the listener registered through `register`. */
function next<T extends unknown[]>(register: (listener: (...args: T) => void) => void): Promise<T> {
  return new Promise((resolve) => register((...args) => resolve(args)));
}

describeWithPostgres('change feed through LISTEN/NOTIFY', () => {
  let db: TestDatabase;
  let a: PgChangeFeed;
  let b: PgChangeFeed;

  beforeAll(async () => {
    db = await createTestDatabase('phylolm_feed');
    a = await PgChangeFeed.start(db.url);
    b = await PgChangeFeed.start(db.url);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('tells the other process of a write, and not the writer itself', async () => {
    expect(a.live && b.live).toBe(true);
    let heardByWriter = 0;
    a.onData(() => heardByWriter++);
    const heard = next<[]>((l) => b.onData(l));
    await a.dataChanged();
    await heard;
    // b writes too: a hears b's write only, never its own
    const heardByA = new Promise<void>((resolve) => a.onData(resolve));
    await b.dataChanged();
    await heardByA;
    expect(heardByWriter).toBe(1);
  });

  it('sends job changes in batches, each job once per batch', async () => {
    const jobs: number[] = [];
    const got = new Promise<void>((resolve) =>
      b.onJob((id) => {
        jobs.push(id);
        if (jobs.includes(7) && jobs.includes(9)) resolve();
      }),
    );
    a.jobChanged(7);
    a.jobChanged(9);
    a.jobChanged(7);
    await got;
    expect(jobs.sort()).toEqual([7, 9]);
  });

  it('keeps the data revision in memory until another process writes', async () => {
    let stored = 10;
    let reads = 0;
    const revision = new SharedRevision(async () => {
      reads++;
      return stored;
    }, b);
    expect(await revision.current()).toBe(10);
    expect(await revision.current()).toBe(10);
    expect(reads).toBe(1);
    stored = 11;
    const heard = next<[]>((l) => b.onData(l));
    await a.dataChanged();
    await heard;
    expect(await revision.current()).toBe(11);
    expect(reads).toBe(2);
  });

  it('reads the revision every time while the feed is down, and again once it is back', async () => {
    const c = await PgChangeFeed.start(db.url);
    try {
      let reads = 0;
      const revision = new SharedRevision(async () => ++reads, c);
      await revision.current();
      await revision.current();
      expect(reads).toBe(1);
      // the listening connections die: nothing heard can be trusted any more
      const lost = next<[]>((l) => c.onData(l));
      await terminateListeners(db.url);
      await lost;
      expect(c.live).toBe(false);
      await revision.current();
      await revision.current();
      expect(reads).toBe(3);
    } finally {
      await c.close();
    }
    // a and b reconnect by themselves
    while (!a.live || !b.live) await new Promise((resolve) => setTimeout(resolve, 100));
  });
});

async function terminateListeners(url: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
  );
  await admin.end();
}

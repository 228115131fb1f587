/**
 * Provider limits across processes (src/queue/pg-rate-limiter.ts): two limiter factories, each
 * with its own connection pool as two processes would have, share one provider's slots and
 * buckets on a real PostgreSQL.
 */
import { Client, Pool } from 'pg';
import { drawBuckets, hash32, pgRateLimiters, type PgRateLimiters } from '../../src/queue/pg-rate-limiter';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../helpers/postgres';

describeWithPostgres('provider limits shared through PostgreSQL', () => {
  let db: TestDatabase;
  let a: PgRateLimiters;
  let b: PgRateLimiters;

  beforeAll(async () => {
    db = await createTestDatabase('phylolm_limits');
    a = await pgRateLimiters(db.url);
    b = await pgRateLimiters(db.url);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('never has more requests in flight than the provider allows, counted over both processes', async () => {
    const limit = 3;
    const limiters = [a, b].map((p) => p.factory({ key: 'fake-provider', maxConcurrency: limit }));
    // a few event-loop turns and a database round trip, so that requests overlap
    const requests = counted(15);
    // each process alone would allow 3: together they would reach 6 without the shared slots
    await Promise.all(Array.from({ length: 24 }, (_, i) => limiters[i % 2].run(0, requests.request)));
    expect(requests.most).toBeLessThanOrEqual(limit);
    expect(requests.most).toBeGreaterThan(1);
    expect(requests.inFlight).toBe(0);
  });

  it('hands a slot over to the next request of the process instead of freeing and taking it again', async () => {
    // the statements a worker sends per provider request (issue 10, BENCH=workers): a slot freed
    // and taken anew costs two round trips, while a request of the same process waits for it
    const c = await pgRateLimiters(db.url, { perProcess: 2 });
    const query = jest.spyOn(Client.prototype, 'query');
    try {
      const limiter = c.factory({ key: 'handover', maxConcurrency: 4 });
      const requests = counted(5);
      await Promise.all(Array.from({ length: 40 }, () => limiter.run(0, requests.request)));
      expect(requests.most).toBe(2);
      const advisory = query.mock.calls.filter(([text]) => typeof text === 'string' && /advisory/.test(text));
      // without the hand-over: 40 takes and 40 frees
      expect(advisory.length).toBeLessThanOrEqual(12);
      // every slot is free again once the process has no request waiting for it
      await new Promise((resolve) => setTimeout(resolve, 50));
      const admin = new Pool({ connectionString: db.url });
      const { rowCount } = await admin.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid::int = $1`,
        [hash32('phylolm-rate:handover')],
      );
      await admin.end();
      expect(rowCount).toBe(0);
    } finally {
      query.mockRestore();
      await c.close();
    }
  });

  it('frees the slot of a process whose connection died while holding it', async () => {
    const c = await pgRateLimiters(db.url);
    try {
      const holder = c.factory({ key: 'one-slot', maxConcurrency: 1 });
      const releaseHolder = await holder.acquire();
      const other = a.factory({ key: 'one-slot', maxConcurrency: 1 });
      const waiting = other.acquire();
      // the holder's connection dies (its process was killed): PostgreSQL drops its advisory locks
      const admin = new Pool({ connectionString: db.url });
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid::int = $1`,
        [hash32('phylolm-rate:one-slot')],
      );
      await admin.end();
      expect(rowCount).toBe(1);
      const release = await waiting;
      release();
      // the dead connection is discarded when given back
      releaseHolder();
    } finally {
      await c.close().catch(() => undefined);
    }
  });

  it('draws requests per minute from one bucket for every process', async () => {
    const pools = [new Pool({ connectionString: db.url }), new Pool({ connectionString: db.url })];
    try {
      const clients = await Promise.all(pools.map((p) => p.connect()));
      const limits = { requestsPerMinute: 2 };
      expect(await drawBuckets(clients[0], 'rpm', limits, 0)).toBe(0);
      expect(await drawBuckets(clients[1], 'rpm', limits, 0)).toBe(0);
      // the bucket of 2 is empty for both: the next request waits about half a minute (1 / (2 per 60 s))
      const wait = await drawBuckets(clients[0], 'rpm', limits, 0);
      expect(wait).toBeGreaterThan(25_000);
      expect(wait).toBeLessThanOrEqual(30_000);
      for (const client of clients) client.release();
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('draws tokens per minute likewise, clamping a request larger than the bucket to the bucket', async () => {
    const pool = new Pool({ connectionString: db.url });
    const client = await pool.connect();
    try {
      const limits = { tokensPerMinute: 1000 };
      expect(await drawBuckets(client, 'tpm', limits, 600)).toBe(0);
      const wait = await drawBuckets(client, 'tpm', limits, 600);
      expect(wait).toBeGreaterThan(10_000);
      // 5,000 tokens wait for a full bucket, not forever
      expect(await drawBuckets(client, 'tpm2', limits, 5000)).toBe(0);
    } finally {
      client.release();
      await pool.end();
    }
  });
});

/** A request lasting `ms`, counting how many run at once (now and at the most). */
function counted(ms: number) {
  const state = {
    inFlight: 0,
    most: 0,
    request: async () => {
      state.inFlight++;
      state.most = Math.max(state.most, state.inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      state.inFlight--;
    },
  };
  return state;
}

/**
 * The pg-boss job queue (src/queue/pg-boss-queue.ts) on a real PostgreSQL, with two queue
 * objects standing for two worker processes and a handler standing for the job runner: every
 * delivery is taken by one process; an unfinished turn and a turn whose job is held elsewhere
 * come back; a cancelled job's waiting delivery never runs; a job the queue lost is enqueued again.
 */
import { PgBossJobQueue } from '../../src/queue/pg-boss-queue';
import type { JobHandler, TurnOutcome } from '../../src/services/probing/job-queue';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../helpers/postgres';

describeWithPostgres('probing jobs through pg-boss', () => {
  let db: TestDatabase;
  let a: PgBossJobQueue;
  let b: PgBossJobQueue;
  /** (job id, process) of every turn run */
  const turns: [number, string][] = [];
  /** what the next turns of a job answer, first first; then 'finished' */
  const script = new Map<number, TurnOutcome[]>();
  const waiters: { done: () => boolean; resolve: () => void }[] = [];

  const handler =
    (name: string): JobHandler =>
    async (jobId) => {
      turns.push([jobId, name]);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const outcome = script.get(jobId)?.shift() ?? 'finished';
      setImmediate(() => waiters.filter((w) => w.done()).forEach((w) => w.resolve()));
      return outcome;
    };
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => (done() ? resolve() : waiters.push({ done, resolve })));
  const turnsOf = (jobId: number) => turns.filter(([id]) => id === jobId);

  beforeAll(async () => {
    db = await createTestDatabase('phylolm_queue');
    a = await PgBossJobQueue.start({ url: db.url, leaseMs: 1000, jobsAtOnce: 2 });
    b = await PgBossJobQueue.start({ url: db.url, leaseMs: 1000, jobsAtOnce: 2 });
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('never runs a delivery whose job was cancelled while it waited', async () => {
    await a.enqueue(300);
    await a.enqueue(301);
    await a.cancel(300);
    await a.take(handler('a'));
    await b.take(handler('b'));
    await until(() => turnsOf(301).length === 1);
    await a.enqueue(302);
    await until(() => turnsOf(302).length === 1);
    expect(turnsOf(300)).toEqual([]);
  });

  it('runs each job once, in either process', async () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    for (const id of ids) await (id % 2 ? a : b).enqueue(id);
    await until(() => ids.every((id) => turnsOf(id).length > 0));
    // a moment more: a second delivery of any of them would show now
    await a.enqueue(9);
    await until(() => turnsOf(9).length === 1);
    for (const id of ids) expect(turnsOf(id)).toHaveLength(1);
  });

  it('sends the next turn of a job left unfinished', async () => {
    script.set(100, ['unfinished', 'unfinished']);
    await a.enqueue(100);
    await until(() => turnsOf(100).length === 3);
    expect(script.get(100)).toEqual([]);
  });

  it('enqueues again only the jobs the queue lost track of', async () => {
    // 401 waits for its turn; 400 was stored by a process that stopped before enqueuing it
    script.set(401, ['held', 'held']);
    await a.enqueue(401);
    await until(() => turnsOf(401).length === 1);
    expect(await b.adopt([400, 401])).toBe(1);
    await until(() => turnsOf(400).length === 1);
  });

  it('tries a job held by another live process again later, in case that process dies', async () => {
    script.set(200, ['held']);
    await b.enqueue(200);
    await until(() => turnsOf(200).length === 2);
  });

  it('wakes the idle workers of every process when a job is enqueued, instead of leaving it to their next poll', async () => {
    // pg-boss polls every half second at the shortest: a job enqueued just after a poll waited
    // that long (the workers bench, issue 10). Polling every minute here, only the wake-up can
    // start these turns within the test's time. A database of its own: the queues above poll theirs.
    const own = await createTestDatabase('phylolm_queue_wake');
    const api = await PgBossJobQueue.start({ url: own.url, leaseMs: 1000, jobsAtOnce: 1, pollSeconds: 60 });
    const worker = await PgBossJobQueue.start({ url: own.url, leaseMs: 1000, jobsAtOnce: 2, pollSeconds: 60 });
    try {
      await worker.take(handler('worker'));
      // the workers' first poll finds nothing; then each waits its minute
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const id of [500, 501, 502]) {
        await api.enqueue(id);
        await until(() => turnsOf(id).length === 1);
      }
      expect([500, 501, 502].map((id) => turnsOf(id)[0][1])).toEqual(['worker', 'worker', 'worker']);
    } finally {
      await api.stop();
      await worker.stop();
      await own.drop();
    }
  }, 20_000);
});

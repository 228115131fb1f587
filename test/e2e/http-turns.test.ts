/**
 * Requests take their turn on the event loop first come, first served (services/time-slice.ts),
 * so executions run one after another and /healthz keeps answering (issue 9, "Load held"). A
 * cached answer does not execute: it is replayed without waiting for a turn, so under 1,000
 * concurrent dashboards it neither pays a turn of the event loop per answer nor waits behind
 * executions it does not need. Waiters are queued here by the test itself (the server runs in
 * this process), released one per turn, so the assertions count turns, not milliseconds.
 */
import { performance } from 'node:perf_hooks';
import { startTestApp, type TestApp } from '../helpers/app';
import { postBody } from '../helpers/http';
import { pace, paceArrival, SLICE_MS } from '../../src/services/time-slice';

jest.setTimeout(60_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stopAndClean());

const WAITERS = 2000;

/** Expires this turn's slice, then queues WAITERS callers as executing requests would. */
function queueWaiters(): { released: () => number; all: Promise<unknown> } {
  void pace();
  const until = performance.now() + SLICE_MS + 2;
  while (performance.now() < until);
  let released = 0;
  const all = Promise.all(Array.from({ length: WAITERS }, () => paceArrival().then(() => void released++)));
  return { released: () => released, all };
}

it('replays a cached answer without waiting behind requests queued for their turn', async () => {
  const query = { query: 'query Cached { __typename }' };
  expect((await postBody(app.url, query)).status).toBe(200); // now in the response cache
  const waiters = queueWaiters();
  const hit = await postBody(app.url, query);
  const releasedWhenAnswered = waiters.released();
  await waiters.all;
  expect(hit.headers['x-phylolm-cache']).toBe('hit');
  expect(hit.json).toEqual({ data: { __typename: 'Query' } });
  expect(releasedWhenAnswered).toBeLessThan(WAITERS / 2);
});

it('a request that executes waits for its turn behind every caller queued before it', async () => {
  const waiters = queueWaiters();
  const miss = await postBody(app.url, { query: 'query NotCachedYet { __typename }' });
  const releasedWhenAnswered = waiters.released();
  await waiters.all;
  expect(miss.status).toBe(200);
  expect(miss.headers['x-phylolm-cache']).toBeUndefined();
  expect(releasedWhenAnswered).toBe(WAITERS);
});

/**
 * Back-pressure (issue 9, "Load held"): with PHYLOLM_MAX_INFLIGHT=1 and PHYLOLM_MAX_QUEUE=1, a
 * third concurrent GraphQL request is answered 503 with retry-after and a GraphQL-shaped
 * SERVER_BUSY error, not a reset connection; /healthz and /metrics bypass the queue; the held
 * requests are answered once they complete. "Slow" requests are clients that send their
 * headers and hold back the end of their body, so no clock is involved.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app';
import { httpRequest, postBody } from '../helpers/http';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus';

jest.setTimeout(120_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ maxInflight: 1, maxQueue: 1 });
});
afterAll(() => app.stopAndClean());

const BODY = JSON.stringify({ query: '{ __typename }' });

/** A POST whose last byte is held back until `finish`; resolves with the raw answer. */
function slowRequest(): { finish(): void; answer: Promise<string> } {
  const { port } = new URL(app.url);
  let socket: Socket;
  const answer = new Promise<string>((done, fail) => {
    let text = '';
    socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n` +
          `content-length: ${BODY.length}\r\nconnection: close\r\n\r\n${BODY.slice(0, -1)}`,
      );
    });
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => done(text));
    socket.on('error', fail);
  });
  return { finish: () => socket.write(BODY.slice(-1)), answer };
}

async function gauges() {
  const families = parsePrometheusText((await httpRequest(app.url, { path: '/metrics' })).text);
  return {
    inflight: sampleValue(families, 'phylolm_http_inflight_requests', 'phylolm_http_inflight_requests'),
    queued: sampleValue(families, 'phylolm_http_queued_requests', 'phylolm_http_queued_requests'),
    rejected: sampleValue(families, 'phylolm_http_rejected_total', 'phylolm_http_rejected_total'),
  };
}

it('answers 503 with retry-after beyond the limit and its queue, then serves again', async () => {
  const first = slowRequest();
  const second = slowRequest();
  // wait (bounded by count) until the server holds one request and queues the other
  let seen = await gauges();
  for (let i = 0; i < 200 && !(seen.inflight === 1 && seen.queued === 1); i++) {
    await new Promise((r) => setTimeout(r, 25));
    seen = await gauges();
  }
  expect(seen).toMatchObject({ inflight: 1, queued: 1 });

  const busy = await postBody(app.url, { query: '{ __typename }' });
  expect(busy.status).toBe(503);
  expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
  expect(busy.json.errors[0].extensions.code).toBe('SERVER_BUSY');
  expect(busy.json.errors[0].message).toMatch(/try again/);
  expect(busy.headers['cache-control']).toBe('no-store');

  const health = await httpRequest(app.url, { path: '/healthz' });
  expect(health.status).toBe(200);
  expect((await gauges()).rejected).toBe(1);

  first.finish();
  second.finish();
  for (const held of [first, second]) {
    const text = await held.answer;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('{"data":{"__typename":"Query"}}');
  }
  const after = await postBody(app.url, { query: '{ __typename }' });
  expect(after.status).toBe(200);
  expect(await gauges()).toMatchObject({ inflight: 0, queued: 0 });
});

it('a queued client that hangs up gives its place back', async () => {
  const first = slowRequest();
  const { port } = new URL(app.url);
  const leaving = connect(Number(port), '127.0.0.1');
  await new Promise<void>((r) => leaving.once('connect', () => r()));
  leaving.write(
    `POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: 5\r\n\r\n`,
  );
  let seen = await gauges();
  for (let i = 0; i < 200 && seen.queued !== 1; i++) {
    await new Promise((r) => setTimeout(r, 25));
    seen = await gauges();
  }
  expect(seen).toMatchObject({ inflight: 1, queued: 1 });
  leaving.destroy();
  for (let i = 0; i < 200 && seen.queued !== 0; i++) {
    await new Promise((r) => setTimeout(r, 25));
    seen = await gauges();
  }
  expect(seen.queued).toBe(0);
  first.finish();
  expect(await first.answer).toMatch(/^HTTP\/1\.1 200/);
  expect((await postBody(app.url, { query: '{ __typename }' })).status).toBe(200);
});

describe('the listen backlog', () => {
  // Node's default (511) drops the SYNs of a larger burst of new connections, and each dropped
  // client waits out TCP's 1 s retransmission. `ss` shows a listening socket's backlog as Send-Q.
  const ss = spawnSync('ss', ['-ltnH'], { encoding: 'utf8' });
  const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  (ss.status === 0 ? it : it.skip)('holds 4,096 waiting connections (or the kernel cap), not 511', () => {
    const { port } = new URL(app.url);
    const line = spawnSync('ss', ['-ltnH'], { encoding: 'utf8' })
      .stdout.split('\n')
      .find((l) => l.includes(`127.0.0.1:${port} `));
    expect(line).toBeDefined();
    const sendQ = Number(line!.trim().split(/\s+/)[2]);
    expect(sendQ).toBe(Math.min(4096, somaxconn));
  });
});

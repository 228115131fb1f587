/**
 * Error answers and the HTTP edge (issue 7, finding 7, transport part): no stack trace or server
 * path in any error body in any mode, cached answers still pass the CSRF check, an aborted slow
 * body is one short log line, and deeply nested variables are a clear 400, not a crash.
 */
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { createLogger } from '../../src/logger';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { wsClient } from '../helpers/ws';

jest.setTimeout(120_000);

const TOKEN = 'errors-s3cret';
const ROOT = resolve(__dirname, '../..');
const logs: string[] = [];
let app: TestApp;
let savedNodeEnv: string | undefined;

beforeAll(async () => {
  // `npm start` runs without NODE_ENV, where Apollo would add stack traces by default
  savedNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  app = await startTestApp(
    { adminToken: TOKEN },
    undefined,
    createLogger('debug', (line) => logs.push(line)),
  );
});
afterAll(async () => {
  process.env.NODE_ENV = savedNodeEnv;
  await app.stopAndClean();
});

async function raw(init: RequestInit & { search?: string }): Promise<{ status: number; text: string; json: any }> {
  const response = await fetch(app.url + (init.search ?? ''), init);
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  raw({ method: 'POST', headers, body });

describe('no error body carries a stack trace or a server path', () => {
  // the HTTP error kinds (parse, validation, CSRF, cost, bad JSON, ...) are one table in
  // test/e2e/http-errors.test.ts
  it('errors over graphql-ws are formatted the same way', async () => {
    const client = wsClient(app.url);
    try {
      const errors = await new Promise<unknown[]>((done) => {
        client.subscribe(
          { query: 'mutation { deleteModel(id: "1") { id } }' },
          { next: () => undefined, error: (e) => done(e as unknown[]), complete: () => done([]) },
        );
      });
      const text = JSON.stringify(errors);
      expect(text).toContain('UNAUTHENTICATED');
      expect(text).not.toContain('stacktrace');
      expect(text).not.toContain(ROOT);
    } finally {
      await client.dispose();
    }
  });
});

describe('nested variables over graphql-ws', () => {
  it('are refused with BAD_USER_INPUT like over HTTP', async () => {
    const client = wsClient(app.url);
    let nested: unknown = [];
    for (let i = 0; i < 100; i++) nested = [nested];
    try {
      const errors = await new Promise<{ extensions?: { code?: string } }[]>((done) => {
        client.subscribe(
          { query: '{ __typename }', variables: { a: nested } },
          { next: () => undefined, error: (e) => done(e as []), complete: () => done([]) },
        );
      });
      expect(errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      await client.dispose();
    }
  });
});

describe('the response cache', () => {
  it('a cached GET answer is still refused without a CSRF-preventing header', async () => {
    const search = `?query=${encodeURIComponent('{ genomes { name } }')}`;
    const first = await raw({ method: 'GET', search, headers: { 'apollo-require-preflight': 'true' } });
    expect(first.status).toBe(200);
    const second = await fetch(app.url + search, { headers: { 'apollo-require-preflight': 'true' } });
    expect(second.headers.get('x-phylolm-cache')).toBe('hit');
    const bare = await raw({ method: 'GET', search });
    expect(bare.status).toBe(400);
    expect(bare.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(bare.text).toContain('Cross-Site Request Forgery');
  });

  it('variables nested 200,000 deep get a clear 400 and the server stays up', async () => {
    const depth = 200_000;
    const body = `{"query":"{ __typename }","variables":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.json.errors[0].message).toContain('nested');
    expect(dataOf(await app.gql('{ __typename }')).__typename).toBe('Query');
  });
});

describe('an aborted slow body', () => {
  it('logs one short line without a stack trace, answers nothing, and the server stays up', async () => {
    const { port } = new URL(app.url);
    const before = logs.length;
    await new Promise<void>((done, fail) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"query":"{ __typ',
        );
        // give the server the headers and part of the body, then hang up mid-body
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on('close', () => done());
      socket.on('error', fail);
    });
    // the server notices the hang-up asynchronously: poll, bounded by count
    for (let i = 0; i < 100 && !logs.slice(before).some((l) => l.includes('aborted')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const lines = logs.slice(before);
    expect(lines.some((l) => l.includes('aborted'))).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain('stack');
      expect(line).not.toContain('"level":"error"');
    }
    expect(dataOf(await app.gql('{ __typename }')).__typename).toBe('Query');
  });
});

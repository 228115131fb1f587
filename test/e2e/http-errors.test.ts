/**
 * No internals in any error (issue 9): thirty kinds of bad request, over HTTP and graphql-ws,
 * each answered with a clear message and an `extensions.code`, and no stack trace, `.ts:`
 * position or server path, with NODE_ENV=development (where Apollo would add stack traces).
 */
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { httpRequest, internalsIn, postBody, type RawAnswer } from '../helpers/http';
import { fragmentBomb } from '../helpers/queries';
import { wsClient } from '../helpers/ws';

jest.setTimeout(30_000);

const TOKEN = 'errors-s3cret';
const JSON_TYPE = { 'content-type': 'application/json' };
const PREFLIGHT = { 'apollo-require-preflight': 'true' };
let app: TestApp;
let savedNodeEnv: string | undefined;

beforeAll(async () => {
  savedNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  app = await startTestApp({ adminToken: TOKEN, maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  process.env.NODE_ENV = savedNodeEnv;
  await app.stopAndClean();
});

const post = (body: unknown) => postBody(app.url, body);
const postText = (body: string | Buffer, headers: Record<string, string> = JSON_TYPE) =>
  httpRequest(app.url, { method: 'POST', headers, body });
const get = (params: Record<string, string>, headers: Record<string, string> = PREFLIGHT) =>
  httpRequest(app.url, { path: `?${new URLSearchParams(params)}`, headers });

/** The errors a graphql-ws subscription ends with, as an HTTP-like answer for the table. */
async function overWebSocket(query: string, variables?: Record<string, unknown>): Promise<RawAnswer> {
  const client = wsClient(app.url);
  try {
    const errors = await new Promise<unknown>((done) => {
      client.subscribe(
        { query, variables },
        {
          next: (value) => ('errors' in value && value.errors ? done(value.errors) : undefined),
          error: (e) => done(e),
          complete: () => done([]),
        },
      );
    });
    const text = JSON.stringify({ errors });
    return { status: 200, headers: {}, body: Buffer.from(text), text, json: JSON.parse(text) };
  } finally {
    await client.dispose();
  }
}

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const TYPENAME = '{ __typename }';
const unknownHash = { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } };

const CASES: Array<[string, () => Promise<RawAnswer>, string, number?]> = [
  ['malformed JSON', () => postText('{not json'), 'BAD_REQUEST', 400],
  ['empty body', () => postText(''), 'BAD_REQUEST', 400],
  ['a JSON body that is not an object', () => postText('42'), 'BAD_REQUEST', 400],
  ['a batch (array) body', () => postText('[{"query":"{ __typename }"}]'), 'BAD_REQUEST', 400],
  ['no query', () => post({ variables: {} }), 'BAD_REQUEST', 400],
  ['a query that is not a string', () => post({ query: 5 }), 'BAD_REQUEST', 400],
  ['a syntax error', () => post({ query: '{ models {' }), 'GRAPHQL_PARSE_FAILED', 400],
  ['an unknown field', () => post({ query: '{ noSuchField }' }), 'GRAPHQL_VALIDATION_FAILED', 400],
  ['a missing variable', () => post({ query: 'query ($id: ID!) { job(id: $id) { id } }' }), 'BAD_USER_INPUT'],
  [
    'a variable of the wrong type',
    () => post({ query: 'query ($n: Int) { models(first: $n) { totalCount } }', variables: { n: 'ten' } }),
    'BAD_USER_INPUT',
  ],
  ['variables that are not an object', () => post({ query: TYPENAME, variables: [1, 2] }), 'BAD_REQUEST', 400],
  ['variables given as a string', () => post({ query: TYPENAME, variables: '{"a":1}' }), 'BAD_REQUEST', 400],
  ['extensions that are not an object', () => post({ query: TYPENAME, extensions: 'x' }), 'BAD_REQUEST', 400],
  ['a CSRF-looking GET (no preflight header)', () => get({ query: TYPENAME }, {}), 'BAD_REQUEST', 400],
  [
    'a CSRF-looking POST (text/plain)',
    () => postText('{"query":"{ __typename }"}', { 'content-type': 'text/plain' }),
    'BAD_REQUEST',
    400,
  ],
  ['an unsupported content type', () => postText('<q/>', { 'content-type': 'application/xml' }), 'BAD_REQUEST', 400],
  ['a GET without a query', () => get({}), 'BAD_REQUEST', 400],
  ['a GET with malformed variables', () => get({ query: TYPENAME, variables: '{bad' }), 'BAD_REQUEST', 400],
  ['a mutation over GET', () => get({ query: 'mutation { deleteModel(id: "1") { id } }' }), 'BAD_REQUEST', 405],
  ['an unknown persisted query', () => post({ extensions: unknownHash }), 'PERSISTED_QUERY_NOT_FOUND'],
  [
    'a persisted-query hash that does not match its query',
    () => post({ query: TYPENAME, extensions: unknownHash }),
    'BAD_REQUEST',
    400,
  ],
  [
    'an unsupported method (PUT)',
    () => httpRequest(app.url, { method: 'PUT', headers: JSON_TYPE, body: '{}' }),
    'METHOD_NOT_ALLOWED',
    405,
  ],
  ['an unsupported method (DELETE)', () => httpRequest(app.url, { method: 'DELETE' }), 'METHOD_NOT_ALLOWED', 405],
  ['an unknown path', () => httpRequest(app.url, { path: '/nope' }), 'NOT_FOUND', 404],
  [
    'a body over the limit',
    () => postText(`{"query":"{ __typename }","pad":"${'x'.repeat(70 * 1024)}"}`),
    'BAD_USER_INPUT',
    413,
  ],
  [
    'a body that is not UTF-8',
    () =>
      postText(
        Buffer.concat([Buffer.from('{"query":"{ __typename }","x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      ),
    'BAD_REQUEST',
    400,
  ],
  [
    'JSON nested too deep',
    () => postText(`{"query":"{ __typename }","variables":{"a":${deep(5000)}}}`),
    'BAD_USER_INPUT',
    400,
  ],
  [
    'a subscription over HTTP',
    () => post({ query: 'subscription { jobProgress(id: "1") { id } }' }),
    'BAD_REQUEST',
    400,
  ],
  [
    'an operationName that names no operation',
    () => post({ query: 'query A { __typename }', operationName: 'B' }),
    'OPERATION_RESOLUTION_FAILURE',
  ],
  [
    'several operations without operationName',
    () => post({ query: 'query A { __typename } query B { __typename }' }),
    'OPERATION_RESOLUTION_FAILURE',
  ],
  [
    'a mutation without the admin token',
    () => post({ query: 'mutation { deleteModel(id: "1") { id } }' }),
    'UNAUTHENTICATED',
  ],
  ['a query too costly (fragment bomb)', () => post({ query: fragmentBomb() }), 'QUERY_TOO_COSTLY', 400],
  [
    'a query too deep',
    () =>
      post({ query: `{ ${'__schema { types { fields { type { ofType { '.repeat(4)}name${' } } } } }'.repeat(4)} }` }),
    'GRAPHQL_VALIDATION_FAILED',
    400,
  ],
  ['an unknown genome', () => post({ query: '{ distanceMatrix(genome: "999999") { fingerprint } }' }), 'NOT_FOUND'],
  [
    'a subscription over graphql-ws to an unknown job',
    () => overWebSocket('subscription { jobProgress(id: "999999") { id } }'),
    'NOT_FOUND',
  ],
  ['an unknown field over graphql-ws', () => overWebSocket('{ noSuchField }'), 'GRAPHQL_VALIDATION_FAILED'],
  ['/metrics without the admin token', () => httpRequest(app.url, { path: '/metrics' }), 'UNAUTHENTICATED', 401],
];

it('has at least thirty kinds of bad request', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(30);
});

// every row gets four values: with three, jest.each would pass its `done` callback as the fourth
const ROWS = CASES.map(([name, send, code, status]) => [name, send, code, status ?? 0] as const);

it.each(ROWS)('%s: a clear message and a code, no internals', async (_name, send, code, status) => {
  const answer = await send();
  if (status !== 0) expect(answer.status).toBe(status);
  expect(answer.headers['content-type'] ?? 'application/json').toMatch(/json/);
  const error = answer.json?.errors?.[0];
  expect(error?.extensions?.code).toBe(code);
  expect(typeof error?.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(8);
  expect(internalsIn(answer.text)).toEqual([]);
});

it('the request-body hash of a persisted query is checked before anything is learnt', async () => {
  const query = '{ __typename }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const ok = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
  expect(ok.status).toBe(200);
  expect(internalsIn(ok.text)).toEqual([]);
});

/**
 * HTTP for browsers and caches (issue 9): CORS from PHYLOLM_CORS_ORIGINS with preflights,
 * compression negotiated from accept-encoding, strong ETags with 304 on GET and POST and a new
 * ETag after a write, cache-control that lets a browser revalidate, and automatic persisted
 * queries that register even when the response cache answers.
 */
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { httpRequest, postBody } from '../helpers/http';

jest.setTimeout(120_000);

const DASHBOARD = 'https://dash.example.org';
/** introspection: a read-only answer well over 1 KB on an empty database */
const BIG = '{ __schema { types { name kind description fields { name description } } } }';
const GENOMES = '{ genomes { name geneCount } }';
const REGISTER = 'mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }';
const MODELS = '{ models { totalCount } }';
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ corsOrigins: [DASHBOARD, 'http://localhost:5173'] });
});
afterAll(() => app.stopAndClean());

describe('CORS', () => {
  it('an allowed origin gets access-control-allow-origin and vary: origin', async () => {
    const answer = await postBody(app.url, { query: GENOMES }, { origin: DASHBOARD });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(answer.headers.vary)).toMatch(/\borigin\b/i);
  });

  it('a refused origin gets no CORS header', async () => {
    const answer = await postBody(app.url, { query: GENOMES }, { origin: 'https://evil.example' });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a preflight is answered 204 without a body, with methods, headers and max-age', async () => {
    const answer = await httpRequest(app.url, {
      method: 'OPTIONS',
      headers: {
        origin: DASHBOARD,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.body.byteLength).toBe(0);
    expect(answer.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(answer.headers['access-control-allow-methods'])).toMatch(/POST/);
    const allowed = String(answer.headers['access-control-allow-headers']).toLowerCase();
    for (const header of ['content-type', 'authorization', 'apollo-require-preflight', 'if-none-match']) {
      expect(allowed).toContain(header);
    }
    expect(Number(answer.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  it('a preflight from a refused origin is a bodiless 204 without CORS headers', async () => {
    const answer = await httpRequest(app.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(answer.status).toBe(204);
    expect(answer.body.byteLength).toBe(0);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('CSRF prevention still holds for an allowed origin (a simple GET without preflight header)', async () => {
    const path = `?query=${encodeURIComponent(GENOMES)}`;
    await httpRequest(app.url, { path, headers: PREFLIGHT }); // now in the response cache
    const bare = await httpRequest(app.url, { path, headers: { origin: DASHBOARD } });
    expect(bare.status).toBe(400);
    expect(bare.json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('without PHYLOLM_CORS_ORIGINS no origin is allowed', async () => {
    const closed = await startTestApp();
    try {
      const answer = await postBody(closed.url, { query: GENOMES }, { origin: DASHBOARD });
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.stopAndClean();
    }
  });

  it('"*" allows any origin', async () => {
    const open = await startTestApp({ corsOrigins: ['*'] });
    try {
      const answer = await postBody(open.url, { query: GENOMES }, { origin: 'https://anyone.example' });
      expect(answer.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await open.stopAndClean();
    }
  });
});

describe('compression', () => {
  it.each([
    ['gzip', gunzipSync],
    ['br', brotliDecompressSync],
  ] as const)('%s is used when accepted, and decompresses to the same JSON', async (encoding, decompress) => {
    const plain = await postBody(app.url, { query: BIG });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.byteLength).toBeGreaterThan(1024);
    // twice: the first executes, the second is replayed from the response cache
    for (let i = 0; i < 2; i++) {
      const packed = await postBody(app.url, { query: BIG }, { 'accept-encoding': encoding });
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(String(packed.headers.vary)).toMatch(/accept-encoding/i);
      expect(packed.body.byteLength).toBeLessThan(plain.body.byteLength);
      expect(JSON.parse(decompress(packed.body).toString('utf8'))).toEqual(plain.json);
    }
  });

  it('prefers brotli when both are accepted, and leaves small answers alone', async () => {
    const both = await postBody(app.url, { query: BIG }, { 'accept-encoding': 'gzip, deflate, br' });
    expect(both.headers['content-encoding']).toBe('br');
    const refused = await postBody(app.url, { query: BIG }, { 'accept-encoding': 'gzip;q=0, br;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const small = await postBody(app.url, { query: '{ __typename }' }, { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json.data.__typename).toBe('Query');
  });
});

describe('ETag and cache-control', () => {
  it('a query gets a strong ETag and no-cache; a matching If-None-Match gets 304 (POST and GET)', async () => {
    const first = await postBody(app.url, { query: MODELS });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/ prefix
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await postBody(app.url, { query: MODELS }, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
    expect(again.headers.etag).toBe(etag);

    const path = `?query=${encodeURIComponent(MODELS)}`;
    const get = await httpRequest(app.url, { path, headers: { ...PREFLIGHT, 'if-none-match': `"other", ${etag}` } });
    expect(get.status).toBe(304);
    const stale = await httpRequest(app.url, { path, headers: { ...PREFLIGHT, 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
    expect(stale.json.data.models.totalCount).toBe(0);
  });

  it('a write gives a new ETag; mutations and errors are no-store', async () => {
    const before = await postBody(app.url, { query: MODELS });
    const write = await postBody(app.url, {
      query: REGISTER,
      variables: { input: { name: 'etag-m', provider: 'external' } },
    });
    expect(write.status).toBe(200);
    expect(write.headers['cache-control']).toBe('no-store');
    expect(write.headers.etag).toBeUndefined();
    const after = await postBody(app.url, { query: MODELS }, { 'if-none-match': before.headers.etag as string });
    expect(after.status).toBe(200);
    expect(after.json.data.models.totalCount).toBe(1);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const error = await postBody(app.url, { query: '{ noSuchField }' });
    expect(error.headers['cache-control']).toBe('no-store');
    expect(error.headers.etag).toBeUndefined();
  });

  it('the ETag is the same whether the answer is compressed or not', async () => {
    const plain = await postBody(app.url, { query: BIG });
    const packed = await postBody(app.url, { query: BIG }, { 'accept-encoding': 'gzip' });
    expect(packed.headers.etag).toBe(plain.headers.etag);
    const revalidated = await postBody(
      app.url,
      { query: BIG },
      { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.etag as string },
    );
    expect(revalidated.status).toBe(304);
  });
});

describe('automatic persisted queries', () => {
  it('a hash registers even when the full query was answered from the response cache', async () => {
    const query = '{ genomes { name } __typename }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    dataOf(await app.gql(query)); // the answer is now in the response cache
    const full = await postBody(app.url, { query, extensions });
    expect(full.status).toBe(200);
    expect(full.headers['x-phylolm-cache']).toBe('hit');
    const hashOnly = await postBody(app.url, { extensions });
    expect(hashOnly.status).toBe(200);
    expect(hashOnly.json.errors).toBeUndefined();
    expect(hashOnly.json.data.__typename).toBe('Query');
    // and as a GET, the way Apollo Client sends persisted queries
    const path = `?extensions=${encodeURIComponent(JSON.stringify(extensions))}`;
    const get = await httpRequest(app.url, { path, headers: PREFLIGHT });
    expect(get.status).toBe(200);
    expect(get.json.data.__typename).toBe('Query');
  });

  it('an unknown hash is PERSISTED_QUERY_NOT_FOUND, and a hash that does not match its query is refused', async () => {
    const unknown = await postBody(app.url, {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } },
    });
    expect(unknown.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const query = '{ __typename genomes { geneCount } }';
    dataOf(await app.gql(query));
    const wrong = await postBody(app.url, {
      query,
      extensions: { persistedQuery: { version: 1, sha256Hash: 'cd'.repeat(32) } },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const notLearnt = await postBody(app.url, {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'cd'.repeat(32) } },
    });
    expect(notLearnt.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

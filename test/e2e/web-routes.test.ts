/**
 * The browser pages over plain HTTP (no browser): the dashboard at `/`, its hashed assets under
 * `/assets/`, and GraphiQL at `/graphql` for a browser's GET, with their content types, ETags,
 * compression, cache and security headers; API GETs and POSTs on `/graphql` answer as before.
 * dist/web is built by the e2e project's global setup (`npm run build`).
 */
import { request } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let origin: string;

beforeAll(async () => {
  app = await startTestApp();
  origin = app.url.replace(/\/graphql$/, '');
});
afterAll(() => app.stopAndClean());

function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
}

it('serves the dashboard page at / with a strict CSP and revalidation', async () => {
  const res = await fetch(`${origin}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toMatch(/https?:/);
  const html = await res.text();
  expect(html).toContain('<title>PhyloLM');
  // every asset the page names is local and served
  const assets = assetsOf(html);
  expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
  expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
  expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  // a matching If-None-Match gets 304 without a body
  const etag = res.headers.get('etag')!;
  expect(etag).toMatch(/^"[^"]+"$/);
  const again = await fetch(`${origin}/`, { headers: { 'if-none-match': etag } });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe('');
});

it('serves hashed assets with their content type, compressed, cached for a year', async () => {
  const html = await (await fetch(`${origin}/`)).text();
  for (const asset of assetsOf(html)) {
    const plain = await fetch(`${origin}${asset}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    const type = asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
    expect(plain.headers.get('content-type')).toBe(type);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = Buffer.from(await plain.arrayBuffer());
    // fetch decodes brotli itself: the same bytes, under the same ETag
    const raw = await fetch(`${origin}${asset}`, { headers: { 'accept-encoding': 'br' } });
    expect(raw.headers.get('content-encoding')).toBe('br');
    expect(raw.headers.get('vary')).toContain('accept-encoding');
    expect(raw.headers.get('etag')).toBe(plain.headers.get('etag'));
    expect(Buffer.from(await raw.arrayBuffer()).equals(body)).toBe(true);
  }
});

it('sends brotli bytes that decode to the file', async () => {
  const html = await (await fetch(`${origin}/`)).text();
  const script = assetsOf(html).find((a) => a.endsWith('.js'))!;
  const compressed = await new Promise<Buffer>((resolve, reject) => {
    request(`${origin}${script}`, { headers: { 'accept-encoding': 'br' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    })
      .on('error', reject)
      .end();
  });
  const plain = Buffer.from(await (await fetch(`${origin}${script}`)).arrayBuffer());
  expect(brotliDecompressSync(compressed).equals(plain)).toBe(true);
  expect(compressed.byteLength).toBeLessThan(plain.byteLength);
});

it('answers HEAD without a body and refuses other methods', async () => {
  const head = await fetch(`${origin}/`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
  const post = await fetch(`${origin}/`, { method: 'POST', body: 'x' });
  expect(post.status).toBe(405);
  expect(post.headers.get('allow')).toBe('GET, HEAD');
});

it.each(['/assets/../package.json', '/assets/%2e%2e/package.json', '/assets/nope.js', '/assets/', '/index.html'])(
  'answers %s with a JSON 404 and serves nothing outside the built pages',
  async (path) => {
    const res = await fetch(`${origin}${path}`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
  },
);

it('gives a browser GraphiQL at /graphql, bundled and local', async () => {
  const res = await fetch(`${app.url}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await res.text();
  expect(html).toContain('<title>GraphiQL');
  const assets = assetsOf(html);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) expect((await fetch(`${origin}${asset}`)).status).toBe(200);
  expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
});

it('keeps API GETs and POSTs on /graphql as they were', async () => {
  const get = await fetch(`${app.url}?query=${encodeURIComponent('{ predictors }')}`, {
    headers: { accept: 'text/html,application/json', 'apollo-require-preflight': '1' },
  });
  expect(get.status).toBe(200);
  expect(((await get.json()) as { data: { predictors: string[] } }).data.predictors.length).toBeGreaterThan(0);
  const post = await app.gql('{ defaultPredictor }');
  expect(post.data).toEqual({ defaultPredictor: expect.any(String) });
  // without text/html and without a query, it is still Apollo's answer (a 400), not the page
  const bare = await fetch(app.url, { headers: { accept: 'application/json' } });
  expect(bare.headers.get('content-type')).not.toContain('text/html');
});

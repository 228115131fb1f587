/**
 * The built browser pages (`npm run build` writes them to dist/web, scripts/build-web.ts): the
 * dashboard at `/`, GraphiQL for a browser's GET of `/graphql`, and their bundles under
 * `/assets/`. Only files the build wrote are served, never a path a client composes: a name under
 * `/assets/` must be a plain file name found in that folder.
 *
 * Files are read once and kept in memory with their strong ETag (RFC 9110 §8.8.3, etag.ts) and
 * their gzip and brotli copies, made on first demand (compression.ts). Bundles carry a content
 * hash in their name, so they are cached for a year as `immutable` (RFC 8246); the two pages are
 * `no-cache` (revalidated with If-None-Match, 304 when unchanged) so that a rebuild shows at once.
 * Pages get a Content-Security-Policy that lets them load and connect to this server only.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseEncoding, compress, MIN_COMPRESS_BYTES, type Encoding } from './compression';
import { etagOf, ifNoneMatchHits } from './etag';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * 'self' covers the page's own ws:// origin for graphql-ws (CSP Level 3 §6.7.2.8). Inline
 * styles are allowed because GraphiQL's editors (CodeMirror) set `style` attributes; scripts
 * are never inline. Fonts and a few icons come as data: URLs inside GraphiQL's stylesheet.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** esbuild's `[name]-[hash]` file names: the hash is 8 base-32 characters */
const HASHED_NAME = /-[A-Z0-9]{8}\.[a-z0-9]+$/;
const PLAIN_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

interface LoadedFile {
  body: Buffer;
  etag: string;
  contentType: string;
  cacheControl: string;
  isPage: boolean;
  encoded: Partial<Record<Encoding, Promise<Buffer>>>;
}

export class StaticFiles {
  private readonly files = new Map<string, Promise<LoadedFile | undefined>>();

  /** `root`: the folder holding the pages (index.html, graphiql.html) and `assets/` */
  constructor(private readonly root: string) {}

  /** The file a URL path names, or undefined: `/` is the dashboard, `/assets/<name>` a bundle. */
  fileFor(pathname: string): string | undefined {
    if (pathname === '/') return 'index.html';
    if (!pathname.startsWith('/assets/')) return undefined;
    const name = pathname.slice('/assets/'.length);
    return PLAIN_FILE_NAME.test(name) ? `assets/${name}` : undefined;
  }

  /**
   * Answers GET or HEAD of a built file (relative to the root); false when there is no such
   * file, so the caller answers 404.
   */
  async serve(req: IncomingMessage, res: ServerResponse, relativePath: string): Promise<boolean> {
    const file = await this.load(relativePath);
    if (!file) return false;
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'cache-control': file.cacheControl,
      etag: file.etag,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
    };
    if (file.isPage) {
      headers['content-security-policy'] = PAGE_CSP;
      headers['referrer-policy'] = 'no-referrer';
    }
    if (ifNoneMatchHits(req.headers['if-none-match'], file.etag)) {
      delete headers['content-type'];
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    let payload = file.body;
    const encoding =
      file.body.byteLength >= MIN_COMPRESS_BYTES ? chooseEncoding(req.headers['accept-encoding']) : undefined;
    if (encoding) {
      file.encoded[encoding] ??= compress(file.body, encoding);
      payload = await file.encoded[encoding]!;
      headers['content-encoding'] = encoding;
    }
    headers['content-length'] = String(payload.byteLength);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
    return true;
  }

  private load(relativePath: string): Promise<LoadedFile | undefined> {
    let file = this.files.get(relativePath);
    if (!file) {
      file = readFile(join(this.root, relativePath)).then(
        (body) => describe(relativePath, body),
        () => undefined,
      );
      this.files.set(relativePath, file);
      // a missing file is looked for again next time (the build may still be running)
      void file.then((found) => {
        if (!found) this.files.delete(relativePath);
      });
    }
    return file;
  }
}

function describe(relativePath: string, body: Buffer): LoadedFile {
  const extension = extname(relativePath);
  const isPage = extension === '.html';
  return {
    body,
    etag: etagOf(body),
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    cacheControl: HASHED_NAME.test(relativePath) ? 'public, max-age=31536000, immutable' : 'no-cache',
    isPage,
    encoded: {},
  };
}

/**
 * Whether a GET of `/graphql` is a browser opening the page rather than an API call: it accepts
 * HTML and carries no GraphQL parameters.
 */
export function wantsGraphiQL(req: IncomingMessage, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (url.searchParams.has('query') || url.searchParams.has('extensions')) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

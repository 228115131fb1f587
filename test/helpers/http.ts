/**
 * Raw HTTP for the transport tests: node:http rather than fetch, because fetch decompresses
 * bodies, hides `content-encoding` details and refuses to set some headers (`origin`) a browser
 * sets; these tests look at the bytes and headers a browser or cache would see.
 */
import { request } from 'node:http';
import { resolve } from 'node:path';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json: any;
}

export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; path?: string } = {},
): Promise<RawAnswer> {
  const target = new URL(options.path ?? '', url);
  return new Promise((done, fail) => {
    const req = request(
      target,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          done({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
        });
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

/** A POST of a GraphQL body (an object, serialised) with JSON content type and extra headers. */
export const postBody = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  httpRequest(url, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });

const ROOT = resolve(__dirname, '../..');

/**
 * What no error body may carry, in any mode: a stack trace, a TypeScript source position, the
 * repository's path, node_modules, or any absolute path of a source file. Returns the reasons.
 */
export function internalsIn(text: string): string[] {
  const found: string[] = [];
  if (text.includes('stacktrace')) found.push('stacktrace');
  if (/\.ts:\d/.test(text) || text.includes('.ts:')) found.push('.ts:');
  if (text.includes(ROOT)) found.push('repository path');
  if (text.includes('node_modules')) found.push('node_modules');
  if (/\bat [\w.<>]+ \(/.test(text)) found.push('stack frame');
  if (/(^|[\s"'(=:])\/(?:[\w.@-]+\/)+[\w.@-]+\.(?:[cm]?[jt]s)\b/.test(text)) found.push('absolute path');
  return found;
}

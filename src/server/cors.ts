/**
 * CORS (Fetch standard, "CORS protocol") for `PHYLOLM_CORS_ORIGINS`: a page on a listed origin
 * may read answers and send the headers a GraphQL client needs; any other origin gets no CORS
 * header at all, so its browser withholds the answer. Without the variable no origin is listed.
 *
 * CORS only decides what a browser lets a page READ; it does not stop a cross-site request from
 * reaching the server. That is Apollo's CSRF prevention (and src/server/csrf.ts for cached
 * answers), which still holds: a listed origin passes it the normal way, by sending
 * `content-type: application/json` (which forces a preflight) or `apollo-require-preflight`.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const CORS_METHODS = 'GET, POST, OPTIONS';
/** what Apollo clients, the admin token, CSRF prevention and revalidation need */
export const CORS_REQUEST_HEADERS =
  'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, if-none-match, accept-encoding';
/** headers a page may read besides the CORS-safelisted ones */
export const CORS_EXPOSED_HEADERS = 'etag, retry-after, x-phylolm-cache';
/** how long a browser may reuse a preflight: 10 minutes (Chromium caps at 2 hours anyway) */
export const CORS_MAX_AGE_SECONDS = 600;

export class CorsPolicy {
  private readonly any: boolean;
  private readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.any = origins.includes('*');
    this.origins = new Set(origins);
  }

  /** The value of access-control-allow-origin for this request's Origin, or undefined (refused). */
  allowOrigin(origin: string | undefined): string | undefined {
    if (this.any) return '*';
    return origin !== undefined && this.origins.has(origin) ? origin : undefined;
  }

  /** Headers every answer carries for this request (none for a refused or absent origin). */
  headersFor(headers: IncomingHttpHeaders): Record<string, string> {
    const allowed = this.allowOrigin(headers.origin);
    const out: Record<string, string> = {};
    // the answer depends on Origin whenever a list decides, so shared caches must key on it
    if (!this.any && this.origins.size > 0) out.vary = 'origin';
    if (allowed === undefined) return out;
    out['access-control-allow-origin'] = allowed;
    out['access-control-expose-headers'] = CORS_EXPOSED_HEADERS;
    return out;
  }

  /** A preflight's answer headers: the grant when the origin is listed, otherwise only vary. */
  preflightHeaders(headers: IncomingHttpHeaders): Record<string, string> {
    const out = this.headersFor(headers);
    if (out['access-control-allow-origin'] === undefined) return out;
    return {
      ...out,
      'access-control-allow-methods': CORS_METHODS,
      'access-control-allow-headers': CORS_REQUEST_HEADERS,
      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    };
  }
}

/**
 * Whole-response cache for read-only GraphQL operations. Executing a 1,000 x 1,000 matrix field
 * through graphql-js and JSON-serialising it costs ~300 ms, while dashboards ask the same query
 * again and again; replaying the bytes answers in a few milliseconds.
 *
 * Correctness: the key includes the store's data revision, which every write to user data bumps
 * (models, genomes, samples, scores, jobs), so a replayed body is always what executing the
 * operation again would return. Only complete 200 answers without errors are kept.
 */
import { createHash } from 'node:crypto';
import { LruCache } from '../services/lru-cache';
import type { Encoding } from './compression';

export interface CachedResponse {
  headers: [string, string][];
  body: Buffer;
  /** the strong ETag of `body` (src/server/etag.ts) */
  etag: string;
  /** the body compressed, per content-encoding, made on first demand (src/server/compression.ts) */
  encoded: Partial<Record<Encoding, Buffer>>;
}

export class ResponseCache {
  private readonly entries: LruCache<CachedResponse>;

  constructor(maxBytes: number) {
    this.entries = new LruCache(
      maxBytes,
      (r) => r.body.byteLength + Object.values(r.encoded).reduce((sum, b) => sum + (b?.byteLength ?? 0), 0),
    );
  }

  /**
   * The cache key of a request, or null when it has no query text. A key is computed for any
   * document: only answers whose operation Apollo resolved as a query are ever stored under one
   * (http-server.ts), so a mutation's key never hits, and no second parse is needed here.
   */
  keyOf(body: unknown, search: string, revision: number): string | null {
    const request =
      body && typeof body === 'object'
        ? (body as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(search));
    const query = request.query;
    if (typeof query !== 'string') return null;
    let canonical: string;
    try {
      canonical = JSON.stringify([query, request.operationName ?? null, request.variables ?? null, revision]);
    } catch {
      return null; // not serialisable (the HTTP front bounds nesting first): just not cached
    }
    return createHash('sha256').update(canonical).digest('hex');
  }

  get(key: string): CachedResponse | undefined {
    return this.entries.get(key);
  }

  set(key: string, response: CachedResponse): void {
    this.entries.set(key, response);
  }

  /** Keeps a compressed copy beside an entry still cached (re-set, so its size counts). */
  addEncoding(key: string, encoding: Encoding, bytes: Buffer): void {
    const entry = this.entries.get(key);
    if (entry) this.entries.set(key, { ...entry, encoded: { ...entry.encoded, [encoding]: bytes } });
  }
}

/** True when a serialised GraphQL answer carries data and no errors. */
export function isCleanAnswer(body: string): boolean {
  return body.startsWith('{"data":') && !body.includes('"errors":[');
}

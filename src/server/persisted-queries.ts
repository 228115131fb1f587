/**
 * Automatic persisted queries (Apollo's APQ protocol: `extensions.persistedQuery.sha256Hash`)
 * in front of the response cache. Apollo learns a hash only when it executes the request, but a
 * cached answer is replayed before Apollo sees it, so a client that sent the full query once
 * and then only the hash got PERSISTED_QUERY_NOT_FOUND. The HTTP front learns every verified
 * hash itself and puts the query back into a hash-only request, which then goes through the
 * response cache and Apollo like any other. Bounded like Apollo's own APQ store (30 MiB LRU).
 */
import { createHash } from 'node:crypto';
import { LruCache } from '../services/lru-cache';

const CAPACITY_BYTES = 30 * 1024 * 1024;

export interface PersistedQueryRequest {
  query?: unknown;
  extensions?: unknown;
}

function persistedQueryHash(request: PersistedQueryRequest): string | undefined {
  const extensions = request.extensions;
  if (!extensions || typeof extensions !== 'object') return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (!persisted || typeof persisted !== 'object') return undefined;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

export class PersistedQueries {
  private readonly queries = new LruCache<string>(CAPACITY_BYTES, (q) => q.length * 2);

  /**
   * The query the request stands for: its own (learnt when it matches its hash), or the one
   * learnt for its hash, or undefined. `hashMismatch`: the request's hash is not its query's,
   * which Apollo refuses, so it must not be answered from the cache.
   */
  resolve(request: PersistedQueryRequest): { query?: string; hashMismatch: boolean } {
    const hash = persistedQueryHash(request);
    if (typeof request.query === 'string') {
      if (hash === undefined) return { query: request.query, hashMismatch: false };
      // already verified: a string comparison instead of hashing the query again
      if (this.queries.get(hash) === request.query) return { query: request.query, hashMismatch: false };
      if (createHash('sha256').update(request.query).digest('hex') !== hash) {
        return { query: request.query, hashMismatch: true };
      }
      this.queries.set(hash, request.query);
      return { query: request.query, hashMismatch: false };
    }
    return { query: hash === undefined ? undefined : this.queries.get(hash), hashMismatch: false };
  }
}

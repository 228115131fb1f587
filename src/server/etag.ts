/**
 * Strong entity tags for read-only answers (RFC 9110 §8.8.3): a hash of the uncompressed body,
 * so the same answer has the same tag whatever encoding carries it, and any change of data
 * (a write bumps the data revision, and the body with it) gives a new tag. If-None-Match uses
 * the weak comparison (§13.1.2): `W/"x"` matches `"x"`.
 */
import { createHash } from 'node:crypto';

export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match header value names `etag` (or is `*`). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Content fingerprints: SHA-256 over a canonical encoding of the parts. Each part is
 * length-prefixed so that ["ab", "c"] and ["a", "bc"] never collide.
 */
import { createHash } from 'node:crypto';

export function fingerprint(...parts: readonly (string | number)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const text = String(part);
    hash.update(`${Buffer.byteLength(text)}:`);
    hash.update(text);
  }
  return hash.digest('hex');
}

/** A genome's fingerprint depends only on its gene texts, in order (not on its name). */
export function genomeFingerprint(genes: readonly string[]): string {
  return fingerprint('genome/v1', genes.length, ...genes);
}

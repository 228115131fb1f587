/** Small input checks shared by services; each throws a BAD_USER_INPUT error naming the field. */
import { badInput } from './errors';

export function requireText(field: string, value: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badInput(`${field} must not be empty`);
  if (trimmed.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters`);
  return trimmed;
}

/**
 * In a `u` regular expression a surrogate pair is one code point (not in category Cs), so this
 * matches exactly the lone surrogates: `!LONE_SURROGATE.test(s)` is `s.isWellFormed()` (ES2024).
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The first lone surrogate of `text`, described as `U+D800 at index 1`, or null when well-formed. */
export function loneSurrogate(text: string): string | null {
  const match = LONE_SURROGATE.exec(text);
  if (!match) return null;
  return `U+${match[0].charCodeAt(0).toString(16).toUpperCase()} at index ${match.index}`;
}

export function illFormedMessage(field: string, problem: string): string {
  return (
    `${field} is not well-formed Unicode: it has a lone UTF-16 surrogate (${problem}); ` +
    'send text as UTF-8, or escape astral characters as whole surrogate pairs'
  );
}

/**
 * Refuses text with a lone surrogate: SQLite stores UTF-8, which cannot hold one, so it would be
 * stored rewritten as U+FFFD. (The API checks every argument; this is for text decoded inside a
 * service, e.g. JSON escapes in a score table.)
 */
export function requireWellFormed(field: string, text: string): string {
  const problem = loneSurrogate(text);
  if (problem !== null) throw badInput(illFormedMessage(field, problem));
  return text;
}

export function requireNumberIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) throw badInput(`${field} must be a finite number, got ${value}`);
  if (value < min || value > max) throw badInput(`${field} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function requireIntIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Refuses a list longer than `max`, naming the argument and the limit. */
export function requireListLength(field: string, list: readonly unknown[], max: number): void {
  if (list.length > max) {
    throw badInput(
      `${field} names ${list.length.toLocaleString('en-US')} items; a request may name at most ${max.toLocaleString('en-US')}`,
    );
  }
}

/** Cursor pagination: `first` defaults to `fallback` and is capped so no request is unbounded. */
export function pageSize(first: number | null | undefined, fallback: number, max: number): number {
  if (first === null || first === undefined) return fallback;
  return requireIntIn('first', first, 0, max);
}

export function encodeCursor(kind: string, position: number): string {
  return Buffer.from(`${kind}:${position}`).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = new RegExp(`^${kind}:(-?[0-9]{1,16})$`).exec(text);
  if (!match) throw badInput(`"after" is not a valid ${kind} cursor: "${cursor}"`);
  return Number(match[1]);
}

/**
 * Most models one request may name in a list (`distanceMatrix`, `tree`, `importLeaderboardScores`).
 * Beyond it a request is refused up front: the list becomes one SQL `IN (...)` (SQLite allows
 * 32,766 variables) and a matrix of that many rows is already far past what one request may cost.
 */
export const MAX_MODELS_PER_REQUEST = 5_000;

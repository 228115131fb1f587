/** Small input checks shared by services; each throws a BAD_USER_INPUT error naming the field. */
import { badInput } from './errors';

export function requireText(field: string, value: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badInput(`${field} must not be empty`);
  if (trimmed.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters`);
  return trimmed;
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

/** Looks a row up by exactly one of id or name; an id that cannot be ours finds nothing. */
export async function findByIdOrName<T>(
  ref: { id?: string | null; name?: string | null },
  byId: (id: number) => Promise<T | undefined>,
  byName: (name: string) => Promise<T | undefined>,
): Promise<T | null> {
  if ((ref.id == null) === (ref.name == null)) throw badInput('give exactly one of id or name');
  if (ref.id != null) return /^[1-9][0-9]{0,15}$/.test(ref.id) ? ((await byId(Number(ref.id))) ?? null) : null;
  return (await byName(ref.name!)) ?? null;
}

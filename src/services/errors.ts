/**
 * Domain errors thrown by services. They carry the GraphQL error code they map to, so the API
 * layer translates them without knowing each case; anything else is an internal error and is
 * masked before it reaches a client.
 */
export { asStorageError, StorageError } from '../db/storage-errors';
export { UnstorableTextError } from '../db/store';

export type UserErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'CONFLICT';

export class UserError extends Error {
  constructor(
    message: string,
    readonly code: UserErrorCode,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const badInput = (message: string): UserError => new UserError(message, 'BAD_USER_INPUT');
export const notFound = (message: string): UserError => new UserError(message, 'NOT_FOUND');
/** The request names an existing row that differs from what it asks for (`ifExists: RETURN`). */
export const conflict = (message: string): UserError => new UserError(message, 'CONFLICT');

/** Parses a GraphQL ID that must be one of our positive integer row ids. */
export function parseId(kind: string, id: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) throw notFound(`no ${kind} with id "${id}"`);
  return Number(id);
}

/**
 * How errors reach clients. Domain errors (`UserError`) and core input errors become GraphQL
 * errors with a stable `extensions.code`; anything unexpected is logged and masked as
 * INTERNAL_SERVER_ERROR so internals (SQL, paths, keys) never leak.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { PhyloInputError } from '../core/errors';
import { asStorageError, UserError } from '../services/errors';

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function createFormatError(log: (message: string, error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof UserError) {
      return { ...formatted, message: original.message, extensions: { code: original.code } };
    }
    if (original instanceof PhyloInputError) {
      return { ...formatted, message: original.message, extensions: { code: 'BAD_USER_INPUT' } };
    }
    // full disk, read-only or corrupt file, lock held too long: the server's fault, but a clear one
    const storage = asStorageError(original);
    if (storage) {
      log('storage unavailable', original);
      return { ...formatted, message: storage.message, extensions: { code: 'STORAGE_UNAVAILABLE' } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) return formatted;
    log('internal error', original);
    return {
      message: 'internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

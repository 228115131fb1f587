/**
 * How errors reach clients, on HTTP and graphql-ws alike. Domain errors (`UserError`) and core
 * input errors become GraphQL errors with a stable `extensions.code`; anything unexpected is
 * logged and masked as INTERNAL_SERVER_ERROR so internals (SQL, paths, keys) never leak. No answer
 * carries a stack trace, whatever NODE_ENV says: `extensions` keeps only what clients need.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { PhyloInputError } from '../core/errors';
import { asStorageError, UnstorableTextError, UserError } from '../services/errors';

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'QUERY_TOO_COSTLY',
]);

/** Extensions that are for the server only: Apollo's stack traces and its HTTP status hints. */
const PRIVATE_EXTENSIONS = new Set(['stacktrace', 'exception', 'http']);

function publicExtensions(extensions: GraphQLFormattedError['extensions']): Record<string, unknown> | undefined {
  if (!extensions) return undefined;
  return Object.fromEntries(Object.entries(extensions).filter(([key]) => !PRIVATE_EXTENSIONS.has(key)));
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * An operation whose estimated work is over a limit (src/graphql/validation/cost.ts); refused
 * before any resolver runs, with the figures so the client can see what to ask for instead.
 */
export function queryTooCostly(message: string, figures: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COSTLY', ...figures, http: { status: 400 } } });
}

export type FormatError = ReturnType<typeof createFormatError>;

/**
 * The error that was thrown, below the GraphQLErrors that carry it: a resolver's error comes
 * wrapped with its path, and an error thrown by the gate before execution (loading its cost
 * figures, say) comes wrapped by Apollo without one; either way the cause decides the code.
 */
function thrownError(error: unknown): unknown {
  let cause = unwrapResolverError(error);
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  return cause;
}

export function createFormatError(log: (message: string, error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = thrownError(error);
    if (original instanceof UserError) {
      return { ...formatted, message: original.message, extensions: { code: original.code } };
    }
    if (original instanceof PhyloInputError || original instanceof UnstorableTextError) {
      return { ...formatted, message: original.message, extensions: { code: 'BAD_USER_INPUT' } };
    }
    // full disk, read-only or corrupt file, lock held too long: the server's fault, but a clear one
    const storage = asStorageError(original);
    if (storage) {
      log('storage unavailable', original);
      return { ...formatted, message: storage.message, extensions: { code: 'STORAGE_UNAVAILABLE' } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      return { ...formatted, extensions: publicExtensions(formatted.extensions) };
    }
    // graphql-js stops coercing variables after 50 errors with this error, which has no code
    // (Apollo marks only the 50 per-variable ones BAD_USER_INPUT); it is still the client's input.
    if (original instanceof GraphQLError && original.message.startsWith('Too many errors processing variables')) {
      return { message: original.message, extensions: { code: 'BAD_USER_INPUT' } };
    }
    log('internal error', original);
    return {
      message: 'internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

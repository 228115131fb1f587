/**
 * Refuses text that is not well-formed UTF-16 in any resolver argument, before the resolver runs.
 *
 * Why: JSON may carry a lone surrogate (`"m\ud800x"`), and JavaScript keeps it, but SQLite
 * stores text as UTF-8, which cannot represent one, so it was stored as U+FFFD: two different
 * names became the same row text, and a gene was stored changed while its fingerprint was taken
 * from the original (issue 7). Refusing at the API edge means nothing is silently rewritten.
 *
 * It wraps the resolver of every field that takes arguments, inside graphql-js execution, so it
 * guards every transport alike (HTTP and graphql-ws) and argument values from variables,
 * literals and defaults. (GraphQL string literals with a lone surrogate escape are already
 * refused by the graphql-js lexer; JSON variables are not.) A type-graphql global middleware
 * would do the same but runs on every field, arguments or not, and makes each one async: a
 * 1,000-model page of 10 fields went from 37 ms to 192 ms. Fields without arguments, the vast
 * majority of resolver calls, are left untouched here.
 */
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { badInput } from '../services/errors';
import { illFormedMessage, loneSurrogate } from '../services/validate';

/** The path of the first ill-formed string among `value`'s strings, with what is wrong, or null. */
function findIllFormedText(value: unknown, path: string): { path: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = loneSurrogate(value);
    return problem === null ? null : { path, problem };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findIllFormedText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findIllFormedText(item, path === '' ? key : `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/** Throws BAD_USER_INPUT naming the first argument path whose text is not well-formed. */
function requireWellFormedArguments(args: Record<string, unknown>): void {
  const found = findIllFormedText(args, '');
  if (found) {
    throw badInput(illFormedMessage(found.path, found.problem));
  }
}

function guarded<T extends GraphQLFieldResolver<unknown, unknown>>(resolve: T): T {
  return ((source, args, context, info) => {
    requireWellFormedArguments(args);
    return resolve(source, args, context, info);
  }) as T;
}

/**
 * Makes every field with arguments (queries, mutations, subscriptions and nested fields such as
 * `genes(first, after)`) check its arguments first. Changes `schema` in place and returns it.
 */
export function refuseIllFormedArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      field.resolve = guarded(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guarded(field.subscribe);
    }
  }
  return schema;
}

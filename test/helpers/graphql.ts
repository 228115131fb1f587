/**
 * The GraphQL layer in process: the real schema, context, error formatting, validation rules and
 * admin-token plugin, executed with Apollo's `executeOperation` over services on an in-memory
 * SQLite store. No HTTP, no files: a failure here points at the resolvers, the schema or the
 * services, not at the transport. test/helpers/app.ts is the same over real HTTP.
 * The Apollo options are the HTTP front's own (`gatedApolloOptions`), so the gate, its rules and
 * the error formatting are the ones clients meet.
 */
import { ApolloServer } from '@apollo/server';
import { openDatabase } from '../../src/db/client';
import { SqliteStore } from '../../src/db/sqlite-store';
import type { Store } from '../../src/db/store';
import { createContext, type Context } from '../../src/graphql/context';
import { createFormatError } from '../../src/graphql/errors';
import { getSchema } from '../../src/graphql/schema';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/validation/limits';
import { gatedApolloOptions } from '../../src/server/gate-plugin';
import { createServices, type ServiceOptions, type Services } from '../../src/services';
import type { GraphQLAnswer } from './app';
import { builtinRegistry } from './registry';

export type { GraphQLAnswer } from './app';
export { dataOf } from './app';

export interface GraphQLHarness {
  services: Services;
  store: Store;
  /** Unexpected errors the server logged (and masked for the client). */
  internalErrors: unknown[];
  gql<T = any>(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<GraphQLAnswer<T>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** when set, mutations need `Authorization: Bearer <adminToken>` */
  adminToken?: string;
  /** wraps the in-memory store, e.g. to make one method fail */
  wrapStore?: (store: Store) => Store;
  services?: ServiceOptions;
}

export async function startGraphQL(options: HarnessOptions = {}): Promise<GraphQLHarness> {
  const database = openDatabase(':memory:');
  const sqlite = new SqliteStore(database);
  const store = options.wrapStore ? options.wrapStore(sqlite) : sqlite;
  const services = createServices(store, { registry: builtinRegistry(), ...options.services });
  const internalErrors: unknown[] = [];
  const server = new ApolloServer<Context>(
    gatedApolloOptions(
      await getSchema(),
      createFormatError((_message, error) => internalErrors.push(error)),
      { limits: DEFAULT_QUERY_LIMITS, adminToken: options.adminToken },
    ),
  );
  await server.start();
  return {
    services,
    store,
    internalErrors,
    async gql(query, variables, authorization) {
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: createContext(services, authorization) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single (non-incremental) result');
      const { data, errors } = response.body.singleResult;
      return {
        status: response.http.status ?? 200,
        data: (data ?? undefined) as never,
        errors: errors as GraphQLAnswer<unknown>['errors'],
      };
    },
    async close() {
      await services.jobs.shutdown();
      await server.stop();
      await services.writes.flush();
      database.close();
    },
  };
}

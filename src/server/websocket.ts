/**
 * graphql-ws on `/graphql` (subscriptions, and any query or mutation a client sends that way)
 * behind the same gate as HTTP: the same message size limit as the HTTP body
 * (PHYLOLM_MAX_BODY_BYTES, `ws` closes the socket with 1009 beyond), the admin token checked
 * when the connection opens and on every operation, the same parse and validation rules, the
 * same cost model, and the same error formatting.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { createContext } from '../graphql/context';
import type { FormatError } from '../graphql/errors';
import { asGraphQLError, checkOperation, type GateOptions } from '../graphql/validation/gate';
import { parserAndValidator } from '../graphql/validation/rules';
import { acceptConnection, connectionAuthorization } from './admin-token';
import { jsonDepthExceeds } from './json-depth';

export interface WebSocketOptions extends GateOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  services: Services;
  logger: Logger;
  formatError: FormatError;
  maxBodyBytes: number;
}

export function startWebSocketServer(options: WebSocketOptions): { dispose(): Promise<void> | void } {
  const { schema, services, logger, formatError, limits } = options;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: options.maxBodyBytes,
  });
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));
  const parseAndValidate = parserAndValidator(schema, limits);
  return useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      schema,
      onConnect: (ctx) => acceptConnection(ctx, options.adminToken),
      async onSubscribe(ctx, _id, payload) {
        try {
          if (
            jsonDepthExceeds(payload.variables, limits.maxJsonDepth) ||
            jsonDepthExceeds(payload.extensions, limits.maxJsonDepth)
          ) {
            return [
              new GraphQLError(`variables are nested more than ${limits.maxJsonDepth} levels deep`, {
                extensions: { code: 'BAD_USER_INPUT' },
              }),
            ];
          }
          const parsed = parseAndValidate(payload.query);
          if ('errors' in parsed) return parsed.errors;
          const contextValue = createContext(services, connectionAuthorization(ctx), logger);
          await checkOperation(
            schema,
            parsed.document,
            payload.variables,
            payload.operationName,
            contextValue,
            options,
          );
          return {
            schema,
            document: parsed.document,
            variableValues: payload.variables,
            operationName: payload.operationName,
            contextValue,
          };
        } catch (error) {
          // thrown, graphql-ws would close the socket with the message as its reason
          return [asGraphQLError(error)];
        }
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wsServer,
  );
}

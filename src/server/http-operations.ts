/**
 * What HTTP refuses that graphql-ws serves: a subscription. Without this, Apollo answers one
 * over HTTP with an error that has no code (masked as INTERNAL_SERVER_ERROR); the client's
 * mistake deserves a BAD_REQUEST that says where subscriptions live.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../graphql/context';

export function httpOperationsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError(
              'subscriptions are served over WebSocket (graphql-ws protocol) at ws://<host>/graphql, not over HTTP',
              { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}

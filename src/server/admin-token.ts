/**
 * The PHYLOLM_ADMIN_TOKEN rule (contract): when a token is configured, every mutation needs
 * `Authorization: Bearer <token>`; queries stay open. Compared in constant time so the token
 * cannot be guessed byte by byte from response timings.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { unauthenticated } from '../graphql/errors';
import type { Context } from '../graphql/context';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1].trim()), digest(token));
}

export function adminTokenPlugin(token: string | undefined): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (!token || operation?.operation !== 'mutation') return;
          if (!bearerMatches(contextValue.authorization, token)) {
            throw unauthenticated('mutations need "Authorization: Bearer <PHYLOLM_ADMIN_TOKEN>"');
          }
        },
      };
    },
  };
}

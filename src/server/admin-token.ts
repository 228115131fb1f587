/**
 * The PHYLOLM_ADMIN_TOKEN rule (contract): when a token is configured, every mutation needs
 * `Bearer <token>`; queries and subscriptions stay open. The check itself is the gate's
 * (src/graphql/validation/gate.ts), the same for both transports; this module says where a
 * graphql-ws connection carries its token.
 */
import type { IncomingMessage } from 'node:http';
import { bearerMatches } from '../graphql/context';

/** What a graphql-ws connection knows of its client. */
export interface ConnectionInfo {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { request: IncomingMessage };
}

/**
 * The connection's credentials as an Authorization value: `connectionParams.authorization`
 * (`Bearer <token>`), `connectionParams.token` (the bare token), or the upgrade request's
 * Authorization header, in that order; undefined when the client sent none.
 */
export function connectionAuthorization(connection: ConnectionInfo): string | undefined {
  const params = connection.connectionParams ?? {};
  if (typeof params.authorization === 'string') return params.authorization;
  if (typeof params.token === 'string') return `Bearer ${params.token}`;
  return connection.extra.request.headers.authorization;
}

/**
 * Whether to accept a connection: always without a configured token or without credentials
 * (such a client may still query and subscribe); with credentials, only when they match, so a
 * wrong token is refused at the door rather than on its first mutation.
 */
export function acceptConnection(connection: ConnectionInfo, token: string | undefined): boolean {
  if (!token) return true;
  const authorization = connectionAuthorization(connection);
  return authorization === undefined || bearerMatches(authorization, token);
}

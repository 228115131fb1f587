/** graphql-ws clients on a test app, over the real `ws` package. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A graphql-ws client on the app whose HTTP GraphQL url is `url`; `lazy` so a refused connection
 * shows up on the first operation, and no retries so a test sees the first failure.
 */
export function wsClient(
  url: string,
  connectionParams?: Record<string, unknown>,
  socketImpl: typeof WebSocket = WebSocket,
): Client {
  return createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: socketImpl,
    connectionParams,
    lazy: true,
    retryAttempts: 0,
  });
}

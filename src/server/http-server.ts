/**
 * The HTTP front: `/graphql` through Apollo Server (and graphql-ws on the same path, see
 * websocket.ts), `/healthz`, a request-body size and nesting limit and the response cache. Built
 * on node:http directly (Apollo's `executeHTTPGraphQLRequest`), which is all an integration
 * package would add here. Both transports pass the same gate (src/graphql/validation/gate.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { createContext, type Context } from '../graphql/context';
import { createFormatError } from '../graphql/errors';
import { getSchema } from '../graphql/schema';
import { asStorageError } from '../services/errors';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../graphql/validation/limits';
import { mayBeCrossSiteRequest } from './csrf';
import { gatedApolloOptions } from './gate-plugin';
import { jsonDepthExceeds } from './json-depth';
import { isCleanAnswer, ResponseCache } from './response-cache';
import { startWebSocketServer } from './websocket';

export interface HttpServerOptions {
  services: Services;
  logger: Logger;
  port: number;
  host: string;
  /** when set, every mutation needs `Authorization: Bearer <token>` */
  adminToken?: string;
  maxBodyBytes: number;
  responseCacheBytes: number;
  /** depth, tokens, aliases, directives, cost, provider calls, JSON nesting; defaults otherwise */
  limits?: Partial<QueryLimits>;
}

export interface RunningServer {
  url: string;
  port: number;
  httpServer: Server;
  stop(): Promise<void>;
}

class BodyTooLargeError extends Error {}
/** The body's bytes are not UTF-8: decoding them would silently put U+FFFD in stored text. */
class BodyNotUtf8Error extends Error {}
/** The client went away before its body was complete: its business, not a server failure. */
class ClientAbortedError extends Error {}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const { services, logger } = options;
  const httpServer = createServer();
  const schema = await getSchema();
  const formatError = createFormatError((message, error) => logger.log('error', message, { error }));
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const gate = { limits, adminToken: options.adminToken };
  const subscriptions = startWebSocketServer({
    ...gate,
    httpServer,
    schema,
    services,
    logger,
    formatError,
    maxBodyBytes: options.maxBodyBytes,
  });
  const apolloOptions = gatedApolloOptions(schema, formatError, gate);
  const apollo = new ApolloServer<Context>({
    ...apolloOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => subscriptions.dispose() }) },
      ...apolloOptions.plugins,
    ],
  });
  await apollo.start();
  const cache = new ResponseCache(options.responseCacheBytes);

  httpServer.on('request', (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ClientAbortedError) {
        // one short line, no stack: a client hanging up mid-body is routine
        logger.log('debug', 'request aborted by the client before its body was complete', { reason: error.message });
        res.destroy();
        return;
      }
      logger.log('error', 'request failed', { error });
      const storage = asStorageError(error);
      if (storage && !res.headersSent)
        sendJson(res, 503, { errors: [{ message: storage.message, extensions: { code: 'STORAGE_UNAVAILABLE' } }] });
      else if (!res.headersSent)
        sendJson(res, 500, {
          errors: [{ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      const health = await services.health();
      if (health.ok) sendJson(res, 200, { status: 'ok' });
      else sendJson(res, 503, { status: 'unavailable', reason: health.reason });
      return;
    }
    if (url.pathname !== '/graphql') {
      sendJson(res, 404, { error: `no route ${url.pathname}; GraphQL is served at /graphql` });
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyNotUtf8Error) {
        sendJson(res, 400, {
          errors: [{ message: 'request body is not valid UTF-8', extensions: { code: 'BAD_REQUEST' } }],
        });
        return;
      }
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendJson(res, 413, {
        errors: [
          {
            message: `request body is larger than the limit of ${options.maxBodyBytes} bytes`,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = raw;
    if ((headers.get('content-type') ?? '').includes('json') && raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        sendJson(res, 400, {
          errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
        });
        return;
      }
    }
    if (jsonDepthExceeds(req.method === 'POST' ? body : searchJson(url), limits.maxJsonDepth)) {
      sendJson(res, 400, {
        errors: [
          {
            message: `the request's JSON (variables, extensions) is nested more than ${limits.maxJsonDepth} levels deep`,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      return;
    }

    // A cached answer skips Apollo, so it must pass Apollo's CSRF rule here; a request that may
    // be cross-site goes to Apollo, which refuses it.
    const key = mayBeCrossSiteRequest(req.headers)
      ? null
      : cache.keyOf(req.method === 'POST' ? body : null, url.search, await services.dataRevision());
    const cached = key ? cache.get(key) : undefined;
    if (cached) {
      res.writeHead(200, Object.fromEntries([...cached.headers, ['x-phylolm-cache', 'hit']]));
      res.end(cached.body);
      return;
    }

    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => createContext(services, headers.get('authorization'), logger),
    });
    const responseHeaders: [string, string][] = [...response.headers];
    res.writeHead(response.status ?? 200, Object.fromEntries(responseHeaders));
    if (response.body.kind === 'complete') {
      const text = response.body.string;
      if (key && (response.status ?? 200) === 200 && isCleanAnswer(text)) {
        cache.set(key, { headers: responseHeaders, body: Buffer.from(text) });
      }
      res.end(text);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    httpServer,
    stop: () => apollo.stop(),
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The JSON-valued parameters of a GET request (variables, extensions), parsed where they parse. */
function searchJson(url: URL): unknown[] {
  const values: unknown[] = [];
  for (const name of ['variables', 'extensions']) {
    const text = url.searchParams.get(name);
    if (!text) continue;
    try {
      values.push(JSON.parse(text));
    } catch {
      // Apollo answers malformed parameters itself
    }
  }
  return values;
}

/** Throws on malformed bytes where `Buffer#toString` would replace them with U+FFFD. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the body, refusing early (by content-length) or as soon as the limit is passed; a client
 * that hangs up before the end rejects with ClientAbortedError.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    let complete = false;
    req.on('end', () => {
      complete = true;
      try {
        resolve(strictUtf8.decode(Buffer.concat(chunks)));
      } catch {
        reject(new BodyNotUtf8Error());
      }
    });
    req.on('error', (error) => reject(new ClientAbortedError(error.message)));
    req.on('close', () => {
      if (!complete) reject(new ClientAbortedError('connection closed'));
    });
  });
}

/**
 * The HTTP front: `/graphql` through Apollo Server (and graphql-ws on the same path, see
 * websocket.ts), `/healthz`, `/metrics`, CORS, compression, ETags, back-pressure, a request-body
 * size and nesting limit and the response cache. Both transports pass the same gate
 * (src/graphql/validation/gate.ts).
 *
 * Built on node:http directly (Apollo's `executeHTTPGraphQLRequest`) rather than on a framework
 * (fastify with @as-integrations/fastify was weighed, issue 9): the response cache replays
 * stored bytes (and their stored gzip/brotli copies) without a serialiser, a router or hooks in
 * the way, and what a framework would add here (CORS, compression, body limits) is a few dozen
 * lines each in this folder, with one module per concern. docs/architecture.md, "HTTP".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { OperationTypeNode } from 'graphql';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { DistanceMatrixView } from '../services/distance.service';
import { bearerMatches, createContext, type Context } from '../graphql/context';
import { createFormatError } from '../graphql/errors';
import { getSchema } from '../graphql/schema';
import { asStorageError } from '../services/errors';
import { paceArrival } from '../services/time-slice';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../graphql/validation/limits';
import { Admission, type Release } from './admission';
import { chooseEncoding, compress, MIN_COMPRESS_BYTES } from './compression';
import { CorsPolicy } from './cors';
import { mayBeCrossSiteRequest } from './csrf';
import { etagOf, ifNoneMatchHits } from './etag';
import { exportOperation, isExportPath, statusOfCode } from './exports-routes';
import { sendMatrixFile } from './matrix-stream';
import { gatedApolloOptions } from './gate-plugin';
import { httpOperationsPlugin } from './http-operations';
import { jsonDepthExceeds } from './json-depth';
import { Metrics } from './metrics';
import { PersistedQueries } from './persisted-queries';
import { attachRecord, elapsedMs, type RequestRecord } from './request-record';
import { isCleanAnswer, ResponseCache, type CachedResponse } from './response-cache';
import { SharedRead } from './shared-read';
import { StaticFiles, wantsGraphiQL } from './static-files';
import { startWebSocketServer } from './websocket';

export interface HttpServerOptions {
  services: Services;
  logger: Logger;
  port: number;
  host: string;
  /** when set, every mutation (and /metrics) needs `Authorization: Bearer <token>` */
  adminToken?: string;
  maxBodyBytes: number;
  responseCacheBytes: number;
  /** depth, tokens, aliases, directives, cost, provider calls, JSON nesting; defaults otherwise */
  limits?: Partial<QueryLimits>;
  /** origins allowed to read answers from a browser (`*`: any); none by default */
  corsOrigins?: readonly string[];
  /** GraphQL requests handled at once and waiting behind them; 256 and 1024 by default */
  maxInflight?: number;
  maxQueue?: number;
  /** open sockets at most; default 10,000 */
  maxConnections?: number;
  /** connections the kernel may hold before they are accepted (listen backlog); default 4,096 */
  listenBacklog?: number;
  /** where the services' telemetry goes (built by the caller so services can report to it) */
  metrics?: Metrics;
  /** the built browser pages (dist/web: the dashboard at `/`, GraphiQL at `/graphql`); none when unset */
  webRoot?: string;
  /** false in a worker process (PHYLOLM_ROLE=worker): only /healthz and /metrics are served */
  graphql?: boolean;
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

/**
 * node:http timeouts. headersTimeout and requestTimeout bound how long a slow client (slowloris)
 * may hold a socket and an admission slot while sending its request; they do not bound the
 * answer, which may take minutes for a heavy tree. keepAliveTimeout above common load-balancer
 * idle timeouts would make them reuse a socket the server is closing; 5 s is Node's default.
 */
const HEADERS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 60_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** what a refused (503) client is told to wait, in seconds */
const RETRY_AFTER_SECONDS = 1;

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const { services, logger } = options;
  const httpServer = createServer({
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  });
  httpServer.maxConnections = options.maxConnections ?? 10_000;
  const schema = await getSchema();
  const formatError = createFormatError((message, error) => logger.log('error', message, { error }));
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const gate = { limits, adminToken: options.adminToken };
  // a worker serves no GraphQL, over HTTP or WebSocket
  const subscriptions =
    options.graphql === false
      ? undefined
      : startWebSocketServer({
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
      // GraphiQL, bundled and local, is the browser's page (static-files.ts): never Apollo's
      // landing page, which loads Apollo Sandbox from a CDN
      ApolloServerPluginLandingPageDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => subscriptions?.dispose() }) },
      httpOperationsPlugin(),
      ...apolloOptions.plugins,
    ],
  });
  await apollo.start();
  const cache = new ResponseCache(options.responseCacheBytes);
  const persisted = new PersistedQueries();
  const cors = new CorsPolicy(options.corsOrigins ?? []);
  const admission = new Admission(options.maxInflight ?? 256, options.maxQueue ?? 1024);
  const metrics = options.metrics ?? new Metrics();
  metrics.observe(services, admission);
  const dataRevision = new SharedRead(() => services.dataRevision());
  const web = options.webRoot ? new StaticFiles(options.webRoot) : undefined;

  httpServer.on('request', (req, res) => {
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://localhost').pathname,
      start: process.hrtime.bigint(),
    };
    // one line per request, however it ended (answered, refused, or the client gone)
    res.once('close', () => accessLog(record, res));
    handle(req, res, record).catch((error: unknown) => {
      if (error instanceof ClientAbortedError) {
        // one short line, no stack: a client hanging up mid-body is routine
        logger.log('debug', 'request aborted by the client before its body was complete', { reason: error.message });
        res.destroy();
        return;
      }
      logger.log('error', 'request failed', { error });
      const storage = asStorageError(error);
      if (storage && !res.headersSent) sendError(res, 503, 'STORAGE_UNAVAILABLE', storage.message);
      else if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal server error');
      else res.end();
    });
  });

  function accessLog(record: RequestRecord, res: ServerResponse): void {
    const status = res.writableFinished ? res.statusCode : 499; // 499: the client went away first
    const ms = elapsedMs(record);
    logger.log('info', 'request', {
      method: record.method,
      path: record.path,
      operation: record.operation,
      status,
      ms: Math.round(ms * 10) / 10,
      cache: record.cache,
      cost: record.cost,
    });
    if (record.path === '/graphql') {
      metrics.request({ operation: record.operation, status, seconds: ms / 1000, cache: record.cache });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, record: RequestRecord): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const corsHeaders = cors.headersFor(req.headers);
    if (url.pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      const health = await services.health();
      if (health.ok) sendJson(res, 200, { status: 'ok' }, corsHeaders);
      else sendJson(res, 503, { status: 'unavailable', reason: health.reason }, corsHeaders);
      return;
    }
    if (url.pathname === '/metrics' && req.method === 'GET') {
      await sendMetrics(req, res);
      return;
    }
    if (options.graphql === false) {
      sendError(
        res,
        404,
        'NOT_FOUND',
        `no route ${url.pathname}: this process is a worker (PHYLOLM_ROLE=worker) and serves only /healthz and /metrics`,
        corsHeaders,
      );
      return;
    }
    if (url.pathname === '/graphql' && wantsGraphiQL(req, url)) {
      if (web && (await web.serve(req, res, 'graphiql.html'))) return;
      sendError(res, 404, 'NOT_FOUND', 'GraphiQL is not built here; run `npm run build`', corsHeaders);
      return;
    }
    const file = web?.fileFor(url.pathname);
    if (file !== undefined && web) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendError(res, 405, 'METHOD_NOT_ALLOWED', `method ${req.method} is not allowed on ${url.pathname}`, {
          allow: 'GET, HEAD',
        });
      } else if (!(await web.serve(req, res, file))) {
        const hint = file === 'index.html' ? 'the dashboard is not built here; run `npm run build`' : 'no such file';
        sendError(res, 404, 'NOT_FOUND', `${url.pathname}: ${hint}`);
      }
      return;
    }
    if (isExportPath(url.pathname)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendError(res, 405, 'METHOD_NOT_ALLOWED', `method ${req.method} is not allowed on ${url.pathname}; use GET`, {
          ...corsHeaders,
          allow: 'GET, HEAD',
        });
        return;
      }
      if (await admitted(req, res, corsHeaders)) await handleExport(req, res, url, record, corsHeaders);
      return;
    }
    if (url.pathname !== '/graphql') {
      sendError(res, 404, 'NOT_FOUND', `no route ${url.pathname}; GraphQL is served at /graphql`, corsHeaders);
      return;
    }
    if (req.method === 'OPTIONS') {
      // a CORS preflight: no body, whatever the origin (a refused one just gets no grant)
      res.writeHead(204, { ...cors.preflightHeaders(req.headers), 'content-length': 0 });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `method ${req.method} is not allowed on /graphql; use GET or POST`, {
        ...corsHeaders,
        allow: 'GET, POST, OPTIONS',
      });
      return;
    }

    if (await admitted(req, res, corsHeaders)) await handleGraphQL(req, res, url, record, corsHeaders);
  }

  /**
   * Waits for an admission slot (released when the answer is done or the client gone), then for
   * the request's turn on the event loop; false when the queue is full (503 sent) or the client
   * left while queued.
   */
  async function admitted(req: IncomingMessage, res: ServerResponse, corsHeaders: Record<string, string>) {
    const slot = admission.acquire((cancel) => res.once('close', cancel));
    if (slot === undefined) {
      req.resume(); // drain the body so the connection stays usable
      sendError(
        res,
        503,
        'SERVER_BUSY',
        `the server is handling ${admission.maxInflight} requests with ${admission.maxQueue} waiting; try again shortly`,
        { ...corsHeaders, 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
      return false;
    }
    const release: Release = slot instanceof Promise ? await slot : slot;
    if (res.destroyed) {
      release();
      return false;
    }
    res.once('close', release);
    // Its turn on the event loop, first come first served (services/time-slice.ts): a poll hands
    // over hundreds of requests at once, and run back to back they held /healthz for seconds.
    await paceArrival();
    return !res.destroyed;
  }

  /**
   * An export route (exports-routes.ts): its GraphQL query run through Apollo with the gate,
   * answered with the text of the one field it asks for, with the ETag, compression and CORS of
   * any read-only answer; replayed from the response cache until the data revision moves.
   */
  async function handleExport(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    record: RequestRecord,
    corsHeaders: Record<string, string>,
  ): Promise<void> {
    const operation = exportOperation(url);
    if ('status' in operation) {
      sendError(res, operation.status, operation.code, operation.message, corsHeaders);
      return;
    }
    record.operation = `export ${operation.root}.${operation.field}`;
    const request = { query: operation.query, operationName: 'PhyloLMExport', variables: operation.variables };
    const revision = await services.dataRevision();
    // a prefix no GraphQL key (plain hex) has: the same query asked over /graphql answers JSON
    const key = `export:${cache.keyOf(request, '', revision)}`;
    const cached = cache.get(key);
    record.cache = cached ? 'hit' : 'miss';
    if (cached) {
      await sendAnswer(req, res, 200, cached.headers, cached.body, true, corsHeaders, { key, entry: cached }, true);
      return;
    }
    const context = createContext(services, req.headers.authorization, logger);
    attachRecord(context, record);
    let matrix: DistanceMatrixView | undefined;
    if (operation.stream) context.onMatrix = (view) => (matrix = view);
    const response = await apollo.executeOperation(request, { contextValue: context });
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    const data = result?.data as Record<string, Record<string, unknown> | null> | null | undefined;
    const value = data?.[operation.root]?.[operation.field];
    if (!result || result.errors?.length || value === undefined || value === null) {
      const errors = result?.errors ?? [{ message: 'no answer', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
      const code = errors[0].extensions?.code;
      sendJson(res, statusOfCode(typeof code === 'string' ? code : undefined), { errors }, corsHeaders);
      return;
    }
    if (operation.stream && matrix) {
      // a matrix file is written a block at a time, never held whole (nor in the response cache)
      await sendMatrixFile(req, res, services, { ...operation, stream: operation.stream }, matrix, corsHeaders);
      return;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const headers: [string, string][] = [
      ['content-type', operation.contentType],
      ['content-disposition', `${operation.disposition}; filename="${operation.filename}"`],
    ];
    const body = Buffer.from(text);
    const entry: CachedResponse = { headers, body, etag: etagOf(body), encoded: {} };
    cache.set(key, entry);
    await sendAnswer(req, res, 200, headers, body, true, corsHeaders, { key, entry });
  }

  async function sendMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.adminToken && !bearerMatches(req.headers.authorization, options.adminToken)) {
      sendError(res, 401, 'UNAUTHENTICATED', '/metrics needs "Authorization: Bearer <PHYLOLM_ADMIN_TOKEN>"', {
        'www-authenticate': 'Bearer',
      });
      return;
    }
    const { contentType, text } = await metrics.exposition();
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(text);
  }

  async function handleGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    record: RequestRecord,
    corsHeaders: Record<string, string>,
  ): Promise<void> {
    let raw: string;
    try {
      raw = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyNotUtf8Error) {
        sendError(res, 400, 'BAD_REQUEST', 'request body is not valid UTF-8', corsHeaders);
        return;
      }
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendError(
        res,
        413,
        'BAD_USER_INPUT',
        `request body is larger than the limit of ${options.maxBodyBytes} bytes`,
        corsHeaders,
      );
      return;
    }
    let body: unknown = raw;
    if ((req.headers['content-type'] ?? '').includes('json') && raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        sendError(res, 400, 'BAD_REQUEST', 'request body is not valid JSON', corsHeaders);
        return;
      }
    }
    if (jsonDepthExceeds(req.method === 'POST' ? body : searchJson(url), limits.maxJsonDepth)) {
      sendError(
        res,
        400,
        'BAD_USER_INPUT',
        `the request's JSON (variables, extensions) is nested more than ${limits.maxJsonDepth} levels deep`,
        corsHeaders,
      );
      return;
    }

    // Automatic persisted queries: learn verified hashes even when the cache answers, and give a
    // hash-only request its query back so that it can be answered from the cache too.
    const params = requestParams(req.method === 'POST' ? body : undefined, url);
    const apq = params ? persisted.resolve(params) : undefined;
    if (params && apq?.query !== undefined && params.query === undefined) {
      if (req.method === 'POST') body = { ...(body as object), query: apq.query };
      else url.searchParams.set('query', apq.query);
    }
    if (params && typeof params.operationName === 'string') record.operation = params.operationName;
    if (apq?.hashMismatch) {
      sendError(
        res,
        400,
        'BAD_REQUEST',
        "the persisted query's sha256Hash is not the SHA-256 of its query",
        corsHeaders,
      );
      return;
    }

    // A cached answer skips Apollo, so it must pass Apollo's CSRF rule here; a request that may
    // be cross-site goes to Apollo, which refuses it.
    const key = mayBeCrossSiteRequest(req.headers)
      ? null
      : cache.keyOf(req.method === 'POST' ? body : null, url.search, await dataRevision.get(record.start));
    const cached = key ? cache.get(key) : undefined;
    if (key) record.cache = cached ? 'hit' : 'miss';
    if (cached && key) {
      await sendAnswer(req, res, 200, cached.headers, cached.body, true, corsHeaders, { key, entry: cached }, true);
      return;
    }

    // built only past the cache: a cached answer never needs Apollo's view of the headers
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        const context = createContext(services, headers.get('authorization'), logger);
        attachRecord(context, record);
        return context;
      },
    });
    const status = response.status ?? 200;
    const responseHeaders: [string, string][] = [...response.headers];
    if (response.body.kind !== 'complete') {
      // incremental delivery: streamed as it comes, never cached
      res.writeHead(status, { ...Object.fromEntries(responseHeaders), ...corsHeaders, 'cache-control': 'no-store' });
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
      return;
    }
    const text = response.body.string;
    const bytes = Buffer.from(text);
    const isQuery = record.operationType === OperationTypeNode.QUERY;
    // the key was looked up before Apollo knew the operation: only queries count as cache traffic
    if (!isQuery) {
      record.cache = undefined;
      dataRevision.invalidate(); // a mutation may have written: the next request reads again
    }
    const readOnly = status === 200 && isQuery && isCleanAnswer(text);
    let stored: { key: string; entry: CachedResponse } | undefined;
    if (key && readOnly) {
      const entry: CachedResponse = { headers: responseHeaders, body: bytes, etag: etagOf(bytes), encoded: {} };
      cache.set(key, entry);
      stored = { key, entry };
    }
    await sendAnswer(req, res, status, responseHeaders, bytes, readOnly, corsHeaders, stored);
  }

  /**
   * Writes a complete GraphQL answer. A clean read-only answer gets a strong ETag and
   * `cache-control: no-cache` (a browser may keep it but asks again, and a matching
   * If-None-Match gets 304 without a body); anything else (mutations, errors) is `no-store`.
   * Answers of MIN_COMPRESS_BYTES or more are compressed when the client accepts it; a cached
   * answer keeps its compressed copy.
   */
  async function sendAnswer(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    baseHeaders: [string, string][],
    body: Buffer,
    readOnly: boolean,
    corsHeaders: Record<string, string>,
    cached?: { key: string; entry: CachedResponse },
    hit = false,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of baseHeaders) {
      if (name !== 'content-length' && name !== 'cache-control') headers[name] = value;
    }
    Object.assign(headers, corsHeaders);
    headers.vary = [corsHeaders.vary, 'accept-encoding'].filter(Boolean).join(', ');
    if (hit) headers['x-phylolm-cache'] = 'hit';
    if (readOnly) {
      const etag = cached?.entry.etag ?? etagOf(body);
      headers.etag = etag;
      headers['cache-control'] = 'no-cache';
      if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
        delete headers['content-type'];
        res.writeHead(304, headers);
        res.end();
        return;
      }
    } else {
      headers['cache-control'] = 'no-store';
    }
    let payload = body;
    const encoding = body.byteLength >= MIN_COMPRESS_BYTES ? chooseEncoding(req.headers['accept-encoding']) : undefined;
    if (encoding) {
      const known = cached?.entry.encoded[encoding];
      payload = known ?? (await compress(body, encoding));
      if (!known && cached) cache.addEncoding(cached.key, encoding, payload);
      headers['content-encoding'] = encoding;
    }
    headers['content-length'] = String(payload.byteLength);
    res.writeHead(status, headers);
    res.end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    // Node's default backlog (511) drops the SYNs of a burst of new connections beyond it, and
    // each dropped client waits out TCP's 1 s retransmission: 1,000 dashboards connecting at
    // once saw p99 over a second for answers served in milliseconds (bench/load.bench.ts). The
    // kernel caps it at net.core.somaxconn.
    httpServer.listen({ port: options.port, host: options.host, backlog: options.listenBacklog ?? 4096 }, () =>
      resolve(),
    );
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

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** An error answered by the HTTP front itself, shaped like Apollo's (`errors[].extensions.code`). */
function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/**
 * The GraphQL parameters of a request (query, operationName, extensions) from a POST body or a
 * GET query string; undefined when they are not an object (Apollo answers that itself).
 */
function requestParams(
  body: unknown,
  url: URL,
): { query?: unknown; operationName?: unknown; extensions?: unknown } | undefined {
  if (body !== undefined) {
    return body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  }
  let extensions: unknown;
  const text = url.searchParams.get('extensions');
  if (text) {
    try {
      extensions = JSON.parse(text);
    } catch {
      extensions = undefined; // Apollo answers malformed parameters itself
    }
  }
  return {
    query: url.searchParams.get('query') ?? undefined,
    operationName: url.searchParams.get('operationName') ?? undefined,
    extensions,
  };
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

/**
 * A fake OpenAI HTTP server on 127.0.0.1 (random port) for driving the real `openai` SDK over
 * real HTTP. It records every request (method, path, headers, parsed body) and answers from a
 * script of steps, one per request, falling back to a normal answer with `n` choices. Every answer
 * carries a request id (`x-request-id`, and `request-id` as Anthropic names it), as the real APIs do.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeStep =
  | { kind: 'ok'; delayMs?: number; texts?: string[] }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** an error whose message echoes the caller's key in other forms (lowercased, URL-encoded, base64, hex) */
  | { kind: 'echo-key'; status: number }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  | { kind: 'empty' }
  | { kind: 'null-content' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** what the SDK takes as baseURL */
  baseURL: string;
  requests: RecordedRequest[];
  /** the most requests it ever had in flight at once (received, not yet answered or dropped) */
  readonly maxInFlight: number;
  /** appends steps to the script */
  enqueue(...steps: FakeStep[]): void;
  close(): Promise<void>;
}

export type Responder = (step: FakeStep, request: RecordedRequest, res: ServerResponse) => void;

export interface FakeOptions {
  script?: FakeStep[];
  /** the step used once the script is exhausted; default a plain answer */
  fallback?: FakeStep;
  /** text of choice i; default ` sample ${i}` */
  text?: (i: number, body: any) => string;
}

/** Generic engine shared by the OpenAI and Anthropic fakes. */
export async function startFakeServer(
  options: { script?: FakeStep[]; fallback?: FakeStep; basePath: string; routes: string[] },
  respond: Responder,
): Promise<FakeServer> {
  const script = [...(options.script ?? [])];
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    void readBody(req).then((raw) => {
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep the raw text: a test may want to see it
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const requestId = `req_fake${String(requests.length).padStart(6, '0')}`;
      res.setHeader('x-request-id', requestId);
      res.setHeader('request-id', requestId);
      const route = (req.url ?? '').split('?')[0];
      if (!options.routes.includes(`${req.method} ${route}`)) {
        sendJson(res, 404, { error: { message: `no route ${req.method} ${route}` } });
        return;
      }
      respond(script.shift() ?? options.fallback ?? { kind: 'ok' }, recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseURL: `${url}${options.basePath}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue: (...steps) => script.push(...steps),
    close: () =>
      new Promise<void>((resolve) => {
        // Hung requests keep their sockets open; without this close() would wait forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The key a request was sent with, echoed the way careless servers and proxies do: lowercased,
 * uppercased, URL-encoded, base64 (alone, after `Bearer `, as basic auth `user:key`, url-safe)
 * and hex. A message that quotes any of these must never be stored, logged or answered.
 */
export function keyEchoes(key: string): string[] {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return [
    key.toLowerCase(),
    key.toUpperCase(),
    encodeURIComponent(key),
    b64(key),
    b64(`Bearer ${key}`),
    b64(`user:${key}`),
    Buffer.from(`:${key}`, 'utf8').toString('base64url'),
    Buffer.from(key, 'utf8').toString('hex'),
    Buffer.from(key, 'utf8').toString('hex').toUpperCase(),
  ];
}

function keyOf(request: RecordedRequest): string {
  const bearer = String(request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  return bearer || String(request.headers['x-api-key'] ?? '');
}

/** Applies the steps every fake handles the same way; returns false when the caller must answer. */
export function commonStep(
  step: FakeStep,
  request: RecordedRequest,
  res: ServerResponse,
  errorBody: (status: number, message?: string) => unknown,
): boolean {
  switch (step.kind) {
    case 'hang':
      return true;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "cmpl-1", "choices": [');
      return true;
    case 'status':
      sendJson(res, step.status, step.body ?? errorBody(step.status), step.headers);
      return true;
    case 'echo-key':
      sendJson(
        res,
        step.status,
        errorBody(step.status, `Incorrect API key provided (seen as ${keyEchoes(keyOf(request)).join(', ')})`),
      );
      return true;
    default:
      return false;
  }
}

export async function startFakeOpenAI(options: FakeOptions = {}): Promise<FakeServer> {
  const text = options.text ?? ((i: number) => ` sample ${i}`);
  return startFakeServer(
    {
      script: options.script,
      fallback: options.fallback,
      basePath: '/v1',
      routes: ['POST /v1/completions', 'POST /v1/chat/completions', 'GET /v1/models'],
    },
    (step, request, res) => {
      if (
        commonStep(step, request, res, (status, message) => ({
          error: { message: message ?? `fake error ${status}`, type: 'fake_error', code: null },
        }))
      )
        return;
      if (request.method === 'GET') {
        sendJson(res, 200, {
          object: 'list',
          data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }],
        });
        return;
      }
      const chat = request.path.startsWith('/v1/chat');
      const n: number = request.body?.n ?? 1;
      const texts =
        step.kind === 'ok' && step.texts ? step.texts : Array.from({ length: n }, (_, i) => text(i, request.body));
      const choices =
        step.kind === 'empty'
          ? []
          : texts.map((t, index) =>
              chat
                ? {
                    index,
                    message: { role: 'assistant', content: step.kind === 'null-content' ? null : t },
                    finish_reason: 'length',
                  }
                : { index, text: step.kind === 'null-content' ? null : t, finish_reason: 'length', logprobs: null },
            );
      const body = {
        id: 'fake-1',
        object: chat ? 'chat.completion' : 'text_completion',
        created: 0,
        model: request.body?.model,
        choices,
        usage: { prompt_tokens: 7, completion_tokens: 5 * texts.length, total_tokens: 7 + 5 * texts.length },
      };
      const delay = step.kind === 'ok' ? (step.delayMs ?? 0) : 0;
      setTimeout(() => sendJson(res, 200, body), delay);
    },
  );
}

/**
 * Fake batch APIs on 127.0.0.1 for driving the real `openai` and `@anthropic-ai/sdk` clients over
 * real HTTP: OpenAI's Batch API (POST /v1/files multipart JSONL upload, /v1/batches create, list,
 * retrieve and cancel, GET /v1/files/{id}/content for output and error files) and Anthropic's
 * Message Batches (/v1/messages/batches create, list, retrieve, cancel and JSONL results).
 *
 * A batch stays in progress until the test's `policy` (asked at every status poll) says how it
 * ends: completed, expired (only the lines `answered` says were done), or failed (OpenAI only);
 * lines `lineError` names come back as per-request errors. Texts are deterministic per request
 * (` ${custom_id} s${k}` for the k-th choice), so a test can check that every sample was stored
 * under the index its request asked for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type BatchOutcome = 'completed' | 'expired' | 'failed';

export interface BatchEnding {
  outcome: BatchOutcome;
  /** for 'expired': the lines done before the window closed (default none) */
  answered?: (customId: string) => boolean;
  /** lines answered with an error (a 500 for OpenAI, `errored` for Anthropic) */
  lineError?: (customId: string) => boolean;
}

export interface FakeBatch {
  id: string;
  /** the request lines: custom id and the request body as the provider received it */
  lines: { customId: string; body: any }[];
  /** the endpoint it was created for (OpenAI) */
  endpoint?: string;
  polls: number;
  ending?: BatchEnding;
  cancelled: boolean;
  /** creation time (ms since the epoch), as the list endpoints report and order it */
  createdAt: number;
  /** OpenAI: the metadata it was created with */
  metadata?: Record<string, string>;
}

/** Asked at every status poll of a running batch: how it ends now, or undefined to keep it running. */
export type BatchPolicy = (batch: FakeBatch) => BatchEnding | undefined;

export interface FakeBatchServer {
  url: string;
  baseURL: string;
  /** every batch created, in order */
  batches: FakeBatch[];
  /** method and path of every request received */
  requests: string[];
  /** direct (non-batch) sampling requests received */
  directRequests: number;
  policy: BatchPolicy;
  /**
   * Anthropic only: the next results download sends this many lines and then stalls (the
   * connection stays open), as a process stopped while reading a batch would see it.
   */
  stallResultsAfter?: number;
  /** result downloads so far (OpenAI: output and error files; Anthropic: results) */
  downloads: number;
  /** 1-based numbers of the downloads that answer 500 (a transient failure) */
  failDownloads: number[];
  /**
   * The next this-many batch creations are accepted (the batch exists and runs) but never
   * answered: the connection stays open, as a process killed before it read the answer saw it.
   */
  holdCreates: number;
  close(): Promise<void>;
}

/** Ends every batch at its first poll, answering every line. */
export const completeAtOnce: BatchPolicy = () => ({ outcome: 'completed' });

const textOf = (customId: string, k: number) => ` ${customId} s${k}`;

async function startEngine(
  basePath: string,
  policy: BatchPolicy,
  handle: (server: FakeBatchServer, req: IncomingMessage, raw: string, res: ServerResponse) => void,
): Promise<FakeBatchServer> {
  const state: Omit<FakeBatchServer, 'url' | 'baseURL' | 'close'> = {
    batches: [],
    requests: [],
    directRequests: 0,
    policy,
    downloads: 0,
    failDownloads: [],
    holdCreates: 0,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push(`${req.method} ${req.url}`);
      res.setHeader('x-request-id', `req_fakebatch${state.requests.length}`);
      res.setHeader('request-id', `req_fakebatch${state.requests.length}`);
      handle(fake, req, Buffer.concat(chunks).toString('utf8'), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeBatchServer = Object.assign(state, {
    url,
    baseURL: `${url}${basePath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return fake;
}

/** Answers a creation, or holds it unanswered while `holdCreates` says so. */
function answerCreate(fake: FakeBatchServer, res: ServerResponse, body: unknown): void {
  if (fake.holdCreates > 0) {
    fake.holdCreates--;
    return; // accepted, never answered: close() drops the connection
  }
  send(res, 200, body);
}

/** A page of a list endpoint: newest first, after the cursor `after`, at most `limit`. */
function listPage(fake: FakeBatchServer, url: string, cursor: string): { page: FakeBatch[]; hasMore: boolean } {
  const query = new URL(url, 'http://fake').searchParams;
  const limit = Number(query.get('limit') ?? 20);
  const newestFirst = [...fake.batches].reverse();
  const after = query.get(cursor);
  const start = after === null ? 0 : newestFirst.findIndex((b) => b.id === after) + 1;
  const page = newestFirst.slice(start, start + limit);
  return { page, hasMore: start + limit < newestFirst.length };
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Applies the policy to a running batch at a status poll. */
function poll(fake: FakeBatchServer, batch: FakeBatch): void {
  batch.polls++;
  if (!batch.ending && !batch.cancelled) batch.ending = fake.policy(batch);
}

type LineResult = 'ok' | 'error' | 'expired' | 'cancelled';

function lineResult(batch: FakeBatch, customId: string): LineResult {
  const ending = batch.ending;
  if (!ending) return 'cancelled';
  if (ending.outcome === 'expired' && !(ending.answered?.(customId) ?? false)) return 'expired';
  return ending.lineError?.(customId) ? 'error' : 'ok';
}

// ---------------------------------------------------------------- OpenAI Batch API

export async function startFakeOpenAIBatch(policy: BatchPolicy = completeAtOnce): Promise<FakeBatchServer> {
  const files = new Map<string, string>();
  let fileCount = 0;
  const addFile = (content: string) => {
    const id = `file-${++fileCount}`;
    files.set(id, content);
    return id;
  };
  const inputs = new Map<string, string>();
  return startEngine('/v1', policy, (fake, req, raw, res) => {
    const path = (req.url ?? '').split('?')[0];
    let m: RegExpMatchArray | null;
    if (req.method === 'POST' && path === '/v1/files') {
      // multipart/form-data: the JSONL lines are the lines of the body that are request objects
      const content = raw
        .split(/\r?\n/)
        .filter((line) => line.startsWith('{"custom_id"'))
        .join('\n');
      const id = addFile(content);
      inputs.set(id, content);
      send(res, 200, {
        id,
        object: 'file',
        bytes: content.length,
        created_at: 0,
        filename: 'batch.jsonl',
        purpose: 'batch',
        status: 'processed',
      });
    } else if (req.method === 'POST' && path === '/v1/batches') {
      const body = JSON.parse(raw);
      const content = inputs.get(body.input_file_id);
      if (content === undefined) return send(res, 400, { error: { message: 'no such input file' } });
      const lines = content.split('\n').map((line) => {
        const parsed = JSON.parse(line);
        if (parsed.url !== body.endpoint) throw new Error(`line url ${parsed.url} is not the batch endpoint`);
        return { customId: parsed.custom_id as string, body: parsed.body };
      });
      const batch: FakeBatch = {
        id: `batch_${fake.batches.length + 1}`,
        lines,
        endpoint: body.endpoint,
        polls: 0,
        cancelled: false,
        createdAt: Date.now(),
        metadata: body.metadata ?? undefined,
      };
      fake.batches.push(batch);
      answerCreate(fake, res, openAIBatchObject(batch, addFile));
    } else if (req.method === 'GET' && path === '/v1/batches') {
      const { page, hasMore } = listPage(fake, req.url ?? '', 'after');
      send(res, 200, {
        object: 'list',
        data: page.map((b) => openAIBatchObject(b, addFile)),
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
        has_more: hasMore,
      });
    } else if ((m = path.match(/^\/v1\/batches\/([^/]+)(\/cancel)?$/))) {
      const batch = fake.batches.find((b) => b.id === m![1]);
      if (!batch) return send(res, 404, { error: { message: 'no such batch' } });
      if (m[2] && req.method === 'POST') {
        if (!batch.ending) batch.cancelled = true;
      } else {
        poll(fake, batch);
      }
      send(res, 200, openAIBatchObject(batch, addFile));
    } else if (req.method === 'GET' && (m = path.match(/^\/v1\/files\/([^/]+)\/content$/))) {
      if (fake.failDownloads.includes(++fake.downloads)) return send(res, 500, { error: { message: 'fake 500' } });
      const content = files.get(m[1]);
      if (content === undefined) return send(res, 404, { error: { message: 'no such file' } });
      send(res, 200, content, 'application/octet-stream');
    } else if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/completions')) {
      fake.directRequests++;
      send(res, 500, { error: { message: 'this fake only answers batches' } });
    } else {
      send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    }
  });
}

/** The batch as GET /v1/batches/{id} shows it; output and error files are written when it ends. */
function openAIBatchObject(
  batch: FakeBatch & { files?: { output: string | null; error: string | null } },
  addFile: (content: string) => string,
): Record<string, unknown> {
  const ended = batch.ending !== undefined || batch.cancelled;
  const status = batch.cancelled ? 'cancelled' : batch.ending ? batch.ending.outcome : 'in_progress';
  if (ended && !batch.files && status !== 'failed') {
    const out: string[] = [];
    const err: string[] = [];
    for (const line of batch.lines) {
      const result = lineResult(batch, line.customId);
      if (result === 'ok') {
        const n: number = line.body.n ?? 1;
        const chat = batch.endpoint === '/v1/chat/completions';
        const choices = Array.from({ length: n }, (_, index) =>
          chat
            ? { index, message: { role: 'assistant', content: textOf(line.customId, index) }, finish_reason: 'length' }
            : { index, text: textOf(line.customId, index), finish_reason: 'length', logprobs: null },
        );
        out.push(
          JSON.stringify({
            id: `batch_req_${line.customId}`,
            custom_id: line.customId,
            response: {
              status_code: 200,
              request_id: `req_${line.customId}`,
              body: {
                id: 'fake',
                object: chat ? 'chat.completion' : 'text_completion',
                model: line.body.model,
                choices,
                usage: { prompt_tokens: 7, completion_tokens: 5 * n, total_tokens: 7 + 5 * n },
              },
            },
            error: null,
          }),
        );
      } else if (result === 'error') {
        err.push(
          JSON.stringify({
            id: `batch_req_${line.customId}`,
            custom_id: line.customId,
            response: {
              status_code: 500,
              request_id: `req_${line.customId}`,
              body: { error: { message: 'fake line error' } },
            },
            error: null,
          }),
        );
      } else {
        const code = result === 'expired' ? 'batch_expired' : 'batch_cancelled';
        err.push(
          JSON.stringify({
            id: `batch_req_${line.customId}`,
            custom_id: line.customId,
            response: null,
            error: { code, message: `request not executed: ${code}` },
          }),
        );
      }
    }
    batch.files = {
      output: out.length > 0 ? addFile(out.join('\n') + '\n') : null,
      error: err.length > 0 ? addFile(err.join('\n') + '\n') : null,
    };
  }
  const files = batch.files;
  const failed = batch.lines.filter((l) => lineResult(batch, l.customId) !== 'ok').length;
  return {
    id: batch.id,
    object: 'batch',
    endpoint: batch.endpoint,
    input_file_id: 'file-in',
    completion_window: '24h',
    status,
    errors:
      status === 'failed'
        ? { object: 'list', data: [{ code: 'invalid_request', message: 'fake batch validation failed', line: 1 }] }
        : null,
    output_file_id: files?.output ?? null,
    error_file_id: files?.error ?? null,
    created_at: Math.floor(batch.createdAt / 1000),
    metadata: batch.metadata ?? null,
    request_counts: {
      total: batch.lines.length,
      completed: ended ? batch.lines.length - failed : 0,
      failed: ended ? failed : 0,
    },
  };
}

// ---------------------------------------------------------------- Anthropic Message Batches

export async function startFakeAnthropicBatch(policy: BatchPolicy = completeAtOnce): Promise<FakeBatchServer> {
  return startEngine('', policy, (fake, req, raw, res) => {
    const path = (req.url ?? '').split('?')[0];
    let m: RegExpMatchArray | null;
    if (req.method === 'POST' && path === '/v1/messages/batches') {
      const body = JSON.parse(raw);
      const batch: FakeBatch = {
        id: `msgbatch_${fake.batches.length + 1}`,
        lines: body.requests.map((r: any) => ({ customId: r.custom_id, body: r.params })),
        polls: 0,
        cancelled: false,
        createdAt: Date.now(),
      };
      fake.batches.push(batch);
      answerCreate(fake, res, anthropicBatchObject(fake, batch));
    } else if (req.method === 'GET' && path === '/v1/messages/batches') {
      const { page, hasMore } = listPage(fake, req.url ?? '', 'after_id');
      send(res, 200, {
        data: page.map((b) => anthropicBatchObject(fake, b)),
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
        has_more: hasMore,
      });
    } else if (req.method === 'GET' && (m = path.match(/^\/v1\/messages\/batches\/([^/]+)\/results$/))) {
      const batch = fake.batches.find((b) => b.id === m![1]);
      if (!batch || (!batch.ending && !batch.cancelled))
        return send(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no results' } });
      if (fake.failDownloads.includes(++fake.downloads)) {
        return send(res, 500, { type: 'error', error: { type: 'api_error', message: 'fake 500' } });
      }
      const lines = batch.lines.map(({ customId, body }) => {
        const result = lineResult(batch, customId);
        if (result === 'ok') {
          return {
            custom_id: customId,
            result: {
              type: 'succeeded',
              message: {
                id: `msg_${customId}`,
                type: 'message',
                role: 'assistant',
                model: body.model,
                content: [{ type: 'text', text: textOf(customId, 0) }],
                stop_reason: 'max_tokens',
                usage: { input_tokens: 7, output_tokens: 5 },
              },
            },
          };
        }
        if (result === 'error') {
          return {
            custom_id: customId,
            result: {
              type: 'errored',
              error: { type: 'error', error: { type: 'api_error', message: 'fake line error' } },
            },
          };
        }
        return { custom_id: customId, result: { type: result === 'expired' ? 'expired' : 'canceled' } };
      });
      const stall = fake.stallResultsAfter;
      if (stall !== undefined) {
        fake.stallResultsAfter = undefined;
        res.writeHead(200, { 'content-type': 'application/binary' });
        res.write(
          lines
            .slice(0, stall)
            .map((l) => JSON.stringify(l) + '\n')
            .join(''),
        );
        return; // never ends: close() drops the connection
      }
      send(res, 200, lines.map((l) => JSON.stringify(l)).join('\n') + '\n', 'application/binary');
    } else if ((m = path.match(/^\/v1\/messages\/batches\/([^/]+)(\/cancel)?$/))) {
      const batch = fake.batches.find((b) => b.id === m![1]);
      if (!batch)
        return send(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no such batch' } });
      if (m[2] && req.method === 'POST') {
        if (!batch.ending) batch.cancelled = true;
      } else {
        poll(fake, batch);
      }
      send(res, 200, anthropicBatchObject(fake, batch));
    } else if (req.method === 'POST' && path === '/v1/messages') {
      fake.directRequests++;
      send(res, 500, { type: 'error', error: { type: 'api_error', message: 'this fake only answers batches' } });
    } else {
      send(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.method} ${path}` } });
    }
  });
}

function anthropicBatchObject(fake: FakeBatchServer, batch: FakeBatch): Record<string, unknown> {
  const ended = batch.ending !== undefined || batch.cancelled;
  const count = (kind: LineResult) =>
    ended ? batch.lines.filter((l) => lineResult(batch, l.customId) === kind).length : 0;
  return {
    id: batch.id,
    type: 'message_batch',
    processing_status: ended ? 'ended' : 'in_progress',
    request_counts: {
      processing: ended ? 0 : batch.lines.length,
      succeeded: count('ok'),
      errored: count('error'),
      canceled: count('cancelled'),
      expired: count('expired'),
    },
    results_url: ended ? `${fake.url}/v1/messages/batches/${batch.id}/results` : null,
    created_at: new Date(batch.createdAt).toISOString(),
    expires_at: new Date(batch.createdAt + 86_400_000).toISOString(),
    ended_at: ended ? '2026-01-01T01:00:00Z' : null,
    archived_at: null,
    cancel_initiated_at: batch.cancelled ? '2026-01-01T00:30:00Z' : null,
  };
}

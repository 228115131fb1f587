/**
 * OpenAI's Batch API (https://platform.openai.com/docs/guides/batch) through the `openai` SDK v6:
 * the requests are uploaded as one JSONL file (`files.create`, purpose 'batch'), each line
 * `{ custom_id, method: 'POST', url, body }` with exactly the body doSample would send
 * (openai-style.ts); `batches.create` starts it on /v1/completions or /v1/chat/completions with
 * the 24 h window and the submission's tag in its metadata (`find` lists batches to look for it
 * after a lost answer or a restart); `batches.retrieve` polls it; once it has ended, the output file holds the
 * answered lines and the error file the failed ones (a non-2xx response, or an `error` such as
 * `batch_expired` for lines the window closed on), both read with `files.content`. Batched
 * tokens cost half the synchronous price (https://openai.com/api/pricing, "Batch API").
 */
import OpenAI, { toFile } from 'openai';
import {
  BATCH_CLOCK_SKEW_MS,
  BATCH_TAG_KEY,
  type BatchApi,
  type BatchLine,
  type BatchRequest,
  type BatchStatus,
  type Mode,
} from '../../src/providers/provider';
import { ProviderError, toProviderError } from '../../src/providers/errors';
import { checkSampleRequest } from '../../src/providers/plugin-support';
import { requestBody, textsOf, usageOf, type OpenAIStyleOptions, type RawResponse } from './openai-style';

/** the Batch API's limit on requests per batch */
const MAX_REQUESTS = 50_000;

const ENDPOINTS: Record<Mode, '/v1/completions' | '/v1/chat/completions'> = {
  COMPLETION: '/v1/completions',
  CHAT: '/v1/chat/completions',
};

interface OutputLine {
  custom_id?: string;
  response?: { status_code?: number; request_id?: string; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

export function createOpenAIBatchApi(
  options: OpenAIStyleOptions,
  getClient: () => { client: OpenAI; key: string | undefined },
): BatchApi {
  const { id } = options;

  /** one SDK call, its failure turned into a ProviderError with the key scrubbed */
  async function call<T>(run: (client: OpenAI) => Promise<T>): Promise<T> {
    const { client, key } = getClient();
    try {
      return await run(client);
    } catch (error) {
      throw toProviderError(error, { providerId: id, secrets: [key] });
    }
  }
  const requestOptions = (signal?: AbortSignal) => ({ signal, timeout: options.timeoutMs });

  return {
    priceFactor: 0.5,
    maxRequests: MAX_REQUESTS,

    async submit(requests: readonly BatchRequest[], tag: string, signal?: AbortSignal): Promise<string> {
      const mode = requests[0]?.request.mode;
      if (!mode || requests.some((r) => r.request.mode !== mode)) {
        throw new TypeError('a batch needs at least one request, all in one mode');
      }
      const url = ENDPOINTS[mode];
      const jsonl = requests
        .map(({ customId, request }) => {
          checkSampleRequest(id, options.capabilities, request);
          return JSON.stringify({ custom_id: customId, method: 'POST', url, body: requestBody(request, options, []) });
        })
        .join('\n');
      return call(async (client) => {
        const file = await client.files.create(
          { file: await toFile(Buffer.from(`${jsonl}\n`, 'utf8'), 'phylolm-batch.jsonl'), purpose: 'batch' },
          requestOptions(signal),
        );
        const batch = await client.batches.create(
          { input_file_id: file.id, endpoint: url, completion_window: '24h', metadata: { [BATCH_TAG_KEY]: tag } },
          requestOptions(signal),
        );
        return batch.id;
      });
    },

    async find(tag: string, since: Date, _requests: number, signal?: AbortSignal): Promise<string | undefined> {
      // GET /v1/batches lists the newest first: read back to the submission's time, no further
      const from = (since.getTime() - BATCH_CLOCK_SKEW_MS) / 1000;
      return call(async (client) => {
        for await (const batch of client.batches.list({ limit: 100 }, requestOptions(signal))) {
          if (batch.metadata?.[BATCH_TAG_KEY] === tag) return batch.id;
          if (batch.created_at < from) return undefined;
        }
        return undefined;
      });
    },

    async status(batchId: string, signal?: AbortSignal): Promise<BatchStatus> {
      const batch = await call((client) => client.batches.retrieve(batchId, requestOptions(signal)));
      switch (batch.status) {
        case 'completed':
        case 'expired':
        case 'cancelled':
          return { state: 'ended', outcome: batch.status };
        case 'failed':
          return {
            state: 'ended',
            outcome: 'failed',
            error: batch.errors?.data?.map((e) => e.message ?? e.code).join('; ') || 'the batch failed',
          };
        default:
          // validating, in_progress, finalizing, cancelling
          return { state: 'running' };
      }
    },

    async *results(batchId: string, signal?: AbortSignal): AsyncIterable<BatchLine> {
      const batch = await call((client) => client.batches.retrieve(batchId, requestOptions(signal)));
      const mode: Mode = batch.endpoint === ENDPOINTS.COMPLETION ? 'COMPLETION' : 'CHAT';
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (!fileId) continue;
        const text = await call(async (client) => (await client.files.content(fileId, requestOptions(signal))).text());
        for (const raw of text.split('\n')) {
          if (raw.trim() === '') continue;
          yield lineOf(JSON.parse(raw) as OutputLine, mode, id);
        }
      }
    },

    async cancel(batchId: string): Promise<void> {
      await call((client) => client.batches.cancel(batchId, requestOptions()));
    },
  };
}

function lineOf(line: OutputLine, mode: Mode, providerId: string): BatchLine {
  const customId = String(line.custom_id ?? '');
  const status = line.response?.status_code;
  if (line.error || status === undefined || status < 200 || status >= 300) {
    const body = line.response?.body as { error?: { message?: string } } | undefined;
    const message = line.error?.message ?? body?.error?.message ?? 'no message';
    const code = line.error?.code ?? (status !== undefined ? `status ${status}` : 'error');
    return { customId, error: `${code}: ${message}` };
  }
  try {
    const raw = line.response!.body as RawResponse;
    const warnings: string[] = [];
    return { customId, result: { texts: textsOf(raw, mode, providerId), usage: usageOf(raw, warnings), warnings } };
  } catch (error) {
    if (ProviderError.isInstance(error)) return { customId, error: error.message };
    throw error;
  }
}

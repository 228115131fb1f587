/**
 * Anthropic's Message Batches (https://docs.anthropic.com/en/docs/build-with-claude/batch-processing)
 * through @anthropic-ai/sdk 1.x: `messages.batches.create({ requests: [{ custom_id, params }] })`
 * with exactly the body doSample would send, `retrieve` to poll `processing_status`
 * (in_progress, canceling, ended), `results` to stream the JSONL answers of an ended batch
 * (succeeded, errored, canceled, expired per request), `cancel`, and `list` to find a batch whose
 * id a restart lost (`find`). Batches end within 24 h;
 * requests not processed by then come back `expired`. Batched tokens cost half the Messages
 * price (https://www.anthropic.com/pricing, "Batch processing").
 */
import type Anthropic from '@anthropic-ai/sdk';
import {
  BATCH_CLOCK_SKEW_MS,
  type BatchApi,
  type BatchLine,
  type BatchRequest,
  type BatchStatus,
  type ProviderCapabilities,
  type SampleRequest,
  type SampleResult,
} from '../../src/providers/provider';
import { ProviderError, toProviderError } from '../../src/providers/errors';
import { checkSampleRequest } from '../../src/providers/plugin-support';

/** the Message Batches limit on requests per batch */
const MAX_REQUESTS = 100_000;

export interface AnthropicBatchOptions {
  providerId: string;
  capabilities: ProviderCapabilities;
  timeoutMs: number;
  getClient(): { client: Anthropic; key: string };
  bodyOf(request: Omit<SampleRequest, 'signal'>, warnings: string[]): Record<string, unknown>;
  /** a succeeded message as a sample result (throws a ProviderError when malformed) */
  answerOf(message: unknown, warnings: string[]): SampleResult;
}

export function createAnthropicBatchApi(options: AnthropicBatchOptions): BatchApi {
  const { providerId } = options;

  async function call<T>(run: (client: Anthropic) => Promise<T>): Promise<T> {
    const { client, key } = options.getClient();
    try {
      return await run(client);
    } catch (error) {
      throw toProviderError(error, { providerId, secrets: [key] });
    }
  }
  const requestOptions = (signal?: AbortSignal) => ({ signal, timeout: options.timeoutMs });

  return {
    priceFactor: 0.5,
    maxRequests: MAX_REQUESTS,

    async submit(requests: readonly BatchRequest[], _tag: string, signal?: AbortSignal): Promise<string> {
      if (requests.length === 0) throw new TypeError('a batch needs at least one request');
      const params = requests.map(({ customId, request }) => {
        checkSampleRequest(providerId, options.capabilities, request);
        return { custom_id: customId, params: options.bodyOf(request, []) };
      });
      const batch = await call((client) =>
        client.messages.batches.create(
          { requests: params } as unknown as Anthropic.Messages.BatchCreateParams,
          requestOptions(signal),
        ),
      );
      return batch.id;
    },

    async find(_tag: string, since: Date, requests: number, signal?: AbortSignal): Promise<string | undefined> {
      // A Message Batch keeps no label, so this finds a candidate: the first batch created since
      // the submission with as many requests. The tag is in its custom ids, which the runner
      // checks when it reads the results (batch-runner.ts).
      const at = since.getTime();
      return call(async (client) => {
        // listed newest first. The earliest batch created at or after the submission was recorded
        // is the best candidate; one a little before it counts only if none is (clock skew), and
        // then the latest such, since the job's own earlier batch may be older still.
        let after: string | undefined;
        let before: string | undefined;
        for await (const batch of client.messages.batches.list({ limit: 100 }, requestOptions(signal))) {
          const created = Date.parse(batch.created_at);
          if (created < at - BATCH_CLOCK_SKEW_MS) break;
          const counts = batch.request_counts;
          const total = counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired;
          if (total !== requests) continue;
          if (created >= at) after = batch.id;
          else before ??= batch.id;
        }
        return after ?? before;
      });
    },

    async status(batchId: string, signal?: AbortSignal): Promise<BatchStatus> {
      const batch = await call((client) => client.messages.batches.retrieve(batchId, {}, requestOptions(signal)));
      if (batch.processing_status !== 'ended') return { state: 'running' };
      const outcome = batch.cancel_initiated_at
        ? 'cancelled'
        : batch.request_counts.expired > 0
          ? 'expired'
          : 'completed';
      return { state: 'ended', outcome };
    },

    async *results(batchId: string, signal?: AbortSignal): AsyncIterable<BatchLine> {
      const lines = await call((client) => client.messages.batches.results(batchId, {}, requestOptions(signal)));
      for await (const line of lines) {
        const customId = line.custom_id;
        const result = line.result;
        if (result.type === 'succeeded') {
          try {
            yield { customId, result: options.answerOf(result.message, []) };
          } catch (error) {
            if (!ProviderError.isInstance(error)) throw error;
            yield { customId, error: error.message };
          }
        } else if (result.type === 'errored') {
          const detail = result.error?.error;
          yield { customId, error: `${detail?.type ?? 'error'}: ${detail?.message ?? 'no message'}` };
        } else {
          yield { customId, error: result.type };
        }
      }
    },

    async cancel(batchId: string): Promise<void> {
      await call((client) => client.messages.batches.cancel(batchId, {}, requestOptions()));
    },
  };
}

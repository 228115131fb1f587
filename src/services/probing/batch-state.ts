/**
 * The batch state of a job sent through a provider's batch API, stored as JSON in the job's
 * `batch` column: the batch in flight (its provider id and the requests it holds, as
 * [gene, first sample index, samples]) and how many batches the job submitted. Storing the id
 * right after submission is what lets a restarted process resume polling instead of paying for
 * the same samples twice; storing the requests is what ties every answer to the exact sample
 * indices it was asked for.
 */
import type { ProbeRequestPlan } from './probe-plan';

export interface BatchInFlight {
  id: string;
  requests: Array<[gene: number, offset: number, n: number]>;
  /** set before the answers are read: a resumed job then skips answers it already stored */
  reading?: boolean;
}

export interface BatchState {
  submitted: number;
  current: BatchInFlight | null;
}

export const NEW_BATCH_STATE: BatchState = { submitted: 0, current: null };

export function readBatchState(json: string | null): BatchState | null {
  return json === null ? null : (JSON.parse(json) as BatchState);
}

export function writeBatchState(state: BatchState): string {
  return JSON.stringify(state);
}

/**
 * The id a request travels under in a batch: gene, first sample index and count, in the
 * characters both providers accept (Anthropic: ^[a-zA-Z0-9_-]{1,64}$).
 */
export function customIdOf(request: ProbeRequestPlan): string {
  return `g${request.gene}-o${request.offset}-n${request.n}`;
}

export function plannedRequests(batch: BatchInFlight): ProbeRequestPlan[] {
  return batch.requests.map(([gene, offset, n]) => ({ gene, offset, n }));
}

/**
 * The batch state of a job sent through a provider's batch API, stored as JSON in the job's
 * `batch` column: the batch in flight (its provider id and the requests it holds, as
 * [gene, first sample index, samples]) and how many batches the job submitted. Storing the id
 * right after submission is what lets a restarted process resume polling instead of paying for
 * the same samples twice; storing the requests is what ties every answer to the exact sample
 * indices it was asked for.
 */
import { randomBytes } from 'node:crypto';
import type { ProbeRequestPlan } from './probe-plan';

type PlannedRequests = Array<[gene: number, offset: number, n: number]>;

/**
 * A batch about to be submitted, stored before the provider is asked: `tag` labels the
 * submission (in every custom id, and in the batch's metadata where the provider keeps one), so
 * a process that dies before it stores the returned id, or an attempt whose answer is lost, finds
 * the batch again (`BatchApi.find`) instead of submitting and paying twice.
 */
export interface PendingSubmission {
  tag: string;
  requests: PlannedRequests;
  /** when the submission was recorded (ISO 8601): batches created before it are not its own */
  at: string;
}

export interface BatchInFlight {
  id: string;
  requests: PlannedRequests;
  /** set before the answers are read: a resumed job then skips answers it already stored */
  reading?: boolean;
  /** the submission's tag (absent for batches stored before tags existed) */
  tag?: string;
  /**
   * found by `BatchApi.find` rather than returned by `submit`: where the provider keeps no label
   * it is only a candidate, and it is this job's only if its answers carry the tag
   */
  found?: boolean;
}

export interface BatchState {
  submitted: number;
  current: BatchInFlight | null;
  /** the submission in progress, until its batch id is stored in `current` */
  pending?: PendingSubmission | null;
}

export const NEW_BATCH_STATE: BatchState = { submitted: 0, current: null };

export function readBatchState(json: string | null): BatchState | null {
  return json === null ? null : (JSON.parse(json) as BatchState);
}

export function writeBatchState(state: BatchState): string {
  return JSON.stringify(state);
}

/**
 * The id a request travels under in a batch: the submission's tag, gene, first sample index and
 * count, in the characters both providers accept (Anthropic: ^[a-zA-Z0-9_-]{1,64}$).
 */
export function customIdOf(request: ProbeRequestPlan, tag?: string): string {
  const id = `g${request.gene}-o${request.offset}-n${request.n}`;
  return tag === undefined ? id : `t${tag}-${id}`;
}

/** A new submission tag: 16 hex digits, so a custom id stays within 64 characters. */
export function newSubmissionTag(): string {
  return randomBytes(8).toString('hex');
}

export function plannedRequests(batch: { requests: PlannedRequests }): ProbeRequestPlan[] {
  return batch.requests.map(([gene, offset, n]) => ({ gene, offset, n }));
}

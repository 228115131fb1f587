/**
 * What the HTTP front learns about one request while Apollo handles it: the operation's name
 * and type once resolved, and the gate's cost estimate. Kept beside the request's GraphQL
 * context (under a symbol, so the context type stays the GraphQL layer's), read for the access log, the metrics and the choice of cache-control.
 */
import type { OperationTypeNode } from 'graphql';

export interface RequestRecord {
  method: string;
  path: string;
  /** process.hrtime.bigint() when the request arrived */
  start: bigint;
  status?: number;
  operation?: string;
  operationType?: OperationTypeNode;
  /** the gate's whole-operation estimate (PHYLOLM_MAX_QUERY_COST units), when it made one */
  cost?: number;
  /** response cache: hit or miss for a cacheable read, undefined otherwise */
  cache?: 'hit' | 'miss';
}

/** A symbol-keyed property: Apollo shallow-copies the context per operation, which keeps it. */
const RECORD = Symbol('phylolm.requestRecord');

export function attachRecord(context: object, record: RequestRecord): void {
  Object.assign(context, { [RECORD]: record });
}

export function recordOf(context: object): RequestRecord | undefined {
  return (context as { [RECORD]?: RequestRecord })[RECORD];
}

export function elapsedMs(record: RequestRecord): number {
  return Number(process.hrtime.bigint() - record.start) / 1e6;
}

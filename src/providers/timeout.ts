/**
 * A per-request deadline owned by the plugin rather than by the SDK.
 *
 * Both SDKs implement `timeout` by aborting their own fetch and then guess whether the failure
 * was a timeout from the error object (`isAbortError(...)` in their client.ts). That guess fails
 * when the abort error comes from another JS realm (code run inside a `node:vm` context), where a
 * timeout surfaces as a plain "Connection error.". Passing our own signal makes the cause
 * certain: if the caller's signal fired it is an abort, if our deadline fired it is a timeout.
 */
export interface Deadline {
  signal: AbortSignal;
  /** 'aborted' (caller), 'timeout' (deadline) or undefined (neither fired) */
  reason(): 'aborted' | 'timeout' | undefined;
}

export function deadline(timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  const timer = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timer]) : timer;
  return {
    signal,
    reason: () => (callerSignal?.aborted ? 'aborted' : timer.aborted ? 'timeout' : undefined),
  };
}

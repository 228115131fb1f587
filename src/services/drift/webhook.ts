/**
 * Drift alerts POSTed to `PHYLOLM_WEBHOOK_URL`, signed so the receiver can tell they come from
 * this server: `X-PhyloLM-Signature: sha256=<hex>`, the HMAC-SHA256 (RFC 2104, FIPS 198-1) of
 * the exact body bytes under `PHYLOLM_WEBHOOK_SECRET`, the scheme GitHub's webhooks use
 * (`X-Hub-Signature-256`). Receivers recompute it and compare in constant time.
 *
 * A failed delivery (network error, timeout, any non-2xx answer) is retried with exponential
 * backoff and full jitter (delay uniform in [0, base x 2^(attempt-1)], AWS Architecture Blog,
 * "Exponential Backoff And Jitter", 2015), up to `attempts` times. The secret is never logged,
 * and neither is the URL (it may carry a token).
 */
import { createHmac } from 'node:crypto';
import type { Logger } from '../../logger';

export interface WebhookOptions {
  url: string;
  /** without one the POST is sent unsigned */
  secret?: string;
  /** attempts, the first included (default 6) */
  attempts?: number;
  /** backoff base in ms (default 500) */
  baseDelayMs?: number;
  /** per attempt (default 10 s) */
  timeoutMs?: number;
}

export const SIGNATURE_HEADER = 'x-phylolm-signature';

/** `sha256=<hex>` of the body under the secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs the JSON payload until a 2xx answer or the attempts run out; true when delivered. */
export async function deliver(options: WebhookOptions, payload: unknown, logger?: Logger): Promise<boolean> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.secret) headers[SIGNATURE_HEADER] = signature(options.secret, body);
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 500;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let reason: string;
    try {
      const answer = await fetch(options.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await answer.arrayBuffer().catch(() => undefined);
      if (answer.ok) return true;
      reason = `HTTP ${answer.status}`;
    } catch (error) {
      reason = error instanceof Error ? error.name : 'network error';
    }
    logger?.log('warn', 'drift webhook delivery failed', { attempt, attempts, reason });
    if (attempt < attempts) await sleep(Math.random() * base * 2 ** (attempt - 1));
  }
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

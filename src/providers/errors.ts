/**
 * Provider errors. Each class has a stable `name` and a `Symbol.for` marker so `isInstance`
 * still works when two copies of this module are loaded (the pattern of @ai-sdk/provider's
 * errors, e.g. `vercel.ai.error.AI_NoSuchModelError`).
 *
 * Messages never contain an API key: every message that may echo a server or SDK text goes
 * through `scrubSecrets` (redaction.ts) with the keys the plugin knows. What a provider says is
 * never kept whole: an HTTP error keeps the provider's own short message (the `message` field of
 * its JSON error, not the raw body), cleaned and cut to MAX_DETAIL_LENGTH, and its request id.
 */
import type { Mode } from './provider';
import { scrubSecrets } from './redaction';

/** What went wrong, for code that branches without parsing messages. */
export type ProviderErrorKind =
  | 'http'
  | 'timeout'
  | 'connection'
  | 'aborted'
  | 'malformed-response'
  | 'empty-response'
  | 'not-configured'
  | 'unknown-model'
  | 'unknown';

const PROVIDER_ERROR_MARKER = Symbol.for('phylolm.provider.error.ProviderError');
const UNSUPPORTED_MARKER = Symbol.for('phylolm.provider.error.UnsupportedCapabilityError');
const NO_SUCH_PROVIDER_MARKER = Symbol.for('phylolm.provider.error.NoSuchProviderError');

/**
 * 408 Request Timeout, 409 Conflict (OpenAI's "lock timeout"), 429 Too Many Requests and every
 * 5xx are worth another attempt; the same classes the OpenAI and Anthropic SDKs retry
 * (`shouldRetry` in their client.ts).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Longest provider text kept in an error (the rest of a body is dropped, not stored or logged). */
export const MAX_DETAIL_LENGTH = 200;

/** Longest provider text looked at; a body beyond it is dropped unread. */
const MAX_SCANNED_LENGTH = 65_536;

/**
 * Provider text made safe to store and show: secrets redacted first (so a cut cannot leave part of
 * a key), control characters and runs of white space turned into one space, then cut to `max`
 * characters with an ellipsis. A text longer than MAX_SCANNED_LENGTH is cut before redaction and
 * loses the word at the cut too, since a key form cut in two would no longer be recognised.
 */
export function sanitizeProviderText(
  text: string,
  secrets: ReadonlyArray<string | undefined> = [],
  max = MAX_DETAIL_LENGTH,
): string {
  const head = text.length > MAX_SCANNED_LENGTH ? text.slice(0, MAX_SCANNED_LENGTH).replace(/\S+$/, '') : text;
  const clean = scrubSecrets(head, secrets)
    .replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ')
    .trim();
  if (clean.length <= max) return clean;
  // never end on the first half of a surrogate pair
  const cut = /[\ud800-\udbff]/.test(clean[max - 2]) ? max - 2 : max - 1;
  return `${clean.slice(0, cut)}…`;
}

/** A provider's request id as it may be shown: token characters only, bounded. */
function cleanRequestId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const clean = id.replace(/[^A-Za-z0-9._:\-]/g, '').slice(0, 100);
  return clean === '' ? undefined : clean;
}

export interface ProviderErrorOptions {
  message: string;
  providerId: string;
  statusCode?: number;
  /** the provider's id for the failed request (`x-request-id` / `request-id`), for its support */
  requestId?: string;
  kind?: ProviderErrorKind;
  /** defaults: from statusCode, else from kind (timeouts, connection, malformed and empty responses retry) */
  isRetryable?: boolean;
  retryAfterMs?: number;
  /** keys to remove from the message */
  secrets?: ReadonlyArray<string | undefined>;
}

const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  'timeout',
  'connection',
  'malformed-response',
  'empty-response',
]);

export class ProviderError extends Error {
  readonly [PROVIDER_ERROR_MARKER] = true;
  readonly providerId: string;
  readonly statusCode?: number;
  readonly kind: ProviderErrorKind;
  readonly isRetryable: boolean;
  readonly retryAfterMs?: number;
  readonly requestId?: string;

  constructor(options: ProviderErrorOptions) {
    super(sanitizeProviderText(options.message, options.secrets, MAX_DETAIL_LENGTH + 100));
    this.name = 'ProviderError';
    this.providerId = options.providerId;
    this.statusCode = options.statusCode;
    this.requestId = cleanRequestId(options.requestId);
    this.kind = options.kind ?? (options.statusCode !== undefined ? 'http' : 'unknown');
    this.isRetryable = options.isRetryable ?? defaultRetryable(this.kind, options.statusCode);
    this.retryAfterMs = options.retryAfterMs;
  }

  static isInstance(error: unknown): error is ProviderError {
    return typeof error === 'object' && error !== null && PROVIDER_ERROR_MARKER in error;
  }
}

function defaultRetryable(kind: ProviderErrorKind, statusCode: number | undefined): boolean {
  if (statusCode !== undefined) return isRetryableStatus(statusCode);
  return RETRYABLE_KINDS.has(kind);
}

export class UnsupportedCapabilityError extends Error {
  readonly [UNSUPPORTED_MARKER] = true;
  readonly providerId: string;
  readonly capability: string;
  readonly isRetryable = false;

  constructor(options: { providerId: string; capability: string; message?: string }) {
    super(options.message ?? `${options.providerId} does not support ${options.capability}`);
    this.name = 'UnsupportedCapabilityError';
    this.providerId = options.providerId;
    this.capability = options.capability;
  }

  static forMode(providerId: string, mode: Mode, supported: readonly Mode[]): UnsupportedCapabilityError {
    return new UnsupportedCapabilityError({
      providerId,
      capability: `mode ${mode}`,
      message: `${providerId} does not support mode ${mode} (supported: ${supported.join(', ')})`,
    });
  }

  static isInstance(error: unknown): error is UnsupportedCapabilityError {
    return typeof error === 'object' && error !== null && UNSUPPORTED_MARKER in error;
  }
}

export class NoSuchProviderError extends Error {
  readonly [NO_SUCH_PROVIDER_MARKER] = true;
  readonly providerId: string;
  readonly availableProviders: string[];

  constructor(providerId: string, availableProviders: string[]) {
    super(`no such provider: ${providerId} (available: ${availableProviders.join(', ') || 'none'})`);
    this.name = 'NoSuchProviderError';
    this.providerId = providerId;
    this.availableProviders = availableProviders;
  }

  static isInstance(error: unknown): error is NoSuchProviderError {
    return typeof error === 'object' && error !== null && NO_SUCH_PROVIDER_MARKER in error;
  }
}

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const raw = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/**
 * Milliseconds the server asks us to wait. `retry-after-ms` (OpenAI/Anthropic extension,
 * fractional ms) wins over `retry-after`, which is seconds or an HTTP-date (RFC 9110 §10.2.3).
 */
export function parseRetryAfter(headers: HeaderBag | undefined, now: () => number = Date.now): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) {
    return Number(ms);
  }
  const value = headerValue(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

interface SdkLikeError {
  name?: string;
  message?: string;
  status?: number;
  headers?: HeaderBag;
  /** the parsed error body: OpenAI's `{ message, type, code }`, Anthropic's `{ type, error: { message } }` */
  error?: unknown;
  /** the SDKs' `requestID` (from `x-request-id` in openai, `request-id` in @anthropic-ai/sdk) */
  requestID?: string | null;
}

/**
 * The provider's own words for an HTTP error: the `message` of its JSON error body (OpenAI puts
 * it at `error.message`, Anthropic at `error.error.message`), never the raw body; the SDK's
 * message (which is `<status> <JSON of the body>` when the body has no message) only as a last
 * resort, without its leading status.
 */
function providerMessage(e: SdkLikeError): string {
  const body = e.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  if (typeof body?.message === 'string') return body.message;
  if (typeof body?.error?.message === 'string') return body.error.message;
  if (body !== undefined && body !== null) return 'no message in the error body';
  return (e.message ?? '').replace(/^\d{3}\s+/, '') || 'no body';
}

/**
 * Maps whatever the openai / @anthropic-ai/sdk clients throw (duck-typed, so plugins need not
 * share SDK classes) to a ProviderError. SDK class names per their src/core/error.ts:
 * APIError (with `status` and `headers`), APIConnectionError, APIConnectionTimeoutError,
 * APIUserAbortError. A body that is not JSON surfaces as a SyntaxError from `response.json()`.
 */
export function toProviderError(
  error: unknown,
  context: {
    providerId: string;
    secrets?: ReadonlyArray<string | undefined>;
    /** what the plugin's own deadline says happened (timeout.ts); wins over guessing */
    cause?: 'aborted' | 'timeout';
  },
): ProviderError | UnsupportedCapabilityError {
  if (ProviderError.isInstance(error) || UnsupportedCapabilityError.isInstance(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkLikeError;
  const base = { providerId: context.providerId, secrets: context.secrets };
  const detail = e.message ?? String(error);
  if (context.cause) {
    return new ProviderError({
      ...base,
      kind: context.cause,
      message: `${context.providerId}: ${kindLabel[context.cause]}: ${detail}`,
    });
  }
  if (typeof e.status === 'number') {
    return new ProviderError({
      ...base,
      statusCode: e.status,
      retryAfterMs: parseRetryAfter(e.headers),
      requestId: e.requestID ?? headerValue(e.headers, 'x-request-id') ?? headerValue(e.headers, 'request-id'),
      message: `${context.providerId}: HTTP ${e.status}: ${sanitizeProviderText(providerMessage(e), context.secrets)}`,
    });
  }
  const kind = kindOf(e);
  return new ProviderError({ ...base, kind, message: `${context.providerId}: ${kindLabel[kind]}: ${detail}` });
}

function kindOf(e: SdkLikeError): ProviderErrorKind {
  // The SDKs' classes do not all set `name`, so the constructor name is checked too.
  const names = [e.name, (e as { constructor?: { name?: string } }).constructor?.name];
  const is = (name: string): boolean => names.includes(name);
  if (is('APIConnectionTimeoutError') || is('TimeoutError')) return 'timeout';
  if (is('APIUserAbortError') || is('AbortError')) return 'aborted';
  if (is('APIConnectionError')) return 'connection';
  if (is('SyntaxError')) return 'malformed-response';
  return 'unknown';
}

const kindLabel: Record<ProviderErrorKind, string> = {
  http: 'HTTP error',
  timeout: 'request timed out',
  connection: 'connection error',
  aborted: 'request aborted',
  'malformed-response': 'malformed response',
  'empty-response': 'empty choices',
  'not-configured': 'not configured',
  'unknown-model': 'unknown model',
  unknown: 'unexpected error',
};

/**
 * How a failure is stored in a job's `error` and logged: `status 401 · <provider message> ·
 * request id <id>` for an HTTP error (status and request id only when known; the message is the
 * sanitised one the ProviderError already holds, at most MAX_DETAIL_LENGTH characters), and
 * for any other error its message, sanitised the same way (patterns only: no keys are known here).
 */
export function describeFailure(error: unknown): string {
  if (ProviderError.isInstance(error)) {
    const detail = error.message.replace(/^(.*?): HTTP \d{3}: /, '$1: ');
    const parts = [
      error.statusCode !== undefined ? `status ${error.statusCode}` : kindLabel[error.kind],
      sanitizeProviderText(detail),
    ];
    if (error.requestId) parts.push(`request id ${error.requestId}`);
    return parts.join(' · ');
  }
  return sanitizeProviderText(error instanceof Error ? error.message : String(error));
}

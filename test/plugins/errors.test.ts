import {
  describeFailure,
  NoSuchProviderError,
  ProviderError,
  UnsupportedCapabilityError,
  parseRetryAfter,
  sanitizeProviderText,
  toProviderError,
} from '../../src/providers/errors';
import { scrubSecrets } from '../../src/providers/redaction';

describe('ProviderError', () => {
  it.each([
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [529, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [422, false],
  ])('new ProviderError({ statusCode: %i }).isRetryable is %s', (statusCode, retryable) => {
    const e = new ProviderError({ providerId: 'p', message: 'm', statusCode });
    expect(e).toMatchObject({
      name: 'ProviderError',
      providerId: 'p',
      statusCode,
      isRetryable: retryable,
      kind: 'http',
    });
    expect(e).toBeInstanceOf(Error);
  });

  it.each([
    ['timeout', true],
    ['connection', true],
    ['malformed-response', true],
    ['empty-response', true],
    ['aborted', false],
    ['not-configured', false],
  ] as const)('kind %s defaults isRetryable to %s', (kind, retryable) => {
    expect(new ProviderError({ providerId: 'p', message: 'm', kind }).isRetryable).toBe(retryable);
  });

  it('scrubs the given secrets and key-shaped strings from the message', () => {
    const e = new ProviderError({
      providerId: 'p',
      message: 'bad key abcdef123456 or sk-live-zzzzzzzzz, Bearer tok_0123456789',
      secrets: ['abcdef123456'],
    });
    expect(e.message).toBe('bad key [REDACTED] or [REDACTED], Bearer [REDACTED]');
  });

  it('isInstance() recognises errors by marker, not by class identity', () => {
    const e = new ProviderError({ providerId: 'p', message: 'm' });
    expect(ProviderError.isInstance(e)).toBe(true);
    expect(ProviderError.isInstance(new Error('m'))).toBe(false);
    expect(UnsupportedCapabilityError.isInstance(UnsupportedCapabilityError.forMode('p', 'COMPLETION', ['CHAT']))).toBe(
      true,
    );
  });
});

describe('scrubSecrets', () => {
  it('scrubSecrets(text, secrets) leaves short or empty secrets alone', () => {
    expect(scrubSecrets('a b c', ['', undefined, 'a'])).toBe('a b c');
  });

  const KEY = 'ak_Live/9+Zq=Xw3TbR7uY2nP0a';
  const b64 = (text: string, encoding: BufferEncoding = 'base64') => Buffer.from(text, 'utf8').toString(encoding);
  const hex = Buffer.from(KEY, 'utf8').toString('hex');
  it.each([
    ['lowercased', KEY.toLowerCase()],
    ['uppercased', KEY.toUpperCase()],
    ['URL-encoded', encodeURIComponent(KEY)],
    ['percent-encoded byte by byte', hex.replace(/(..)/g, '%$1').toUpperCase()],
    ['hex', hex],
    ['HEX', hex.toUpperCase()],
    ['base64', b64(KEY)],
    ['base64url', b64(KEY, 'base64url')],
    ['base64 after one byte (":key")', b64(`:${KEY}`)],
    ['base64 after two bytes ("u:key")', b64(`u:${KEY}`)],
    ['base64 after seven bytes ("Bearer key")', b64(`Bearer ${KEY}`)],
    ['base64url inside a longer text', b64(`user:${KEY}:and more`, 'base64url')],
  ])('scrubSecrets() redacts the key %s', (_label, form) => {
    const out = scrubSecrets(`denied: "${form}" (Basic ${form})`, [KEY]);
    expect(out).toBe('denied: "[REDACTED]" (Basic [REDACTED])');
  });

  it('scrubSecrets() redacts a key deep inside a long base64 run, and the whole run', () => {
    const run = b64(`${'x'.repeat(300_000)}Bearer ${KEY}${'y'.repeat(300_000)}`);
    expect(scrubSecrets(`a ${run} b`, [KEY])).toBe('a [REDACTED] b');
  });

  it('scrubSecrets() accepts a secret that URL-encoding refuses (a lone surrogate)', () => {
    expect(scrubSecrets('k\ud800-secret-value', ['k\ud800-secret-value'])).toBe('[REDACTED]');
  });

  it('sanitizeProviderText() drops a key cut in two by the scan limit rather than showing its first half', () => {
    const text = `${' '.repeat(65_530)}${KEY} more`;
    const out = sanitizeProviderText(text, [KEY]);
    expect(out).not.toContain(KEY.slice(0, 6));
    expect(out).toBe('');
  });

  it('scrubSecrets() leaves base64 that does not hold the key alone', () => {
    const other = b64('user:some-other-credential');
    expect(scrubSecrets(`Basic ${other}`, [KEY])).toBe(`Basic ${other}`);
  });
});

describe('describeFailure', () => {
  it('formats an HTTP error as status, short provider message and request id, never the raw body', () => {
    const body = { error: { message: `bad key ${'x'.repeat(500)}`, type: 'invalid_request_error' } };
    const sdkError = Object.assign(new Error(`401 ${JSON.stringify(body)}`), {
      status: 401,
      error: body.error,
      requestID: 'req_abc123',
      headers: new Headers(),
    });
    const text = describeFailure(toProviderError(sdkError, { providerId: 'openai' }));
    expect(text).toMatch(/^status 401 · openai: bad key x+… · request id req_abc123$/);
    expect(text.split(' · ')[1].length).toBeLessThanOrEqual(200);
    expect(text).not.toContain('invalid_request_error');
  });

  it('takes the message from an Anthropic-shaped body and the request id from the headers', () => {
    const body = { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } };
    const sdkError = Object.assign(new Error(`401 ${JSON.stringify(body)}`), {
      status: 401,
      error: body,
      headers: new Headers({ 'request-id': 'req_011' }),
    });
    expect(describeFailure(toProviderError(sdkError, { providerId: 'anthropic' }))).toBe(
      'status 401 · anthropic: invalid x-api-key · request id req_011',
    );
  });

  it('describes other failures by their kind or message, on one line', () => {
    expect(describeFailure(new ProviderError({ providerId: 'p', kind: 'timeout', message: 'p: slow' }))).toBe(
      'request timed out · p: slow',
    );
    expect(describeFailure(new TypeError('bad\nsetting'))).toBe('bad setting');
  });
});

describe('parseRetryAfter', () => {
  it.each<[Record<string, string>, number | undefined]>([
    [{ 'retry-after': '2' }, 2_000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '120' }, 120],
    [{ 'retry-after-ms': '120', 'retry-after': '9' }, 120],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-1' }, undefined],
    [{}, undefined],
  ])('parseRetryAfter(%j) is %s', (headers, expected) => {
    expect(parseRetryAfter(headers)).toBe(expected);
    expect(parseRetryAfter(new Headers(headers))).toBe(expected);
  });

  it('parseRetryAfter() reads an HTTP-date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, () => now)).toBe(30_000);
  });
});

describe('toProviderError', () => {
  const ctx = { providerId: 'p', secrets: ['secret-key-123456'] };
  class APIConnectionError extends Error {}

  it.each<[string, unknown, Partial<ProviderError>]>([
    [
      'an HTTP error',
      Object.assign(new Error('429 slow down'), { status: 429, headers: new Headers({ 'retry-after': '3' }) }),
      { statusCode: 429, retryAfterMs: 3_000, isRetryable: true },
    ],
    ['a connection error', new APIConnectionError('Connection error.'), { kind: 'connection', isRetryable: true }],
    [
      'a SyntaxError',
      new SyntaxError('Unexpected end of JSON input'),
      { kind: 'malformed-response', isRetryable: true },
    ],
    ['a non-error value', 'weird', { kind: 'unknown', isRetryable: false }],
  ])('toProviderError(%s)', (_label, error, expected) => {
    expect(toProviderError(error, ctx)).toMatchObject(expected);
  });

  it('toProviderError() trusts the deadline cause and scrubs secrets', () => {
    const e = toProviderError(new Error('aborted with secret-key-123456'), { ...ctx, cause: 'timeout' });
    expect(e).toMatchObject({ kind: 'timeout', isRetryable: true });
    expect(e.message).not.toContain('secret-key-123456');
  });

  it('toProviderError() passes ProviderError and UnsupportedCapabilityError through', () => {
    const e = new ProviderError({ providerId: 'p', message: 'm' });
    expect(toProviderError(e, ctx)).toBe(e);
  });
});

describe('NoSuchProviderError', () => {
  it('lists the available ids in its message', () => {
    const e = new NoSuchProviderError('x', ['a', 'b']);
    expect(e.message).toBe('no such provider: x (available: a, b)');
    expect(e.name).toBe('NoSuchProviderError');
  });
});

/**
 * Removing API keys from text that came back from a provider (error bodies, SDK messages).
 *
 * A server or proxy that quotes the key rarely quotes it verbatim: it may lowercase it, URL-encode
 * it, hex-dump it, or show an `Authorization` header in base64 (`Basic base64(user:key)`, or the
 * base64 of a whole `Bearer <key>` line). So each known secret is looked for in every such form:
 *
 * - the key in any letter case, `encodeURIComponent(key)`, every byte as `%XX`, and its UTF-8 hex,
 *   all matched case-insensitively (hex and percent escapes come in both cases);
 * - base64 and base64url. A key inside a longer base64 text starts at one of three bit
 *   alignments (its offset mod 3 bytes), and each alignment gives the key a different spelling.
 *   For offset a in {0, 1, 2}, the characters of base64(a zero bytes + key) from ceil(8a/6) to
 *   floor(8(a + n)/6), n the key's length, depend on the key's bytes alone, so they appear in any
 *   base64 text holding the key at that alignment (the technique of secret scanners that look for
 *   encoded credentials, e.g. TruffleHog's base64 decoder works the other way round). Where one
 *   is found, the whole base64 run around it is redacted, since its edges carry bits of the key.
 *
 * On top of the known keys, anything shaped like an OpenAI/Anthropic key (`sk-...`) or a bearer
 * token is redacted too. Very short secrets (under 6 characters) are not looked for: they would
 * redact ordinary words, and real keys are long.
 */
export const REDACTED = '[REDACTED]';

const MIN_SECRET_LENGTH = 6;
const BASE64_CHAR = /[A-Za-z0-9+/_-]/;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The base64 spellings of `bytes` that hold whatever surrounds it, at each of the three alignments. */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let a = 0; a < 3; a++) {
    const encoded = Buffer.concat([Buffer.alloc(a), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * a) / 6), Math.floor((8 * (a + bytes.length)) / 6));
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(cores)];
}

/** encodeURIComponent, or undefined for text it cannot encode (a lone surrogate). */
function uriEncoded(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}

interface SecretPatterns {
  /** the key, URL-encoded, percent-encoded byte by byte, hex: matched in any letter case */
  literal: RegExp;
  /** the base64 cores, case-sensitive; each match is widened to its whole base64 run */
  base64: RegExp;
}

function secretPatterns(secret: string): SecretPatterns {
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const forms = [secret, uriEncoded(secret), hex.replace(/(..)/g, '%$1'), hex].filter(
    (form): form is string => form !== undefined,
  );
  // Longest first, so a form that contains another is taken whole.
  const literal = [...new Set(forms)].sort((x, y) => y.length - x.length).map(escapeRegExp);
  return {
    literal: new RegExp(literal.join('|'), 'gi'),
    base64: new RegExp(base64Cores(bytes).map(escapeRegExp).join('|'), 'g'),
  };
}

/**
 * Replaces every base64 run that holds a match of `pattern`. Runs are found by widening each
 * match over neighbouring base64 characters (and up to two '=' of padding), which keeps the
 * work linear in the text, unlike a pattern with an unbounded prefix.
 */
function redactBase64Runs(text: string, pattern: RegExp): string {
  let out = '';
  let copied = 0;
  for (const match of text.matchAll(pattern)) {
    let start = match.index;
    let end = start + match[0].length;
    if (start < copied) continue; // inside a run already redacted
    while (start > copied && BASE64_CHAR.test(text[start - 1])) start--;
    while (end < text.length && BASE64_CHAR.test(text[end])) end++;
    for (let pad = 0; pad < 2 && text[end] === '='; pad++) end++;
    out += text.slice(copied, start) + REDACTED;
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const patternCache = new Map<string, SecretPatterns>();

function patternsFor(secret: string): SecretPatterns {
  let patterns = patternCache.get(secret);
  if (!patterns) {
    // Keys rotate rarely; the bound only keeps a long-running process from growing without limit.
    if (patternCache.size >= 64) patternCache.clear();
    patterns = secretPatterns(secret);
    patternCache.set(secret, patterns);
  }
  return patterns;
}

/** `text` with every form of each known secret, and anything key- or bearer-shaped, replaced. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    const { literal, base64 } = patternsFor(secret);
    out = redactBase64Runs(out, base64).replace(literal, REDACTED);
  }
  return out
    .replace(/\bsk-[A-Za-z0-9_\-]{6,}/g, REDACTED)
    .replace(/\b(Bearer\s+)[A-Za-z0-9._\-]{6,}/gi, `$1${REDACTED}`);
}

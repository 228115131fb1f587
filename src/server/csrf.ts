/**
 * Apollo Server's CSRF rule, for answers that never reach Apollo (the response cache): a request
 * a browser could send cross-site without a preflight (no content type, or a "simple" one, and
 * none of Apollo's preflight-forcing headers) must not be answered. Mirrors
 * `@apollo/server/src/preventCsrf.ts` (recommendedCsrfPreventionRequestHeaders); when in doubt
 * it says "maybe", and the request goes to Apollo, which decides and answers 400 itself.
 */
import type { IncomingHttpHeaders } from 'node:http';

const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export function mayBeCrossSiteRequest(headers: IncomingHttpHeaders): boolean {
  if (PREFLIGHT_HEADERS.some((name) => (headers[name]?.length ?? 0) > 0)) return false;
  const contentType = headers['content-type'];
  if (contentType === undefined) return true;
  const essence = contentType.split(';')[0].trim().toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(essence)) return true;
  return SIMPLE_CONTENT_TYPES.includes(essence);
}

/** A GraphQL POST that fails loudly on errors, returning the raw body (timed as a client would). */
export async function postGraphQL(url: string, query: string, variables: Record<string, unknown>): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  if (!text.startsWith('{"data"')) throw new Error(`GraphQL error: ${text.slice(0, 300)}`);
  return text;
}

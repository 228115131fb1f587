/**
 * The dashboard's only ways out: GraphQL over HTTP POST (JSON) and graphql-ws subscriptions, both
 * to the server that served the page (README, "Dashboard").
 */
import { createClient, type Client } from 'graphql-ws';
import { graphqlUrl, websocketUrl } from '../shared/endpoints';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

export interface Answer<T> {
  data?: T;
  errors?: GraphQLErrorShape[];
}

/** An answer with errors and no data, as one Error naming the first message and its code. */
export class QueryFailed extends Error {
  constructor(readonly errors: GraphQLErrorShape[]) {
    const first = errors[0];
    super(`${first?.message ?? 'request failed'}${first?.extensions?.code ? ` (${first.extensions.code})` : ''}`);
  }
}

/** The answer's data and its partial errors (an aliased field that failed is null in data). */
export async function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> {
  const response = await fetch(graphqlUrl(location), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: text, variables }),
  });
  const answer = (await response.json()) as Answer<T>;
  if (!answer.data) throw new QueryFailed(answer.errors ?? [{ message: `HTTP ${response.status}` }]);
  return answer;
}

/** Like query, for answers that must be whole: any error throws. */
export async function queryAll<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await query<T>(text, variables);
  if (answer.errors?.length) throw new QueryFailed(answer.errors);
  return answer.data!;
}

let client: Client | undefined;

/** Follows a subscription until it completes; returns the function that stops it. */
export function subscribe<T>(
  text: string,
  variables: Record<string, unknown>,
  onNext: (data: T) => void,
  onEnd: (error?: unknown) => void = () => {},
): () => void {
  client ??= createClient({ url: websocketUrl(location), lazy: true, retryAttempts: 5 });
  return client.subscribe<T>(
    { query: text, variables },
    {
      next: (value) => {
        if (value.data) onNext(value.data as T);
      },
      error: (error) => onEnd(error),
      complete: () => onEnd(),
    },
  );
}

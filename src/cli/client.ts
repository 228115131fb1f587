/**
 * The CLI's connection to a PhyloLM server: GraphQL over HTTP (fetch) for queries and mutations,
 * graphql-ws on the same URL for job progress. Every failure becomes a CliError whose message
 * says what to do: an unreachable server names its URL, a GraphQL error keeps its code.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** An error to show as it is (no stack), with the exit code to leave with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

export interface ClientOptions {
  /** the server's GraphQL URL, e.g. http://localhost:4000/graphql */
  url: string;
  /** PHYLOLM_ADMIN_TOKEN of the server, for mutations when it has one */
  token?: string;
}

export class PhyloClient {
  readonly url: string;

  constructor(private readonly options: ClientOptions) {
    this.url = graphqlUrl(options.url);
  }

  /** The data of a GraphQL operation; a CliError with the server's message and code otherwise. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw unreachable(this.url, error);
    }
    let body: { data?: T; errors?: GraphQLError[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new CliError(`${this.url} answered HTTP ${response.status} without GraphQL JSON: is it a PhyloLM server?`);
    }
    if (body.errors?.length) throw new CliError(body.errors.map(describe).join('\n'));
    if (!body.data) throw new CliError(`${this.url} answered HTTP ${response.status} with no data`);
    return body.data;
  }

  /**
   * Follows a subscription, calling `next` with each value, until it completes, fails, or
   * `stop()` is called. Resolves when it is over.
   */
  subscribe<T>(
    query: string,
    variables: Record<string, unknown>,
    next: (data: T) => void,
  ): { done: Promise<void>; stop: () => void } {
    const client: Client = createClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: this.options.token ? { authorization: `Bearer ${this.options.token}` } : undefined,
      retryAttempts: 0,
      lazy: true,
    });
    let unsubscribe = () => {};
    const done = new Promise<void>((resolve, reject) => {
      unsubscribe = client.subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            if (value.errors?.length) reject(new CliError(value.errors.map(describe).join('\n')));
            else if (value.data) next(value.data);
          },
          error: (error) => reject(subscriptionError(this.url, error)),
          complete: () => resolve(),
        },
      );
    }).finally(() => client.dispose());
    return { done, stop: () => unsubscribe() };
  }
}

/** `http://host:port` alone means its /graphql; anything else is taken as given. */
export function graphqlUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--url "${url}" is not a URL; try http://localhost:4000/graphql`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`--url "${url}" must start with http:// or https://`);
  }
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/graphql';
  return parsed.toString();
}

function describe(error: GraphQLError): string {
  const code = error.extensions?.code;
  return code ? `${error.message} (${code})` : error.message;
}

function unreachable(url: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError(
    `cannot reach a PhyloLM server at ${url} (${reason}); start one with "phylolm serve", ` +
      'or point --url (or PHYLOLM_URL) at a running one',
  );
}

function subscriptionError(url: string, error: unknown): CliError {
  if (Array.isArray(error)) return new CliError((error as GraphQLError[]).map(describe).join('\n'));
  const event = error as { code?: number; reason?: string; message?: string };
  if (typeof event.code === 'number') {
    return new CliError(
      `the progress stream from ${url} closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`,
    );
  }
  return unreachable(url, error);
}

/** Starts the real application (HTTP server, SQLite file, migrations) for end-to-end tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { silentLogger, type Logger } from '../../src/logger';

export interface TestApp extends App {
  url: string;
  dir: string;
  dbPath: string;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLAnswer<T>>;
  stopAndClean(): Promise<void>;
}

export interface GraphQLAnswer<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function startTestApp(
  overrides: Partial<Config> = {},
  dir?: string,
  logger: Logger = silentLogger,
): Promise<TestApp> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'phylolm-'));
  const config: Config = {
    ...loadConfig({ PHYLOLM_DEMO: '0' }),
    port: 0,
    dbPath: join(folder, 'phylolm.db'),
    logLevel: 'silent',
    // the real worker pool when the e2e project built it (test/e2e/global-setup.ts); inline otherwise
    workers: Number(process.env.PHYLOLM_TEST_WORKERS ?? 0),
    ...overrides,
  };
  const app = await startApp(config, logger);
  const url = app.server.url;
  return {
    ...app,
    url,
    dir: folder,
    dbPath: config.dbPath,
    gql: (query, variables, headers) => postGraphQL(url, query, variables, headers),
    async stopAndClean() {
      await app.close();
      if (!dir) rmSync(folder, { recursive: true, force: true });
    },
  };
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLAnswer<T>;
  return { ...body, status: response.status };
}

/** The data of an answer that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<T>(answer: GraphQLAnswer<T>): T {
  if (answer.errors?.length || !answer.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  }
  return answer.data;
}

/** The SQLite connection of an app on SQLite (tests simulate storage faults on it). */
export function sqliteOf(app: App): import('better-sqlite3').Database {
  if (app.database.kind !== 'sqlite') throw new Error('this test needs the app on SQLite');
  return app.database.handle.sqlite;
}

/**
 * Storage faults (issue 7, finding 7): a read-only database, a full disk and a corrupt file give
 * clients the code STORAGE_UNAVAILABLE with a plain reason (never INTERNAL_SERVER_ERROR, never a
 * stack), `/healthz` answers 503 with the reason while the fault stands and 200 once it is gone,
 * a corrupt file stops the server at start-up with a message naming it, and a probing job's paid
 * answers survive a full disk.
 *
 * Tests run as root, where file permissions do not stop writes, so the faults are made with
 * SQLite itself on the server's own connection: `PRAGMA query_only` (writes fail with
 * SQLITE_READONLY), `PRAGMA max_page_count` (SQLITE_FULL, what a full disk gives), and garbage
 * written over the file's pages.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dataOf, sqliteOf, startTestApp, type GraphQLAnswer, type TestApp } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import type { Logger } from '../../src/logger';

const dirs: string[] = [];
const apps: TestApp[] = [];
let fake: FakeServer | undefined;

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'phylolm-faults-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string, overrides: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const app = await startTestApp(overrides, dir);
  apps.push(app);
  return app;
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
  await fake?.close();
  fake = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function healthz(app: TestApp): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const response = await fetch(app.url.replace(/\/graphql$/, '/healthz'));
  return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
}

/** The one error of an answer that must have failed with STORAGE_UNAVAILABLE, and nothing leaked. */
function storageError(answer: GraphQLAnswer<unknown>): string {
  expect(answer.errors).toHaveLength(1);
  const [error] = answer.errors!;
  expect(error.extensions?.code).toBe('STORAGE_UNAVAILABLE');
  const text = JSON.stringify(answer.errors);
  expect(text).not.toMatch(/stacktrace|\/work\/|node_modules|SqliteError|INSERT|SELECT/);
  return error.message;
}

const registerModel = (app: TestApp, name: string) =>
  app.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
    input: { name, provider: 'external' },
  });
const modelCount = async (app: TestApp) => dataOf(await app.gql(`{ models { totalCount } }`)).models.totalCount;

it('a read-only database: writes give STORAGE_UNAVAILABLE, reads go on, /healthz is 503 until writes work again', async () => {
  const app = await start(freshDir());
  dataOf(await registerModel(app, 'before'));
  expect(await healthz(app)).toEqual({ status: 200, body: { status: 'ok' } });

  sqliteOf(app).pragma('query_only = ON');
  const health = await healthz(app);
  expect(health.status).toBe(503);
  expect(health.body).toEqual({ status: 'unavailable', reason: expect.stringMatching(/read-only/) });
  expect(storageError(await registerModel(app, 'during'))).toMatch(/read-only/);
  expect(await modelCount(app)).toBe(1);

  sqliteOf(app).pragma('query_only = OFF');
  // the refused write is remembered until a write goes through
  expect((await healthz(app)).body.reason).toMatch(/read-only.*SQLITE_READONLY/);
  dataOf(await registerModel(app, 'after'));
  expect(await healthz(app)).toEqual({ status: 200, body: { status: 'ok' } });
  expect(await modelCount(app)).toBe(2);
});

it('a full disk: an import gives STORAGE_UNAVAILABLE and stores nothing, /healthz is 503 until a write succeeds', async () => {
  const app = await start(freshDir());
  const genome = dataOf(
    await app.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'g', genes: ['a', 'b', 'c'] },
    }),
  ).createGenome.id;
  const model = dataOf(await registerModel(app, 'm')).registerModel.id;
  const sqlite = sqliteOf(app);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);

  const completions = Array.from({ length: 3000 }, (_, i) => ({ gene: i % 3, text: `${i} `.repeat(50) }));
  const importAll = () =>
    app.gql(`mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`, {
      input: { model, genome, completions },
    });
  expect(storageError(await importAll())).toMatch(/disk .* is full/);
  const health = await healthz(app);
  expect(health.status).toBe(503);
  expect(health.body).toEqual({ status: 'unavailable', reason: expect.stringMatching(/full.*SQLITE_FULL/) });
  const samples = `query ($m: ID!, $g: ID!) { samples(model: $m, genome: $g, first: 1) { nodes { text } } }`;
  expect(dataOf(await app.gql(samples, { m: model, g: genome })).samples.nodes).toEqual([]);

  sqlite.pragma('max_page_count = 1073741823');
  expect(dataOf(await importAll()).importCompletions.accepted).toBe(3000);
  expect(await healthz(app)).toEqual({ status: 200, body: { status: 'ok' } });
});

const GENES = 6;
const N = 4;

/**
 * A probing job (one request per gene, one at a time) whose first answer arrives once the disk
 * is full. Answers are large enough to need new pages, and slow enough to fill the disk while the
 * first one is in flight.
 */
async function probingIntoFullDisk(logger?: Logger) {
  fake = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: 300 }, text: (i) => `${i} ${'x'.repeat(3000)}` });
  const dir = freshDir();
  const overrides = {
    jobLeaseMs: 600,
    probeConcurrency: 1,
    probeStoreRetry: { attempts: 2, baseDelayMs: 10, keptRetryMs: 50 },
    providers: { openai: { apiKey: 'sk-faults-000000', baseURL: fake.baseURL } },
  };
  const app = await startTestApp(overrides, dir, logger);
  apps.push(app);
  const genome = dataOf(
    await app.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'g', genes: Array.from({ length: GENES }, (_, g) => `gene ${g}`) },
    }),
  ).createGenome.id;
  const model = dataOf(
    await app.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
      input: { name: 'gpt', provider: 'openai', providerModel: 'davinci-002', mode: 'COMPLETION' },
    }),
  ).registerModel.id;
  const id = dataOf(
    await app.gql(`mutation ($input: StartProbingInput!) { startProbing(input: $input) { id } }`, {
      input: { model, genome, samplesPerGene: N },
    }),
  ).startProbing.id;
  // the first request is in flight (so the job is claimed): now the disk is full
  for (let i = 0; i < 400 && fake.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const sqlite = sqliteOf(app);
  sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
  // the answer that said "full" is the one checked: a later small write (a lease renewal) may fit
  // in a page already there, and /healthz rightly turns ok again until the next write fails
  let health = await healthz(app);
  for (let i = 0; i < 400 && health.status === 200; i++) {
    await new Promise((r) => setTimeout(r, 25));
    health = await healthz(app);
  }
  expect(health.body.reason).toMatch(/full/);
  const job = async () =>
    dataOf(await app.gql(`query ($id: ID!) { job(id: $id) { status completed total error } }`, { id })).job;
  return { app, sqlite, job };
}

it('a full disk during probing: paid answers wait in memory, the job pauses instead of failing, and nothing is lost', async () => {
  const { app, sqlite, job } = await probingIntoFullDisk();
  // a few rounds of the poller (every 300 ms) while the disk stays full
  await new Promise((r) => setTimeout(r, 1000));
  expect(await job()).toMatchObject({ status: 'RUNNING', error: null });
  // the paused job does not ask again for what it holds in memory
  expect(fake!.requests).toHaveLength(1);

  sqlite.pragma('max_page_count = 1073741823');
  let state = await job();
  for (let i = 0; i < 400 && state.status === 'RUNNING'; i++) {
    await new Promise((r) => setTimeout(r, 25));
    state = await job();
  }
  expect(state).toEqual({ status: 'SUCCEEDED', completed: GENES * N, total: GENES * N, error: null });
  const answered = fake!.requests.reduce((sum, r) => sum + (r.body?.n ?? 1), 0);
  expect(answered).toBe(GENES * N);
  const stored = sqlite.prepare(`SELECT count(*) AS n FROM samples WHERE source = 'PROBED'`).get() as { n: number };
  expect(stored.n).toBe(GENES * N);
  expect(await healthz(app)).toEqual({ status: 200, body: { status: 'ok' } });
});

it('stopping while paid answers wait for a full disk writes them in full to the log', async () => {
  const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const { app, job } = await probingIntoFullDisk({
    log: (level, message, fields) => logs.push({ level, message, fields }),
  });
  expect(await job()).toMatchObject({ status: 'RUNNING' });
  await app.close();
  apps.splice(apps.indexOf(app), 1);
  const left = logs.filter((l) => l.message === 'a paid provider answer could not be stored before stopping');
  expect(left).toHaveLength(1);
  expect(left[0]).toMatchObject({
    level: 'error',
    fields: { gene: 0, offset: 0, texts: Array.from({ length: N }, (_, i) => `${i} ${'x'.repeat(3000)}`) },
  });
});

/** Overwrites `length` bytes at `offset` of the file with a repeating garbage pattern. */
function scribble(path: string, offset: number, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(length, 'garbage!'), 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

async function databaseWithData(dir: string): Promise<string> {
  const app = await start(dir);
  for (let i = 0; i < 30; i++) dataOf(await registerModel(app, `model-${i}-${'x'.repeat(150)}`));
  await app.close();
  apps.splice(apps.indexOf(app), 1);
  return app.dbPath;
}

it('a corrupt database file stops the server at start-up with a message naming the file', async () => {
  const dir = freshDir();
  const path = await databaseWithData(dir);
  // the schema stays readable; the root page of the models table is damaged
  const db = new Database(path, { readonly: true });
  const { rootpage } = db.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'models'`).get() as {
    rootpage: number;
  };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  scribble(path, (rootpage - 1) * pageSize, pageSize);
  await expect(startTestApp({}, dir)).rejects.toThrow(
    new RegExp(`database file ${path} is corrupt \\(PRAGMA quick_check: .+\\); restore it from a backup`),
  );
});

it('a corrupt schema page stops the server at start-up with a message naming the file', async () => {
  const dir = freshDir();
  const path = await databaseWithData(dir);
  // keep page 1 (the header and the schema's root), damage every other page
  scribble(path, 4096, statSync(path).size - 4096);
  await expect(startTestApp({}, dir)).rejects.toThrow(
    new RegExp(`database file ${path} cannot be used: the database file is corrupt \\(SQLITE_CORRUPT\\); restore`),
  );
});

it('a file that is not a database (damaged header) stops the server at start-up, naming the file', async () => {
  const dir = freshDir();
  const path = await databaseWithData(dir);
  scribble(path, 0, 100);
  await expect(startTestApp({}, dir)).rejects.toThrow(
    new RegExp(`database file ${path} cannot be used: .*not a SQLite database.*SQLITE_NOTADB`),
  );
});

it('corruption appearing while the server runs: queries give STORAGE_UNAVAILABLE and /healthz turns 503', async () => {
  const dir = freshDir();
  const app = await start(dir);
  for (let i = 0; i < 30; i++) dataOf(await registerModel(app, `model-${i}-${'x'.repeat(150)}`));
  const sqlite = sqliteOf(app);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  scribble(app.dbPath, 4096, statSync(app.dbPath).size - 4096);
  // drop the connection's cached pages, so the next read sees the file
  sqlite.pragma('shrink_memory');

  const answer = await app.gql(`{ models(first: 100) { nodes { name } } }`);
  expect(storageError(answer)).toMatch(/corrupt|not a SQLite database/);
  const health = await healthz(app);
  expect(health.status).toBe(503);
  expect(health.body).toEqual({ status: 'unavailable', reason: expect.stringMatching(/corrupt|not a SQLite/) });
});

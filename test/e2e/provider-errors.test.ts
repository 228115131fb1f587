/**
 * Provider errors as a user sees them (issue 7, finding 5): a provider that answers 401 with a
 * body quoting the key in other forms (lowercased, URL-encoded, base64, hex) must not get any of
 * them into the job's `error`, the logs or the SQLite file. The stored error is the status code,
 * a short message and the provider's request id. Real server, real SDKs, local fake providers.
 */
import { readFileSync } from 'node:fs';
import { createLogger } from '../../src/logger';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { startFakeAnthropic } from '../helpers/fake-anthropic';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';

// Characters that URL-encoding changes, so the encoded form differs from the key itself.
const KEY = 'sk-proj-Zq9/Xk+Lm=Wv3TbR7uY2nP0a';
const JOB = `query ($id: ID!) { job(id: $id) { id status error } }`;

let openai: FakeServer;
let anthropic: FakeServer;
let app: TestApp;
let genome: string;
const logs: string[] = [];

/**
 * Every form of the key that must not appear. A base64 form is checked by the part that comes
 * from the key's bytes alone (its prefix is at most 7 bytes, 10 characters).
 */
function forbiddenForms(key: string): string[] {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const hex = Buffer.from(key, 'utf8').toString('hex');
  return [
    key,
    key.toLowerCase(),
    key.toUpperCase(),
    encodeURIComponent(key),
    hex,
    hex.toUpperCase(),
    b64(key).slice(0, -4),
    b64(`Bearer ${key}`).slice(12, -4),
    b64(`user:${key}`).slice(12, -4),
    Buffer.from(`:${key}`, 'utf8').toString('base64url').slice(4, -4),
  ];
}

async function waitForJob(id: string) {
  for (let i = 0; i < 600; i++) {
    const job = dataOf(await app.gql(JOB, { id })).job;
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

beforeAll(async () => {
  openai = await startFakeOpenAI({ fallback: { kind: 'echo-key', status: 401 } });
  anthropic = await startFakeAnthropic({
    script: Array.from({ length: 20 }, () => ({ kind: 'echo-key', status: 401 })),
  });
  app = await startTestApp(
    {
      logLevel: 'debug',
      probeMaxAttempts: 2,
      probeRetryBaseMs: 1,
      providers: {
        openai: { apiKey: KEY, baseURL: openai.baseURL, timeoutMs: 5000 },
        anthropic: { apiKey: KEY, baseURL: anthropic.baseURL, timeoutMs: 5000 },
      },
    },
    undefined,
    createLogger('debug', (line) => logs.push(line)),
  );
  genome = dataOf(
    await app.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'g', genes: ['The cat sat on', 'def fib(n):'] },
    }),
  ).createGenome.id;
});

afterAll(async () => {
  await app?.stopAndClean();
  await openai?.close();
  await anthropic?.close();
});

describe.each([
  ['openai', 'gpt-4o-mini', () => openai],
  ['anthropic', 'claude-3-5-haiku-latest', () => anthropic],
])('a %s 401 whose body echoes the key in other forms', (provider, providerModel, fake) => {
  let job: { status: string; error: string };

  beforeAll(async () => {
    const model = dataOf(
      await app.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
        input: { name: `m-${provider}`, provider, providerModel, mode: 'CHAT' },
      }),
    ).registerModel.id;
    const id = dataOf(
      await app.gql(`mutation ($input: StartProbingInput!) { startProbing(input: $input) { id } }`, {
        input: { model, genome, samplesPerGene: 2 },
      }),
    ).startProbing.id;
    job = await waitForJob(id);
  });

  it('fails the job with "status 401 · <short message> · request id <id>"', () => {
    const sent = fake().requests.map((r) => String(r.headers.authorization ?? r.headers['x-api-key']));
    expect(sent.some((header) => header.includes(KEY))).toBe(true); // the key was really used
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(/^status 401 · .+ · request id req_fake\d{6}$/);
    const message = job.error.split(' · ')[1];
    expect(message.length).toBeLessThanOrEqual(200);
    expect(message).toContain('Incorrect API key provided');
  });

  it('leaves no form of the key in job { error }, the logs or the SQLite file', async () => {
    const answers = [
      await app.gql(`{ jobs(first: 100) { nodes { id error warnings } } }`),
      await app.gql(JOB, { id: '1' }),
      await app.gql(JOB, { id: '2' }),
    ];
    await app.services.writes.flush();
    const db = ['', '-wal'].map((suffix) => {
      try {
        return readFileSync(app.dbPath + suffix).toString('latin1');
      } catch {
        return '';
      }
    });
    expect(logs.join('\n')).toContain('probing job failed');
    for (const text of [...answers.map((a) => JSON.stringify(a)), logs.join('\n'), ...db]) {
      for (const form of forbiddenForms(KEY)) expect(text).not.toContain(form);
    }
  });
});

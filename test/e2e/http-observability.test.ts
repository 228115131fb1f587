/**
 * Observability (issue 9): one access-log line per request through the project's logger, and
 * `GET /metrics` in the Prometheus text format (checked by a strict parser) whose counters move
 * with requests, the response cache, probing jobs and provider requests; behind the admin token
 * when one is set.
 */
import { simulatedZoo } from '../../plugins/simulated';
import { createLogger } from '../../src/logger';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { httpRequest, postBody } from '../helpers/http';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus';

jest.setTimeout(120_000);

const TOKEN = 'metrics-s3cret';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const GENOMES = 'query Genomes { genomes { name } }';
const logs: string[] = [];
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp(
    { adminToken: TOKEN },
    undefined,
    createLogger('info', (line) => logs.push(line)),
  );
});
afterAll(() => app.stopAndClean());

async function scrape() {
  const answer = await httpRequest(app.url, { path: '/metrics', headers: AUTH });
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(answer.text);
}

const accessLines = () => logs.map((l) => JSON.parse(l)).filter((l) => l.message === 'request');

describe('the access log', () => {
  it('has one line per request with method, path, operation, status, ms, cache and cost', async () => {
    const before = accessLines().length;
    await postBody(app.url, { query: GENOMES, operationName: 'Genomes' });
    await postBody(app.url, { query: GENOMES, operationName: 'Genomes' });
    await postBody(app.url, { query: '{ nope }' });
    await httpRequest(app.url, { path: '/healthz' });
    const lines = accessLines().slice(before);
    expect(lines).toHaveLength(4);
    const [miss, hit, bad, health] = lines;
    expect(miss).toMatchObject({ method: 'POST', path: '/graphql', operation: 'Genomes', status: 200, cache: 'miss' });
    expect(typeof miss.ms).toBe('number');
    expect(miss.cost).toBeGreaterThan(0);
    expect(hit).toMatchObject({ operation: 'Genomes', status: 200, cache: 'hit' });
    expect(bad).toMatchObject({ path: '/graphql', status: 400 });
    expect(health).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
    for (const line of lines) expect(line.level).toBe('info');
  });
});

describe('/metrics', () => {
  it('needs the admin token when one is set', async () => {
    const bare = await httpRequest(app.url, { path: '/metrics' });
    expect(bare.status).toBe(401);
    expect(bare.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('parses, and its request, duration and cache counters move with requests', async () => {
    const before = await scrape();
    for (const family of [
      'phylolm_http_requests_total',
      'phylolm_http_request_duration_seconds',
      'phylolm_response_cache_requests_total',
      'phylolm_jobs',
      'phylolm_http_inflight_requests',
    ]) {
      expect(before.has(family)).toBe(true);
    }
    const ok = { operation: 'Genomes', status: '200' };
    for (let i = 0; i < 3; i++) await postBody(app.url, { query: GENOMES, operationName: 'Genomes' });
    await postBody(app.url, { query: '{ nope }' });
    const after = await scrape();
    const delta = (family: string, sample: string, labels: Record<string, string>) =>
      sampleValue(after, family, sample, labels) - sampleValue(before, family, sample, labels);
    expect(delta('phylolm_http_requests_total', 'phylolm_http_requests_total', ok)).toBe(3);
    expect(
      delta('phylolm_http_requests_total', 'phylolm_http_requests_total', { operation: 'anonymous', status: '400' }),
    ).toBe(1);
    expect(
      delta('phylolm_http_request_duration_seconds', 'phylolm_http_request_duration_seconds_count', {
        operation: 'Genomes',
      }),
    ).toBe(3);
    expect(
      delta('phylolm_response_cache_requests_total', 'phylolm_response_cache_requests_total', { result: 'hit' }),
    ).toBe(3);
  });

  it('counts jobs by status and provider requests, retries and tokens of a probing job', async () => {
    const genome = await app.services.genomes.installBuiltin('math-owm-128');
    const model = dataOf(
      await app.gql(
        'mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }',
        {
          input: {
            name: 'sim-metrics',
            provider: 'simulated',
            providerModel: simulatedZoo(0).models[0].id,
            mode: simulatedZoo(0).models[0].mode,
          },
        },
        AUTH,
      ),
    ).registerModel.id;
    const job = dataOf(
      await app.gql(
        'mutation ($input: StartProbingInput!) { startProbing(input: $input) { id } }',
        { input: { model, genome: String(genome.id), samplesPerGene: 1 } },
        AUTH,
      ),
    ).startProbing.id;
    await app.services.jobs.settled(Number(job));
    const families = await scrape();
    expect(sampleValue(families, 'phylolm_jobs', 'phylolm_jobs', { status: 'SUCCEEDED' })).toBe(1);
    expect(sampleValue(families, 'phylolm_jobs', 'phylolm_jobs', { status: 'RUNNING' })).toBe(0);
    const requests = sampleValue(families, 'phylolm_provider_requests_total', 'phylolm_provider_requests_total', {
      provider: 'simulated',
      outcome: 'ok',
    });
    expect(requests).toBeGreaterThan(0);
    const stored = dataOf(
      await app.gql('query ($id: ID!) { job(id: $id) { requests completionTokens } }', { id: job }),
    ).job;
    expect(requests).toBe(stored.requests);
    expect(
      sampleValue(families, 'phylolm_provider_tokens_total', 'phylolm_provider_tokens_total', {
        provider: 'simulated',
        kind: 'completion',
      }),
    ).toBe(stored.completionTokens);
  });

  it('counts heavy computations by kind, with their durations', async () => {
    const genome = dataOf(
      await app.gql(
        'mutation { createGenome(input: { name: "metrics-g", genes: ["The cat", "Once upon"] }) { id } }',
        {},
        AUTH,
      ),
    ).createGenome.id;
    for (const [m, words] of [
      ['a', ['sat', 'ran']],
      ['b', ['sat', 'is']],
      ['c', ['was', 'is']],
    ] as const) {
      const id = dataOf(
        await app.gql(
          'mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }',
          { input: { name: `metrics-${m}`, provider: 'external' } },
          AUTH,
        ),
      ).registerModel.id;
      const completions = [0, 1].flatMap((gene) => words.map((text) => ({ gene, text: ` ${text} ${gene}` })));
      dataOf(
        await app.gql(
          'mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }',
          { input: { model: id, genome, completions } },
          AUTH,
        ),
      );
    }
    const before = await scrape();
    dataOf(await app.gql('query ($g: ID!) { tree(genome: $g) { newick } }', { g: genome }));
    const after = await scrape();
    for (const kind of ['similarity', 'tree']) {
      const delta = (family: string, sample: string) =>
        sampleValue(after, family, sample, { kind }) - sampleValue(before, family, sample, { kind });
      expect(delta('phylolm_computations_total', 'phylolm_computations_total')).toBe(1);
      expect(delta('phylolm_computation_duration_seconds', 'phylolm_computation_duration_seconds_count')).toBe(1);
    }
  });
});

it('is open without an admin token', async () => {
  const open = await startTestApp();
  try {
    const answer = await httpRequest(open.url, { path: '/metrics' });
    expect(answer.status).toBe(200);
    expect(parsePrometheusText(answer.text).has('phylolm_http_requests_total')).toBe(true);
  } finally {
    await open.stopAndClean();
  }
});

/**
 * Arguments at the edge of what the API accepts, over real HTTP (issue 7, findings 6 and 7):
 * text that is not well-formed UTF-16 is refused naming the argument and nothing is written
 * (SQLite would store it as U+FFFD, silently rewritten); numbers out of range, unknown or
 * malformed ids and id lists longer than a request may name get BAD_USER_INPUT or NOT_FOUND
 * naming the argument, never an internal error.
 */
import { MAX_MODELS_PER_REQUEST } from '../../src/services/validate';
import { dataOf, startTestApp, type GraphQLAnswer, type TestApp } from '../helpers/app';
import { wsClient } from '../helpers/ws';

const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id name } }`;
const CREATE_GENOME = `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id name geneCount } }`;
const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted sampleCount } }`;
const COUNTS = `query ($genome: ID!, $model: ID!) {
  models { totalCount } genomes { id }
  samples(genome: $genome, model: $model, first: 1000) { nodes { text } }
}`;
const PREDICT = `query ($model: ID!, $genome: ID!, $level: Float) {
  prediction(model: $model, benchmark: "ARC", genome: $genome, level: $level) { value low high level }
}`;

let app: TestApp;
let genome: string;
const ids: string[] = [];

/** The one error of an answer, which must carry `code` and mention every `words`. */
function expectError(answer: GraphQLAnswer<unknown>, code: string, ...words: string[]) {
  expect(answer.errors).toHaveLength(1);
  const [error] = answer.errors!;
  expect(error.extensions?.code).toBe(code);
  for (const word of words) expect(error.message).toContain(word);
}

async function counts() {
  const data = dataOf(await app.gql(COUNTS, { genome, model: ids[0] }));
  return { models: data.models.totalCount, genomes: data.genomes.length, samples: data.samples.nodes.length };
}

beforeAll(async () => {
  app = await startTestApp();
  genome = dataOf(
    await app.gql(CREATE_GENOME, { input: { name: 'g', genes: ['The cat', 'Once upon', '1 + 1 =', 'Hello'] } }),
  ).createGenome.id;
  const texts = [
    ['sat', 'sat', 'is'],
    ['a time', 'there', 'a time'],
    ['2', '2', '3'],
    ['world', 'there', 'world'],
    ['is', 'ran', 'is'],
  ];
  for (let m = 0; m < 5; m++) {
    const id = dataOf(await app.gql(REGISTER, { input: { name: `m${m}`, provider: 'external', family: `f${m}` } }))
      .registerModel.id as string;
    ids.push(id);
    const completions = [0, 1, 2, 3].flatMap((gene) =>
      texts[m].map((t, i) => ({ gene, text: `${t}${(gene + i + m) % 3}` })),
    );
    dataOf(await app.gql(IMPORT, { input: { model: id, genome, completions } }));
  }
  const scores = ids.map((model, i) => ({ model, benchmark: 'ARC', value: 0.3 + 0.1 * i }));
  dataOf(await app.gql(`mutation ($s: [ScoreInput!]!) { setScores(input: $s) { value } }`, { s: scores }));
});

afterAll(() => app.stopAndClean());

describe('text that is not well-formed UTF-16', () => {
  it.each(['m\ud800x', 'm\udbffx', 'm\udc00x', 'tail\ud83d'])(
    'registerModel(name: %j) is refused naming input.name, and nothing is written',
    async (name) => {
      const before = await counts();
      const answer = await app.gql(REGISTER, { input: { name, provider: 'external' } });
      expectError(answer, 'BAD_USER_INPUT', 'input.name', 'surrogate');
      expect(await counts()).toEqual(before);
    },
  );

  it('a body whose bytes are not UTF-8 (a surrogate encoded as ED A0 80) is refused, not stored as U+FFFD', async () => {
    const before = await counts();
    const json = JSON.stringify({ query: REGISTER, variables: { input: { name: 'mSURx', provider: 'external' } } });
    const [head, tail] = json.split('SUR');
    const body = Buffer.concat([Buffer.from(head), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(tail)]);
    const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as GraphQLAnswer<unknown>;
    expectError(answer, 'BAD_REQUEST', 'UTF-8');
    expect(await counts()).toEqual(before);
  });

  it('a lone surrogate in an optional field is named too (input.family)', async () => {
    const answer = await app.gql(REGISTER, { input: { name: 'fine', provider: 'external', family: '\udfff' } });
    expectError(answer, 'BAD_USER_INPUT', 'input.family');
  });

  it('createGenome refuses a gene with a lone surrogate, naming its index', async () => {
    const before = await counts();
    const answer = await app.gql(CREATE_GENOME, { input: { name: 'bad', genes: ['fine', 'a\ud800b'] } });
    expectError(answer, 'BAD_USER_INPUT', 'input.genes[1]');
    expect(await counts()).toEqual(before);
  });

  it('importCompletions refuses a text with a lone surrogate, naming the completion', async () => {
    const before = await counts();
    const completions = [
      { gene: 0, text: 'ok' },
      { gene: 1, text: 'x\udc01' },
    ];
    const answer = await app.gql(IMPORT, { input: { model: ids[0], genome, completions } });
    expectError(answer, 'BAD_USER_INPUT', 'input.completions[1].text');
    expect(await counts()).toEqual(before);
  });

  it('a query argument is checked as well (models(filter: { nameContains }))', async () => {
    const answer = await app.gql(`query ($f: ModelFilter) { models(filter: $f) { totalCount } }`, {
      f: { nameContains: '\ud800' },
    });
    expectError(answer, 'BAD_USER_INPUT', 'filter.nameContains');
  });

  it('over graphql-ws too: a query and a subscription with a lone surrogate are refused naming the argument', async () => {
    const client = wsClient(app.url);
    const errorsOf = async (query: string, variables: Record<string, unknown>) => {
      for await (const event of client.iterate({ query, variables })) return event.errors;
      return undefined;
    };
    try {
      const query = await errorsOf(`query ($f: ModelFilter) { models(filter: $f) { totalCount } }`, {
        f: { nameContains: 'a\udfffb' },
      });
      expect(query?.[0].message).toContain('filter.nameContains is not well-formed Unicode');
      const subscription = await errorsOf(`subscription ($id: ID!) { jobProgress(id: $id) { status } }`, {
        id: '\ud800',
      });
      expect(subscription?.[0].message).toContain('id is not well-formed Unicode');
    } finally {
      await client.dispose();
    }
  });

  it('well-formed astral text (surrogate pairs), NUL and right-to-left text are kept exactly', async () => {
    const name = 'emoji 😀 \u0000 עברית \u202e';
    const model = dataOf(await app.gql(REGISTER, { input: { name, provider: 'external' } })).registerModel;
    expect(model.name).toBe(name);
    const found = dataOf(await app.gql(`query ($n: String) { model(name: $n) { id name } }`, { n: name })).model;
    expect(found).toEqual(model);
  });

  it('importScores refuses JSON whose escapes decode to a lone surrogate, and writes nothing', async () => {
    const before = dataOf(await app.gql(`{ models { nodes { scores { benchmark } } } }`));
    const data = `[{ "model": "m1", "benchmark": "A\\ud800", "value": 0.5 }]`;
    const answer = await app.gql(`mutation ($input: ImportScoresInput!) { importScores(input: $input) { written } }`, {
      input: { format: 'JSON', data },
    });
    expectError(answer, 'BAD_USER_INPUT', 'benchmark', 'surrogate');
    expect(dataOf(await app.gql(`{ models { nodes { scores { benchmark } } } }`))).toEqual(before);
  });
});

describe('numbers out of range', () => {
  it.each(['family', 'providerModel'])('registerModel refuses a %s longer than 200 characters', async (field) => {
    const before = await counts();
    const input = { name: `long-${field}`, provider: 'external', [field]: 'x'.repeat(201) };
    expectError(await app.gql(REGISTER, { input }), 'BAD_USER_INPUT', field, '200');
    expect(await counts()).toEqual(before);
  });

  it('prediction(level: 1e-20) is a valid (narrowest) interval, not NaN', async () => {
    const p = dataOf(await app.gql(PREDICT, { model: ids[0], genome, level: 1e-20 })).prediction;
    expect(p.level).toBe(1e-20);
    for (const x of [p.value, p.low, p.high]) expect(Number.isFinite(x)).toBe(true);
    expect(p.low).toBeLessThanOrEqual(p.value);
    expect(p.high).toBeGreaterThanOrEqual(p.value);
  });

  it.each([0, 1, -0.5, 1.5, 1e308, -1e308])('prediction(level: %p) is refused naming level', async (level) => {
    expectError(await app.gql(PREDICT, { model: ids[0], genome, level }), 'BAD_USER_INPUT', 'level');
  });

  it('predictionEvaluation(level: 1e-20) answers finite intervals', async () => {
    const answer = await app.gql(
      `query ($genome: ID!) { predictionEvaluation(benchmark: "ARC", genome: $genome, level: 1e-20) { level points { low high } } }`,
      { genome },
    );
    // 5 scored models in 5 families: the evaluation runs, and every interval is finite
    const e = dataOf(answer).predictionEvaluation;
    expect(e.level).toBe(1e-20);
    expect(e.points).toHaveLength(5);
    for (const p of e.points) expect(Number.isFinite(p.low) && Number.isFinite(p.high)).toBe(true);
  });

  it.each([
    ['gene', `query ($g: ID!, $m: ID!) { samples(genome: $g, model: $m, gene: 4) { nodes { id } } }`],
    ['gene', `query ($g: ID!, $m: ID!) { samples(genome: $g, model: $m, gene: -1) { nodes { id } } }`],
    ['first', `query ($g: ID!, $m: ID!) { samples(genome: $g, model: $m, first: -1) { nodes { id } } }`],
    ['bootstrap', `query ($g: ID!) { tree(genome: $g, bootstrap: -1) { newick } }`],
    ['alleleLength', `query ($g: ID!) { tree(genome: $g, alleleLength: 0) { newick } }`],
    ['alleleLength', `query ($g: ID!) { distanceMatrix(genome: $g, alleleLength: 2147483647) { phylip } }`],
    ['digits', `query ($g: ID!) { distanceMatrix(genome: $g) { phylip(digits: -3) } }`],
    ['digits', `query ($g: ID!) { distanceMatrix(genome: $g) { phylip(digits: 100000) } }`],
    [
      'samplesPerGene',
      `query ($g: ID!, $m: ID!) { probingEstimate(input: { genome: $g, model: $m, samplesPerGene: 0 }) { requests } }`,
    ],
    [
      'maxTokens',
      `query ($g: ID!, $m: ID!) { probingEstimate(input: { genome: $g, model: $m, maxTokens: -5 }) { requests } }`,
    ],
    ['first', `query ($g: ID!) { genome(id: $g) { genes(first: 2147483647) { totalCount } } }`],
    ['first', `query { models(first: -1) { totalCount } }`],
    ['first', `query { jobs(first: 1000000) { nodes { id } } }`],
    ['after', `query { jobs(after: "not a cursor") { nodes { id } } }`],
  ])('an out-of-range %s is BAD_USER_INPUT naming it (%#)', async (name, query) => {
    const variables: Record<string, string> = {};
    if (query.includes('$g')) variables.g = genome;
    if (query.includes('$m')) variables.m = ids[0];
    expectError(await app.gql(query, variables), 'BAD_USER_INPUT', name);
  });
});

describe('variables', () => {
  it('more than 50 bad values in the variables is BAD_USER_INPUT, not an internal error (found by the fuzz)', async () => {
    // graphql-js stops coercing after 50 errors with an error of its own, which carries no code
    const completions = Array.from({ length: 60 }, () => ({ gene: 'not a number', text: 1 }));
    const answer = await app.gql(IMPORT, { input: { model: ids[0], genome, completions } });
    expect(answer.errors!.length).toBeGreaterThan(50);
    expect(answer.errors!.map((e) => e.extensions?.code)).toEqual(answer.errors!.map(() => 'BAD_USER_INPUT'));
    expect(answer.errors!.at(-1)!.message).toContain('Too many errors processing variables');
  });
});

describe('ids', () => {
  it.each(['99999999999999999999', '1e30', '-1', '0', 'abc', '\u0000', ''])(
    'model %j is NOT_FOUND, not an internal error',
    async (id) => {
      const answer = await app.gql(`query ($g: ID!, $m: ID!) { samples(genome: $g, model: $m) { nodes { id } } }`, {
        g: genome,
        m: id,
      });
      expectError(answer, 'NOT_FOUND', 'model');
    },
  );

  it('an id sent as the JSON number 1e30 is NOT_FOUND', async () => {
    const answer = await app.gql(`query ($m: ID!) { job(id: $m) { id } model(id: $m) { id } }`, { m: 1e30 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ job: null, model: null });
  });

  it(`distanceMatrix with 40,000 model ids is refused naming models and the limit ${MAX_MODELS_PER_REQUEST}`, async () => {
    const models = Array.from({ length: 40_000 }, (_, i) => String(i + 1));
    const answer = await app.gql(`query ($g: ID!, $m: [ID!]) { distanceMatrix(genome: $g, models: $m) { phylip } }`, {
      g: genome,
      m: models,
    });
    expectError(answer, 'BAD_USER_INPUT', 'models', MAX_MODELS_PER_REQUEST.toLocaleString('en-US'));
  });

  it('tree and importLeaderboardScores have the same limit', async () => {
    const models = Array.from({ length: MAX_MODELS_PER_REQUEST + 1 }, (_, i) => String(i + 1));
    const tree = await app.gql(`query ($g: ID!, $m: [ID!]) { tree(genome: $g, models: $m) { newick } }`, {
      g: genome,
      m: models,
    });
    expectError(tree, 'BAD_USER_INPUT', 'models');
    const scores = await app.gql(`mutation ($m: [ID!]) { importLeaderboardScores(models: $m) { written } }`, {
      m: models,
    });
    expectError(scores, 'BAD_USER_INPUT', 'models');
  });

  it('a list at the limit with unknown ids is NOT_FOUND, not a SQL error', async () => {
    const models = Array.from({ length: MAX_MODELS_PER_REQUEST }, (_, i) => String(i + 1));
    const answer = await app.gql(`query ($g: ID!, $m: [ID!]) { distanceMatrix(genome: $g, models: $m) { phylip } }`, {
      g: genome,
      m: models,
    });
    expectError(answer, 'NOT_FOUND', 'no model with id');
  });
});

/**
 * Friendly to services (issue 9), in process: every argument that takes a model or genome id
 * also takes its name, with one rule (README, "Ids or names"): a value that is the id of an
 * existing row is that row; otherwise it is a name; `name:<text>` is always the name <text>, so a
 * model literally named "1" stays reachable. `registerModel` and `createGenome` with
 * `ifExists: RETURN` answer the existing row when it is the same, and CONFLICT otherwise.
 */
import { dataOf, startGraphQL, type GraphQLAnswer, type GraphQLHarness } from '../helpers/graphql';

const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id name family temperature } }`;
const CREATE_GENOME = `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id name fingerprint } }`;
const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted rejected sampleCount } }`;
const SAMPLES = `query ($g: ID!, $m: ID!) { samples(genome: $g, model: $m) { nodes { text } } }`;

const GENES = ['The cat', 'Once upon', '1 + 1 =', 'Hello'];
const TEXTS = [
  ['sat', 'sat', 'is'],
  ['a time', 'there', 'a time'],
  ['2', '2', '3'],
  ['world', 'there', 'world'],
  ['is', 'ran', 'is'],
  ['sat', 'ran', 'was'],
];
const NAMES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];

let api: GraphQLHarness;
let genome: { id: string; name: string };
/** model name -> id */
const id: Record<string, string> = {};

function expectError(answer: GraphQLAnswer<unknown>, code: string, ...words: string[]) {
  expect(answer.errors).toHaveLength(1);
  const [error] = answer.errors!;
  expect(error.extensions?.code).toBe(code);
  for (const word of words) expect(error.message).toContain(word);
}

async function register(input: Record<string, unknown>) {
  return dataOf(await api.gql(REGISTER, { input: { provider: 'external', ...input } })).registerModel;
}

function completionsOf(m: number) {
  return GENES.flatMap((_, gene) => TEXTS[m].map((t, i) => ({ gene, text: `${t}${(gene + i + m) % 3}` })));
}

beforeAll(async () => {
  api = await startGraphQL();
  genome = dataOf(await api.gql(CREATE_GENOME, { input: { name: 'math-owm', genes: GENES } })).createGenome;
  for (const [m, name] of NAMES.entries()) {
    id[name] = (await register({ name, family: `f${m}` })).id;
    dataOf(await api.gql(IMPORT, { input: { model: id[name], genome: genome.id, completions: completionsOf(m) } }));
    await api.gql(
      `mutation ($m: ID!, $v: Float!) { setScores(input: [{ model: $m, benchmark: "ARC", value: $v }]) { value } }`,
      {
        m: id[name],
        v: 0.3 + m / 20,
      },
    );
  }
  const simulated = dataOf(await api.gql(`{ providers { id models { id mode } } }`)).providers.find(
    (p: { id: string }) => p.id === 'simulated',
  );
  id.sim = (
    await register({
      name: 'sim',
      provider: 'simulated',
      providerModel: simulated.models[0].id,
      mode: simulated.models[0].mode,
    })
  ).id;
});

afterAll(() => api.close());

describe('every model or genome argument takes a name', () => {
  const byName = (name: string) => name;
  const byId = (name: string) => id[name];
  const reads: [string, string, (ref: (name: string) => string, g: string) => Record<string, unknown>][] = [
    [
      'distanceMatrix(genome, models)',
      `query ($g: ID!, $m: [ID!]) { distanceMatrix(genome: $g, models: $m) { models { id } distance phylip } }`,
      (ref, g) => ({ g, m: ['gamma', 'alpha', 'beta'].map(ref) }),
    ],
    [
      'distanceMatrix(genome) over every model',
      `query ($g: ID!) { distanceMatrix(genome: $g) { models { id } distance } }`,
      (_ref, g) => ({ g }),
    ],
    [
      'tree(genome, models, outgroup)',
      `query ($g: ID!, $m: [ID!], $o: ID) { tree(genome: $g, models: $m, root: OUTGROUP, outgroup: $o) { newick } }`,
      (ref, g) => ({ g, m: ['alpha', 'beta', 'gamma', 'delta'].map(ref), o: ref('delta') }),
    ],
    ['samples(genome, model)', SAMPLES, (ref, g) => ({ g, m: ref('beta') })],
    [
      'prediction(model, genome)',
      `query ($g: ID!, $m: ID!) { prediction(model: $m, genome: $g, benchmark: "ARC") { value low high neighbors { model { id } } } }`,
      (ref, g) => ({ g, m: ref('epsilon') }),
    ],
    [
      'predictionEvaluation(genome)',
      `query ($g: ID!) { predictionEvaluation(genome: $g, benchmark: "ARC") { n mae points { model { id } predicted } } }`,
      (_ref, g) => ({ g }),
    ],
    [
      'models(filter: { genome })',
      `query ($g: ID) { models(filter: { genome: $g }) { totalCount nodes { id } } }`,
      (_ref, g) => ({ g }),
    ],
    [
      'probingEstimate(input: { model, genome })',
      `query ($g: ID!, $m: ID!) { probingEstimate(input: { model: $m, genome: $g, samplesPerGene: 2 }) { requests samplesNeeded } }`,
      (ref, g) => ({ g, m: ref('sim') }),
    ],
  ];

  it.each(reads)('%s answers the same by name as by id', async (_label, query, variables) => {
    const withIds = dataOf(await api.gql(query, variables(byId, genome.id)));
    const withNames = await api.gql(query, variables(byName, genome.name));
    expect(withNames.errors).toBeUndefined();
    expect(withNames.data).toEqual(withIds);
  });

  it('importCompletions and setScores write to the model and genome they name', async () => {
    const imported = dataOf(
      await api.gql(IMPORT, {
        input: { model: 'zeta', genome: 'math-owm', completions: [{ gene: 0, text: 'zeta extra' }] },
      }),
    ).importCompletions;
    expect(imported.accepted).toBe(1);
    const texts = dataOf(await api.gql(SAMPLES, { g: genome.id, m: id.zeta })).samples.nodes.map(
      (n: { text: string }) => n.text,
    );
    expect(texts).toContain('zeta extra');

    const scores = dataOf(
      await api.gql(
        `mutation { setScores(input: [{ model: "zeta", benchmark: "MMLU", value: 0.25 }]) { model { id } value } }`,
      ),
    ).setScores;
    expect(scores).toEqual([{ model: { id: id.zeta }, value: 0.25 }]);
  });

  it('importLeaderboardScores(models) takes names', async () => {
    const query = `mutation ($m: [ID!]) { importLeaderboardScores(models: $m) { matched unmatched } }`;
    const withNames = await api.gql(query, { m: ['alpha', 'beta'] });
    expect(withNames.errors).toBeUndefined();
    expect(withNames.data).toEqual(dataOf(await api.gql(query, { m: [id.alpha, id.beta] })));
  });

  it('startProbing(input: { model, genome }) and jobs(model, genome) take names', async () => {
    const job = dataOf(
      await api.gql(`mutation { startProbing(input: { model: "sim", genome: "math-owm", samplesPerGene: 1 }) { id } }`),
    ).startProbing;
    const listed = dataOf(
      await api.gql(`{ byName: jobs(model: "sim", genome: "math-owm") { nodes { id } } }`),
    ).byName.nodes.map((n: { id: string }) => n.id);
    expect(listed).toEqual([job.id]);
    const byId = dataOf(
      await api.gql(`query ($m: ID, $g: ID) { jobs(model: $m, genome: $g) { nodes { id } } }`, {
        m: id.sim,
        g: genome.id,
      }),
    ).jobs.nodes.map((n: { id: string }) => n.id);
    expect(byId).toEqual(listed);
    expectError(await api.gql(`{ jobs(model: "nobody") { nodes { id } } }`), 'NOT_FOUND', '"nobody"');
  });

  it('deleteModel and deleteGenome take names', async () => {
    const doomed = await register({ name: 'doomed' });
    expect(dataOf(await api.gql(`mutation { deleteModel(id: "doomed") { id name } }`)).deleteModel).toEqual({
      id: doomed.id,
      name: 'doomed',
    });
    const g = dataOf(await api.gql(CREATE_GENOME, { input: { name: 'scratch', genes: ['x'] } })).createGenome;
    expect(dataOf(await api.gql(`mutation { deleteGenome(id: "scratch") { id } }`)).deleteGenome.id).toBe(g.id);
    expect(dataOf(await api.gql(`{ genome(name: "scratch") { id } model(name: "doomed") { id } }`))).toEqual({
      genome: null,
      model: null,
    });
  });

  it('an unknown name is NOT_FOUND naming it, and changes nothing', async () => {
    const revision = await api.store.dataRevision();
    expectError(await api.gql(SAMPLES, { g: 'math-owm', m: 'no-such-model' }), 'NOT_FOUND', 'model', '"no-such-model"');
    expectError(await api.gql(SAMPLES, { g: 'no-such-genome', m: 'alpha' }), 'NOT_FOUND', 'genome', '"no-such-genome"');
    expectError(
      await api.gql(`mutation { setScores(input: [{ model: "ghost", benchmark: "ARC", value: 0.1 }]) { value } }`),
      'NOT_FOUND',
      '"ghost"',
    );
    expect(await api.store.dataRevision()).toBe(revision);
  });

  it('a list naming one model by id and by name names it twice', async () => {
    const answer = await api.gql(`query ($m: [ID!]) { distanceMatrix(genome: "math-owm", models: $m) { phylip } }`, {
      m: ['alpha', 'beta', id.alpha],
    });
    expectError(answer, 'BAD_USER_INPUT', 'more than once');
  });
});

describe('ids first, then names; name: always a name', () => {
  let one: string;
  let far: string;

  beforeAll(async () => {
    // "1" is alpha's id (the first model registered); a model may still be named "1"
    expect(id.alpha).toBe('1');
    one = (await register({ name: '1' })).id;
    far = (await register({ name: '424242' })).id;
    dataOf(
      await api.gql(IMPORT, { input: { model: one, genome: genome.id, completions: [{ gene: 0, text: 'one' }] } }),
    );
    dataOf(
      await api.gql(IMPORT, { input: { model: far, genome: genome.id, completions: [{ gene: 1, text: 'far' }] } }),
    );
  });

  const texts = async (m: string) =>
    dataOf(await api.gql(SAMPLES, { g: genome.name, m })).samples.nodes.map((n: { text: string }) => n.text);

  it('"1" is the model with id 1, "name:1" the model named "1"', async () => {
    expect(await texts('1')).toEqual(await texts('alpha'));
    expect(await texts('name:1')).toEqual(['one']);
  });

  it('a numeric name that is no id is found by name, with or without the prefix', async () => {
    expect(await texts('424242')).toEqual(['far']);
    expect(await texts('name:424242')).toEqual(['far']);
  });

  it('name: never falls back to ids, and an id is never read as a name', async () => {
    expectError(await api.gql(SAMPLES, { g: genome.name, m: `name:${id.beta}` }), 'NOT_FOUND', `named "${id.beta}"`);
    expectError(await api.gql(SAMPLES, { g: genome.name, m: 'name:' }), 'NOT_FOUND');
    expect(await texts(`name:beta`)).toEqual(await texts(id.beta));
  });

  it('a name that itself starts with name: is reached through the prefix', async () => {
    const odd = (await register({ name: 'name:odd' })).id;
    dataOf(
      await api.gql(IMPORT, { input: { model: odd, genome: genome.id, completions: [{ gene: 2, text: 'odd' }] } }),
    );
    expect(await texts('name:name:odd')).toEqual(['odd']);
    expectError(await api.gql(SAMPLES, { g: genome.name, m: 'name:odd' }), 'NOT_FOUND', 'no model named "odd"');
  });

  it('lists follow the same rule', async () => {
    const models = dataOf(
      await api.gql(
        `query ($m: [ID!]) { distanceMatrix(genome: "name:math-owm", models: $m) { models { id name } } }`,
        {
          m: ['1', 'name:1', '424242', 'gamma'],
        },
      ),
    ).distanceMatrix.models;
    expect(models).toEqual([
      { id: id.alpha, name: 'alpha' },
      { id: one, name: '1' },
      { id: far, name: '424242' },
      { id: id.gamma, name: 'gamma' },
    ]);
  });
});

describe('registerModel and createGenome with ifExists', () => {
  const settings = { provider: 'external', family: 'fam', temperature: 0.2 };

  it('RETURN answers the existing model when every setting is equal, writing nothing', async () => {
    const first = await register({ name: 'twin', ...settings });
    const revision = await api.store.dataRevision();
    // the defaults count as given: maxTokens 5 and topP 1 are the reference ones
    const again = await register({ name: 'twin', ...settings, topP: 1, maxTokens: 5, ifExists: 'RETURN' });
    expect(again).toEqual(first);
    expect(await api.store.dataRevision()).toBe(revision);
  });

  it('RETURN on a new name registers it', async () => {
    const created = await register({ name: 'fresh', ifExists: 'RETURN' });
    expect(dataOf(await api.gql(`{ model(name: "fresh") { id } }`)).model.id).toBe(created.id);
  });

  it('RETURN with different settings is CONFLICT naming each differing setting, and changes nothing', async () => {
    await register({ name: 'rival', ...settings });
    const revision = await api.store.dataRevision();
    const answer = await api.gql(REGISTER, {
      input: { name: 'rival', ...settings, family: 'other', temperature: 0.9, ifExists: 'RETURN' },
    });
    expectError(answer, 'CONFLICT', '"rival"', 'family', 'temperature');
    expect(answer.errors![0].message).not.toContain('topP');
    expect(await api.store.dataRevision()).toBe(revision);
    expect(dataOf(await api.gql(`{ model(name: "rival") { family temperature } }`)).model).toEqual({
      family: 'fam',
      temperature: 0.2,
    });
  });

  it('FAIL (the default) keeps refusing a duplicate name as BAD_USER_INPUT (contract)', async () => {
    await register({ name: 'once' });
    expectError(
      await api.gql(REGISTER, { input: { name: 'once', provider: 'external' } }),
      'BAD_USER_INPUT',
      'already exists',
    );
    expectError(
      await api.gql(REGISTER, { input: { name: 'once', provider: 'external', ifExists: 'FAIL' } }),
      'BAD_USER_INPUT',
      'already exists',
    );
  });

  it('concurrent RETURN registrations of one new name all answer the one model', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.gql(REGISTER, { input: { name: 'racer', provider: 'external', ifExists: 'RETURN' } }),
      ),
    );
    const ids = answers.map((a) => dataOf(a).registerModel.id);
    expect(new Set(ids).size).toBe(1);
  });

  it('createGenome RETURN answers the genome with the same genes; other genes are CONFLICT', async () => {
    const first = dataOf(await api.gql(CREATE_GENOME, { input: { name: 'gg', genes: ['a', 'b'] } })).createGenome;
    const again = dataOf(
      await api.gql(CREATE_GENOME, { input: { name: 'gg', genes: ['a', 'b'], ifExists: 'RETURN' } }),
    ).createGenome;
    expect(again).toEqual(first);
    const revision = await api.store.dataRevision();
    expectError(
      await api.gql(CREATE_GENOME, { input: { name: 'gg', genes: ['a', 'c'], ifExists: 'RETURN' } }),
      'CONFLICT',
      '"gg"',
      'genes',
    );
    expectError(
      await api.gql(CREATE_GENOME, { input: { name: 'gg', genes: ['a', 'b'] } }),
      'BAD_USER_INPUT',
      'already exists',
    );
    expect(await api.store.dataRevision()).toBe(revision);
  });
});

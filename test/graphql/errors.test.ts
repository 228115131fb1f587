/**
 * How failures reach a client, in process: each kind of error gets its `extensions.code` and a
 * message that says what to fix; bad input writes nothing; anything unexpected is masked as
 * INTERNAL_SERVER_ERROR (no SQL, paths or stack) and logged for the operator.
 */
import { PhyloInputError } from '../../src/core/errors';
import type { Store } from '../../src/db/store';
import { dataOf, startGraphQL, type GraphQLHarness } from '../helpers/graphql';

const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`;
const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`;

describe('client errors', () => {
  let api: GraphQLHarness;
  let genome: string;
  let model: string;

  beforeAll(async () => {
    api = await startGraphQL();
    genome = dataOf(await api.gql(`mutation { createGenome(input: { name: "g", genes: ["a", "b"] }) { id } }`))
      .createGenome.id;
    model = dataOf(await api.gql(REGISTER, { input: { name: 'm', provider: 'external' } })).registerModel.id;
  });
  afterAll(() => api.close());

  const cases: [string, () => [string, Record<string, unknown>?], string, string][] = [
    ['a syntax error', () => [`{ models { `], 'GRAPHQL_PARSE_FAILED', 'Syntax Error'],
    ['an unknown field', () => [`{ models { nodes { shoeSize } } }`], 'GRAPHQL_VALIDATION_FAILED', 'shoeSize'],
    [
      'a variable of the wrong type',
      () => [`query ($f: Int) { models(first: $f) { totalCount } }`, { f: 'many' }],
      'BAD_USER_INPUT',
      'Int',
    ],
    [
      'a query nested too deep',
      () => [`{ models { nodes { ${'scores { model { '.repeat(6)}name${' } }'.repeat(6)} } } }`],
      'GRAPHQL_VALIDATION_FAILED',
      'at most 12',
    ],
    ['a bad cursor', () => [`{ models(after: "bad") { totalCount } }`], 'BAD_USER_INPUT', 'cursor'],
    ['a page too large', () => [`{ models(first: 5000) { totalCount } }`], 'BAD_USER_INPUT', 'first'],
    ['both id and name', () => [`{ model(id: "1", name: "m") { id } }`], 'BAD_USER_INPUT', 'exactly one'],
    [
      'an unknown model id',
      () => [IMPORT, { input: { model: '999', genome, completions: [{ gene: 0, text: 'x' }] } }],
      'NOT_FOUND',
      'no model with id "999"',
    ],
    [
      'a genome id that is not one: an unknown name',
      () => [`{ distanceMatrix(genome: "abc") { fingerprint } }`],
      'NOT_FOUND',
      'no genome named "abc"',
    ],
    [
      'a gene index out of range',
      () => [
        IMPORT,
        {
          input: {
            model,
            genome,
            completions: [
              { gene: 0, text: 'ok' },
              { gene: 2, text: 'x' },
            ],
          },
        },
      ],
      'BAD_USER_INPUT',
      'gene index 2 is out of range',
    ],
    [
      'a duplicate model name',
      () => [REGISTER, { input: { name: 'm', provider: 'external' } }],
      'BAD_USER_INPUT',
      'a model named "m" already exists',
    ],
    [
      'an unknown provider',
      () => [REGISTER, { input: { name: 'z', provider: 'nope' } }],
      'BAD_USER_INPUT',
      'unknown provider "nope"',
    ],
    [
      'an empty genome',
      () => [`mutation { createGenome(input: { name: "e", genes: [] }) { id } }`],
      'BAD_USER_INPUT',
      'at least one gene',
    ],
    [
      'a tree over fewer than 3 models',
      () => [`query ($g: ID!, $m: [ID!]) { tree(genome: $g, models: $m) { newick } }`, { g: genome, m: [model] }],
      'BAD_USER_INPUT',
      'at least 3 models',
    ],
    [
      'a tree on a genome without samples',
      () => [`query ($g: ID!) { tree(genome: $g) { newick } }`, { g: genome }],
      'BAD_USER_INPUT',
      'no model has samples on genome "g"',
    ],
    [
      'an unknown predictor',
      () => [
        `query ($g: ID!, $m: ID!) { prediction(model: $m, genome: $g, benchmark: "X", method: "oracle") { value } }`,
        { g: genome, m: model },
      ],
      'BAD_USER_INPUT',
      'unknown method "oracle"',
    ],
    ['an unknown job', () => [`mutation { cancelJob(id: "77") { id } }`], 'NOT_FOUND', 'no job with id "77"'],
  ];

  it.each(cases)('%s', async (_name, request, code, fragment) => {
    const revision = await api.store.dataRevision();
    const [query, variables] = request();
    const answer = await api.gql(query, variables);
    expect(answer.errors?.[0].extensions?.code).toBe(code);
    expect(answer.errors?.[0].message).toContain(fragment);
    expect(await api.store.dataRevision()).toBe(revision);
    expect(api.internalErrors).toEqual([]);
  });
});

describe('errors from below the services', () => {
  /** A store whose `listGenomes` throws `error`; every other method is the real one. */
  const failingListGenomes = (error: Error) => (store: Store) =>
    new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'listGenomes') return () => Promise.reject(error);
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

  it('an unexpected error is masked as INTERNAL_SERVER_ERROR and logged', async () => {
    const secret = new Error('SQLITE_IOERR: disk I/O error reading /var/lib/phylolm/phylolm.db');
    const api = await startGraphQL({ wrapStore: failingListGenomes(secret) });
    try {
      const answer = await api.gql(`{ genomes { name } }`);
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]).toMatchObject({
        message: 'internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(JSON.stringify(answer)).not.toMatch(/SQLITE|phylolm\.db|at .*\.ts/);
      expect(api.internalErrors).toEqual([secret]);
      // the server still answers what does not touch the failure
      expect(dataOf(await api.gql(`{ models { totalCount } }`)).models.totalCount).toBe(0);
    } finally {
      await api.close();
    }
  });

  it("a core input error is the client's to fix: BAD_USER_INPUT with its message", async () => {
    const api = await startGraphQL({ wrapStore: failingListGenomes(new PhyloInputError('tree has no leaves')) });
    try {
      const answer = await api.gql(`{ genomes { name } }`);
      expect(answer.errors?.[0]).toMatchObject({
        message: 'tree has no leaves',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(api.internalErrors).toEqual([]);
    } finally {
      await api.close();
    }
  });
});

describe('the admin token', () => {
  let api: GraphQLHarness;
  beforeAll(async () => {
    api = await startGraphQL({ adminToken: 's3cret-token' });
  });
  afterAll(() => api.close());

  it('mutations without the bearer token are UNAUTHENTICATED and write nothing; queries stay open', async () => {
    const input = { name: 'x', provider: 'external' };
    for (const authorization of [undefined, 'Bearer nope', 's3cret-token']) {
      const answer = await api.gql(REGISTER, { input }, authorization);
      expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(dataOf(await api.gql(`{ models { totalCount } }`)).models.totalCount).toBe(0);
    expect(dataOf(await api.gql(REGISTER, { input }, 'Bearer s3cret-token')).registerModel.id).toMatch(/^\d+$/);
    expect(dataOf(await api.gql(`{ models { totalCount } }`)).models.totalCount).toBe(1);
  });
});

/**
 * Friendly to services (issue 9), over real HTTP and a real graphql-ws client: model and genome
 * arguments take names (`prediction(model: "gpt-4o-mini", genome: "math-owm-128")`), also in the
 * gate's cost model; `registerModel`/`createGenome` with `ifExists: RETURN`, and CONFLICT; a
 * pasted multi-operation document run by `operationName`, through the response cache too.
 */
import type { Client } from 'graphql-ws';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/validation/limits';
import { dataOf, startTestApp, type GraphQLAnswer, type TestApp } from '../helpers/app';
import { wsClient } from '../helpers/ws';

jest.setTimeout(120_000);

const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id name temperature } }`;
const CREATE_GENOME = `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id name } }`;
const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`;
const GENES = ['The cat', 'Once upon', '1 + 1 =', 'Hello', 'Roses are'];
const NAMES = ['gpt-4o-mini', 'claude-3-haiku', 'llama-3-8b', 'qwen-2-7b', 'mistral-7b'];

let app: TestApp;
const ids: Record<string, string> = {};
let genomeId: string;

/** A pasted document with three operations; a client picks one with `operationName`. */
const DOCUMENT = `
query Names { models { nodes { name } } }
query Matrix($g: ID!) { distanceMatrix(genome: $g) { models { name } } }
mutation Add($name: String!) { registerModel(input: { name: $name, provider: "external" }) { name } }
`;

async function post(body: Record<string, unknown>): Promise<{ status: number; cache: string | null; json: any }> {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, cache: response.headers.get('x-phylolm-cache'), json: await response.json() };
}

async function get(params: Record<string, string>): Promise<{ status: number; cache: string | null; json: any }> {
  const response = await fetch(`${app.url}?${new URLSearchParams(params)}`, {
    headers: { 'apollo-require-preflight': 'true' },
  });
  return { status: response.status, cache: response.headers.get('x-phylolm-cache'), json: await response.json() };
}

function wsRun(
  client: Client,
  payload: { query: string; operationName?: string; variables?: Record<string, unknown> },
) {
  return new Promise<GraphQLAnswer<any>>((resolve, reject) => {
    let last: GraphQLAnswer<any> = { status: 0 };
    client.subscribe(payload, {
      next: (value) => (last = { status: 0, data: value.data, errors: value.errors as GraphQLAnswer<any>['errors'] }),
      error: (error) => (Array.isArray(error) ? resolve({ status: 0, errors: error }) : reject(error)),
      complete: () => resolve(last),
    });
  });
}

beforeAll(async () => {
  app = await startTestApp();
  genomeId = dataOf(await app.gql(CREATE_GENOME, { input: { name: 'math-owm-128', genes: GENES } })).createGenome.id;
  for (const [m, name] of NAMES.entries()) {
    ids[name] = dataOf(
      await app.gql(REGISTER, { input: { name, provider: 'external', family: name.split('-')[0] } }),
    ).registerModel.id;
    const completions = GENES.flatMap((_, gene) =>
      [0, 1, 2].map((i) => ({ gene, text: `${['a', 'b', 'c'][(gene * i + m) % 3]}${(m + i) % 2}` })),
    );
    dataOf(await app.gql(IMPORT, { input: { model: ids[name], genome: genomeId, completions } }));
    dataOf(
      await app.gql(
        `mutation ($m: ID!, $v: Float!) { setScores(input: [{ model: $m, benchmark: "ARC", value: $v }]) { value } }`,
        {
          m: ids[name],
          v: 0.4 + m / 10,
        },
      ),
    );
  }
});

afterAll(() => app.stopAndClean());

describe('names in place of ids', () => {
  it('prediction(model: "gpt-4o-mini", genome: "math-owm-128") answers what the ids answer', async () => {
    const query = `query ($m: ID!, $g: ID!) { prediction(model: $m, genome: $g, benchmark: "ARC") { value low high } }`;
    const byName = dataOf(await app.gql(query, { m: 'gpt-4o-mini', g: 'math-owm-128' }));
    expect(byName).toEqual(dataOf(await app.gql(query, { m: ids['gpt-4o-mini'], g: genomeId })));
  });

  it('distanceMatrix and tree take a genome name and model names', async () => {
    const names = ['llama-3-8b', 'gpt-4o-mini', 'qwen-2-7b'];
    const matrix = dataOf(
      await app.gql(
        `{ distanceMatrix(genome: "math-owm-128", models: ${JSON.stringify(names)}) { models { name } phylip } }`,
      ),
    ).distanceMatrix;
    expect(matrix.models.map((m: { name: string }) => m.name)).toEqual(names);
    const tree = dataOf(
      await app.gql(`query ($m: [ID!]) { tree(genome: "math-owm-128", models: $m) { newick } }`, { m: names }),
    ).tree;
    expect(tree).toEqual(
      dataOf(
        await app.gql(`query ($m: [ID!], $g: ID!) { tree(genome: $g, models: $m) { newick } }`, {
          g: genomeId,
          m: names.map((n) => ids[n]),
        }),
      ).tree,
    );
  });

  it('the gate prices a genome named by name exactly as by id', async () => {
    const tight = await startTestApp({ queryLimits: { ...DEFAULT_QUERY_LIMITS, maxCost: 50 } });
    try {
      // set up through the services: under this limit even a registration is over budget
      const { services } = tight;
      const big = await services.genomes.create({ name: 'big', genes: GENES });
      for (const name of NAMES) {
        const model = await services.models.register({ name, provider: 'external' });
        await services.samples.append(
          model,
          big,
          GENES.map((t, gene) => ({ gene, text: `${t} ${name}` })),
          'IMPORTED',
        );
      }
      const g = String(big.id);
      const query = `query ($g: ID!) { tree(genome: $g, bootstrap: 1000) { newick } }`;
      const byId = await tight.gql(query, { g });
      const byName = await tight.gql(query, { g: 'big' });
      expect(byId.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
      expect(byName.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
      expect((byName.errors![0].extensions as { cost: number }).cost).toBe(
        (byId.errors![0].extensions as { cost: number }).cost,
      );
    } finally {
      await tight.stopAndClean();
    }
  });
});

describe('registerModel(ifExists: RETURN) and CONFLICT', () => {
  it('a service registering at every start gets its model back, then CONFLICT once its settings drift', async () => {
    const input = { name: 'svc-model', provider: 'external', temperature: 0.3, ifExists: 'RETURN' };
    const first = dataOf(await app.gql(REGISTER, { input })).registerModel;
    const revision = await app.services.store.dataRevision();
    expect(dataOf(await app.gql(REGISTER, { input })).registerModel).toEqual(first);
    expect(await app.services.store.dataRevision()).toBe(revision);

    const drifted = await app.gql(REGISTER, { input: { ...input, temperature: 0.5 } });
    expect(drifted.status).toBe(200);
    expect(drifted.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(drifted.errors?.[0].message).toContain('temperature');
    expect(await app.services.store.dataRevision()).toBe(revision);

    const plain = await app.gql(REGISTER, { input: { name: 'svc-model', provider: 'external' } });
    expect(plain.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('createGenome(ifExists: RETURN) answers the genome with the same genes', async () => {
    const again = await app.gql(CREATE_GENOME, { input: { name: 'math-owm-128', genes: GENES, ifExists: 'RETURN' } });
    expect(dataOf(again).createGenome).toEqual({ id: genomeId, name: 'math-owm-128' });
    const other = await app.gql(CREATE_GENOME, { input: { name: 'math-owm-128', genes: ['x'], ifExists: 'RETURN' } });
    expect(other.errors?.[0].extensions?.code).toBe('CONFLICT');
  });
});

describe('a pasted multi-operation document with operationName', () => {
  const names = (json: any) => json.data.models.nodes.map((n: { name: string }) => n.name);

  it('runs the operation it names, over POST and GET, through the response cache', async () => {
    const first = await post({ query: DOCUMENT, operationName: 'Names' });
    expect(first.status).toBe(200);
    expect(names(first.json)).toEqual(expect.arrayContaining(NAMES));
    const matrix = await post({ query: DOCUMENT, operationName: 'Matrix', variables: { g: genomeId } });
    expect(matrix.json).toEqual({ data: { distanceMatrix: { models: NAMES.map((name) => ({ name })) } } });

    // the same document again: each operation replays its own answer from the cache
    const again = await post({ query: DOCUMENT, operationName: 'Names' });
    expect(again.cache).toBe('hit');
    expect(again.json).toEqual(first.json);
    const matrixAgain = await post({ query: DOCUMENT, operationName: 'Matrix', variables: { g: genomeId } });
    expect(matrixAgain.cache).toBe('hit');
    expect(matrixAgain.json).toEqual(matrix.json);

    const viaGet = await get({ query: DOCUMENT, operationName: 'Matrix', variables: JSON.stringify({ g: genomeId }) });
    expect(viaGet.status).toBe(200);
    expect(viaGet.json).toEqual(matrix.json);

    // the mutation in the same document runs when named, and the cached Names answer moves on
    const added = await post({ query: DOCUMENT, operationName: 'Add', variables: { name: 'pasted' } });
    expect(added.json).toEqual({ data: { registerModel: { name: 'pasted' } } });
    const after = await post({ query: DOCUMENT, operationName: 'Names' });
    expect(after.cache).toBeNull();
    expect(names(after.json)).toContain('pasted');
  });

  it('a missing or unknown operationName is a client error with a code, not a crash', async () => {
    for (const body of [{ query: DOCUMENT }, { query: DOCUMENT, operationName: 'Nope' }]) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.json.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(typeof answer.json.errors[0].extensions.code).toBe('string');
      expect(answer.json.data).toBeUndefined();
    }
  });

  it('works over graphql-ws too', async () => {
    const client = wsClient(app.url);
    try {
      const matrix = await wsRun(client, { query: DOCUMENT, operationName: 'Matrix', variables: { g: genomeId } });
      expect(matrix.errors).toBeUndefined();
      expect(matrix.data).toEqual({ distanceMatrix: { models: NAMES.map((name) => ({ name })) } });
      const listed = await wsRun(client, { query: DOCUMENT, operationName: 'Names' });
      expect(listed.data.models.nodes.map((n: { name: string }) => n.name)).toEqual(expect.arrayContaining(NAMES));
      const unnamed = await wsRun(client, { query: DOCUMENT });
      expect(unnamed.errors?.[0].extensions?.code).toBeDefined();
      expect(unnamed.errors?.[0].extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await client.dispose();
    }
  });
});

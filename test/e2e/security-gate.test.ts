/**
 * The gate every operation passes, on both transports (issue 7, findings 1-3): the admin token on
 * graphql-ws, the same validation rules and cost model on HTTP and WebSocket, the WebSocket
 * message limit, and QUERY_TOO_COSTLY before any resolver runs. Real HTTP server, real
 * graphql-ws client, real OpenAI SDK against the local fake.
 */
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/validation/limits';
import { dataOf, startTestApp, type GraphQLAnswer, type TestApp } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import { wsClient } from '../helpers/ws';

jest.setTimeout(180_000);

const TOKEN = 'gate-s3cret';
const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id name } }`;
const CREATE_GENOME = `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`;
const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`;
const DEEP = `{ models { nodes { ${'scores { model { '.repeat(6)}name${' } }'.repeat(6)} } } }`;
const GENES = Array.from({ length: 128 }, (_, i) => `gene ${i}:`);

let app: TestApp;
let genome: string;
const bearer = { authorization: `Bearer ${TOKEN}` };

/** One operation over WebSocket: its result, its errors, or (rejected) the close event. */
function wsRun<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>> {
  return new Promise((resolve, reject) => {
    let last: GraphQLAnswer<T> = { status: 0 };
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) =>
          (last = { status: 0, data: value.data as T, errors: value.errors as GraphQLAnswer<T>['errors'] }),
        error: (error) => (Array.isArray(error) ? resolve({ status: 0, errors: error }) : reject(error)),
        complete: () => resolve(last),
      },
    );
  });
}

async function register(name: string): Promise<string> {
  return dataOf(await app.gql(REGISTER, { input: { name, provider: 'external' } }, bearer)).registerModel.id;
}

beforeAll(async () => {
  app = await startTestApp({ adminToken: TOKEN });
  genome = dataOf(await app.gql(CREATE_GENOME, { input: { name: 'g128', genes: GENES } }, bearer)).createGenome.id;
  // 25 models with one sample on every gene: a realistic matrix of 25 x 128
  for (let m = 0; m < 25; m++) {
    const model = await register(`m${m}`);
    const completions = GENES.map((_, gene) => ({ gene, text: ` ${(gene * (m + 3)) % 7}${m % 4}` }));
    dataOf(await app.gql(IMPORT, { input: { model, genome, completions } }, bearer));
  }
});
afterAll(() => app.stopAndClean());

describe('finding 1: mutations over graphql-ws need the admin token', () => {
  it('without a token the connection opens, queries run, and a mutation is UNAUTHENTICATED and writes nothing', async () => {
    const client = wsClient(app.url);
    try {
      const before = await app.services.store.dataRevision();
      const query = await wsRun(client, `{ models { totalCount } }`);
      expect(query.data).toEqual({ models: { totalCount: 25 } });
      for (const mutation of [
        [REGISTER, { input: { name: 'intruder', provider: 'external' } }],
        [CREATE_GENOME, { input: { name: 'intruder', genes: ['a'] } }],
        [`mutation { deleteModel(id: "1") { id } }`, undefined],
      ] as const) {
        const answer = await wsRun(client, mutation[0], mutation[1]);
        expect(answer.data ?? null).toBeNull();
        expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      }
      expect(await app.services.store.dataRevision()).toBe(before);
      expect(dataOf(await app.gql(`{ model(name: "intruder") { id } }`)).model).toBeNull();
    } finally {
      await client.dispose();
    }
  });

  it('a wrong token refuses the connection (4403), so nothing at all runs', async () => {
    for (const params of [{ authorization: 'Bearer nope' }, { token: 'nope' }]) {
      const client = wsClient(app.url, params);
      try {
        await expect(wsRun(client, `{ models { totalCount } }`)).rejects.toMatchObject({ code: 4403 });
      } finally {
        await client.dispose();
      }
    }
  });

  it('the token in connectionParams (authorization or token) or the upgrade header allows mutations', async () => {
    class WithHeader extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: bearer });
      }
    }
    const clients = [
      wsClient(app.url, { authorization: `Bearer ${TOKEN}` }),
      wsClient(app.url, { token: TOKEN }),
      wsClient(app.url, undefined, WithHeader as unknown as typeof WebSocket),
    ];
    try {
      for (const [i, client] of clients.entries()) {
        const answer = await wsRun(client, REGISTER, { input: { name: `ws-admin-${i}`, provider: 'external' } });
        expect(answer.errors).toBeUndefined();
        expect(answer.data.registerModel.name).toBe(`ws-admin-${i}`);
        dataOf(
          await app.gql(
            `mutation ($id: ID!) { deleteModel(id: $id) { id } }`,
            { id: answer.data.registerModel.id },
            bearer,
          ),
        );
      }
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
});

describe('finding 2: the same validation on both transports, and a WebSocket message limit', () => {
  it('the deep models -> scores -> model ... query is refused over WebSocket with the code HTTP gives', async () => {
    const http = await app.gql(DEEP);
    expect(http.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const client = wsClient(app.url);
    try {
      const ws = await wsRun(client, DEEP);
      expect(ws.data ?? null).toBeNull();
      expect(ws.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(ws.errors?.[0].message).toBe(http.errors?.[0].message);
    } finally {
      await client.dispose();
    }
  });

  it('too many aliases is refused on both transports', async () => {
    const query = `{ ${Array.from({ length: 150 }, (_, i) => `a${i}: defaultPredictor`).join(' ')} }`;
    const http = await app.gql(query);
    expect(http.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(http.errors?.[0].message).toContain('Aliases limit');
    const client = wsClient(app.url);
    try {
      const ws = await wsRun(client, query);
      expect(ws.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(ws.errors?.[0].message).toBe(http.errors?.[0].message);
    } finally {
      await client.dispose();
    }
  });

  it('a WebSocket message over PHYLOLM_MAX_BODY_BYTES closes the socket (1009) and runs nothing', async () => {
    const small = await startTestApp({ maxBodyBytes: 10_000 });
    const client = wsClient(small.url);
    try {
      const genes = ['x'.repeat(20_000)];
      await expect(wsRun(client, CREATE_GENOME, { input: { name: 'huge', genes } })).rejects.toMatchObject({
        code: 1009,
      });
      expect(dataOf(await small.gql(`{ genomes { name } }`)).genomes).toEqual([]);
    } finally {
      await client.dispose();
      await small.stopAndClean();
    }
  });
});

describe('finding 3: small queries that would block for minutes get QUERY_TOO_COSTLY at once', () => {
  const code = (answer: GraphQLAnswer<unknown>) => answer.errors?.[0].extensions?.code;

  it('the 898-byte fragment-spread bomb answers an error code on both transports', async () => {
    const levels = 23;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i < levels - 1
        ? `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`
        : `fragment F${i} on Query { genomes { name } }`,
    );
    const query = `query { ...F0 } ${fragments.join(' ')}`;
    const started = Date.now();
    const http = await app.gql(query);
    console.log(`fragment bomb (${query.length} bytes) over HTTP answered in ${Date.now() - started} ms`);
    expect(code(http)).toBe('QUERY_TOO_COSTLY');
    const client = wsClient(app.url);
    try {
      expect(code(await wsRun(client, query))).toBe('QUERY_TOO_COSTLY');
    } finally {
      await client.dispose();
    }
  });

  it('tree(bootstrap: 3200) on 25 models is refused with the figures, before any work', async () => {
    const answer = await app.gql(`query ($g: ID!) { tree(genome: $g, bootstrap: 3200) { newick } }`, { g: genome });
    expect(code(answer)).toBe('QUERY_TOO_COSTLY');
    expect(answer.status).toBe(400);
    const error = answer.errors![0] as { message: string; extensions: Record<string, any> };
    expect(error.message).toContain('Query.tree');
    expect(error.extensions.cost).toBeGreaterThan(error.extensions.limit);
    expect(error.extensions.contributors[0]).toMatchObject({ field: 'Query.tree' });
    // nothing was computed: no tree is in the computation cache
    expect(await app.services.store.computationIndex(Number(genome), 'tree/v1')).toEqual([]);
  });

  it('20 aliased bootstraps, each allowed alone, are refused together', async () => {
    // 1 sample per gene: the evidence threshold is turned off
    const alone = await app.gql(
      `query ($g: ID!) { tree(genome: $g, bootstrap: 200, minSamplesPerGene: 0) { bootstrap } }`,
      {
        g: genome,
      },
    );
    expect(dataOf(alone).tree.bootstrap).toBe(200);
    const aliased = Array.from(
      { length: 20 },
      (_, i) => `t${i}: tree(genome: $g, bootstrap: ${201 + i}, minSamplesPerGene: 0) { bootstrap }`,
    );
    const answer = await app.gql(`query ($g: ID!) { ${aliased.join(' ')} }`, { g: genome });
    expect(code(answer)).toBe('QUERY_TOO_COSTLY');
  });

  it('4 models on a 100,000-gene genome with bootstrap 100 is refused (genes count)', async () => {
    const genes = Array.from({ length: 100_000 }, (_, i) => `g${i}`);
    const big = dataOf(await app.gql(CREATE_GENOME, { input: { name: 'big', genes } }, bearer)).createGenome.id;
    const ids: string[] = [];
    for (let m = 0; m < 4; m++) {
      const model = await register(`big-${m}`);
      ids.push(model);
      dataOf(await app.gql(IMPORT, { input: { model, genome: big, completions: [{ gene: m, text: 'x' }] } }, bearer));
    }
    const answer = await app.gql(`query ($g: ID!) { tree(genome: $g, bootstrap: 100) { newick } }`, { g: big });
    expect(code(answer)).toBe('QUERY_TOO_COSTLY');
    expect(answer.errors?.[0].message).toContain('100000 genes');
  });

  it('the budget is PHYLOLM_MAX_QUERY_COST: a small one refuses a page of models on both transports', async () => {
    const tight = await startTestApp({ queryLimits: { ...DEFAULT_QUERY_LIMITS, maxCost: 50 } });
    const client = wsClient(tight.url);
    try {
      expect(dataOf(await tight.gql(`{ models(first: 10) { nodes { id } } }`)).models.nodes).toEqual([]);
      const query = `{ models(first: 1000) { nodes { id name } } }`;
      const http = await tight.gql(query);
      expect(code(http)).toBe('QUERY_TOO_COSTLY');
      expect((http.errors![0] as { extensions: Record<string, unknown> }).extensions.limit).toBe(50);
      expect(code(await wsRun(client, query))).toBe('QUERY_TOO_COSTLY');
    } finally {
      await client.dispose();
      await tight.stopAndClean();
    }
  });

  describe('provider listings (each calls a provider API with the server key)', () => {
    let fake: FakeServer;
    let withProvider: TestApp;
    beforeAll(async () => {
      fake = await startFakeOpenAI({});
      // without a `models` list, the endpoint's models are asked from GET /v1/models each time
      withProvider = await startTestApp({
        providers: { openaiCompatible: { endpoints: [{ name: 'local', baseURL: fake.baseURL }] } },
      });
    });
    afterAll(async () => {
      await withProvider.stopAndClean();
      await fake.close();
    });
    const listings = () => fake.requests.filter((r) => r.path.startsWith('/v1/models')).length;

    it('one listing is allowed; 10 and 501 aliases of providers { models } are refused with no call made', async () => {
      dataOf(await withProvider.gql(`{ providers { id models { id } } }`));
      const before = listings();
      expect(before).toBeGreaterThan(0);
      for (const n of [10, 501]) {
        const query = `{ ${Array.from({ length: n }, (_, i) => `p${i}: providers { models { id } }`).join(' ')} }`;
        const answer = await withProvider.gql(query);
        expect(['QUERY_TOO_COSTLY', 'GRAPHQL_VALIDATION_FAILED']).toContain(code(answer));
        if (n === 10) expect(code(answer)).toBe('QUERY_TOO_COSTLY');
      }
      expect(listings()).toBe(before);
    });
  });
});

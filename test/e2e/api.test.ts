/**
 * The API as a client sees it over real HTTP: registration, pagination, bad input (clear error,
 * nothing written), the admin token, health, body limits, caching and invalidation, restarts.
 */
import { dataOf, postGraphQL, startTestApp, type TestApp } from '../helpers/app';

const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id name provider mode temperature topP maxTokens } }`;
const CREATE_GENOME = `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id name geneCount fingerprint } }`;
const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted rejected sampleCount } }`;
// hand-made populations of 1 sample per gene: the evidence thresholds are turned off
const MATRIX = `query ($genome: ID!, $models: [ID!]) { distanceMatrix(genome: $genome, models: $models, minSamplesPerGene: 0, minGeneCoverage: 0) { fingerprint models { name } similarity distance phylip } }`;

let app: TestApp;
let genome: string;
const model: Record<string, string> = {};

async function register(name: string, extra: Record<string, unknown> = {}) {
  const answer = await app.gql(REGISTER, { input: { name, provider: 'external', ...extra } });
  return dataOf(answer).registerModel as { id: string; name: string };
}

async function importTexts(modelId: string, texts: string[][]) {
  const completions = texts.flatMap((samples, gene) => samples.map((text) => ({ gene, text })));
  return dataOf(await app.gql(IMPORT, { input: { model: modelId, genome, completions } })).importCompletions;
}

beforeAll(async () => {
  app = await startTestApp();
  genome = dataOf(await app.gql(CREATE_GENOME, { input: { name: 'g', genes: ['The cat', 'Once upon', '1 + 1 ='] } }))
    .createGenome.id;
  for (const name of ['a', 'b', 'c', 'd']) model[name] = (await register(name)).id;
  await importTexts(model.a, [
    ['  sat on', 'sat on'],
    ['a time', 'a time'],
    [' 2', '2'],
  ]);
  await importTexts(model.b, [
    ['sat on', 'is'],
    ['a time', 'there'],
    ['2', '2'],
  ]);
  await importTexts(model.c, [
    ['is', 'is'],
    ['there', 'there'],
    ['3', '3'],
  ]);
  await importTexts(model.d, [
    ['ran', 'is'],
    ['there', 'a ti'],
    ['3', '2'],
  ]);
});

afterAll(() => app.stopAndClean());

describe('models', () => {
  it('registerModel fills the reference sampling settings', async () => {
    const m = await register('defaults', { provider: 'external' });
    expect(m).toMatchObject({ provider: 'external', mode: 'CHAT', temperature: 0.7, topP: 1, maxTokens: 5 });
  });

  it('models() pages with cursors and counts the filtered total', async () => {
    const first = dataOf(
      await app.gql(
        `{ models(first: 2) { totalCount nodes { name } edges { cursor } pageInfo { hasNextPage endCursor } } }`,
      ),
    ).models;
    expect(first.nodes.map((n: { name: string }) => n.name)).toEqual(['a', 'b']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges[1].cursor).toBe(first.pageInfo.endCursor);
    const rest = dataOf(
      await app.gql(
        `query ($after: String) { models(first: 100, after: $after) { nodes { name } pageInfo { hasNextPage } } }`,
        {
          after: first.pageInfo.endCursor,
        },
      ),
    ).models;
    expect(rest.nodes[0].name).toBe('c');
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const filtered = dataOf(
      await app.gql(
        `query ($g: ID) { models(filter: { genome: $g, nameContains: "A" }) { totalCount nodes { name } } }`,
        {
          g: genome,
        },
      ),
    ).models;
    expect(filtered).toEqual({ totalCount: 1, nodes: [{ name: 'a' }] });
  });

  it('model() finds by id or by name', async () => {
    const byName = dataOf(await app.gql(`{ model(name: "b") { id name } }`)).model;
    expect(byName).toEqual({ id: model.b, name: 'b' });
    expect(dataOf(await app.gql(`query ($id: ID) { model(id: $id) { name } }`, { id: model.c })).model.name).toBe('c');
    expect(dataOf(await app.gql(`{ model(name: "nope") { id } }`)).model).toBeNull();
  });
});

describe('genomes', () => {
  it('the same genes give the same fingerprint, other genes another', async () => {
    const same = dataOf(
      await app.gql(CREATE_GENOME, { input: { name: 'g-copy', genes: ['The cat', 'Once upon', '1 + 1 ='] } }),
    ).createGenome;
    const other = dataOf(
      await app.gql(CREATE_GENOME, { input: { name: 'g-other', genes: ['The cat', 'Once upon'] } }),
    ).createGenome;
    const original = dataOf(
      await app.gql(`query ($id: ID) { genome(id: $id) { fingerprint } }`, { id: genome }),
    ).genome;
    expect(same.fingerprint).toBe(original.fingerprint);
    expect(other.fingerprint).not.toBe(original.fingerprint);
  });

  it('genes() pages in order', async () => {
    const page = dataOf(
      await app.gql(
        `query ($id: ID) { genome(id: $id) { geneCount genes(first: 2) { totalCount nodes { index text } pageInfo { hasNextPage endCursor } } } }`,
        {
          id: genome,
        },
      ),
    ).genome;
    expect(page.genes.nodes).toEqual([
      { index: 0, text: 'The cat' },
      { index: 1, text: 'Once upon' },
    ]);
    expect(page.genes.pageInfo.hasNextPage).toBe(true);
  });
});

describe('samples', () => {
  it('keeps the full text and shows the allele by the reference rule', async () => {
    const page = dataOf(
      await app.gql(
        `query ($m: ID!, $g: ID!) { samples(model: $m, genome: $g, gene: 0) { nodes { text allele source sampleIndex } } }`,
        {
          m: model.a,
          g: genome,
        },
      ),
    ).samples;
    expect(page.nodes).toEqual([
      { text: '  sat on', allele: 'sat ', source: 'IMPORTED', sampleIndex: 0 },
      { text: 'sat on', allele: 'sat ', source: 'IMPORTED', sampleIndex: 1 },
    ]);
  });

  it('re-importing samples with explicit indices is idempotent', async () => {
    const m = await register('idem');
    const completions = [
      { gene: 0, sample: 0, text: 'x' },
      { gene: 0, sample: 1, text: 'y' },
    ];
    const first = dataOf(await app.gql(IMPORT, { input: { model: m.id, genome, completions } })).importCompletions;
    const again = dataOf(await app.gql(IMPORT, { input: { model: m.id, genome, completions } })).importCompletions;
    expect(first).toEqual({ accepted: 2, rejected: 0, sampleCount: 2 });
    expect(again).toEqual({ accepted: 0, rejected: 2, sampleCount: 2 });
  });
});

describe('distanceMatrix and tree', () => {
  it('is symmetric with a zero diagonal and a PHYLIP text of the same numbers', async () => {
    const m = dataOf(await app.gql(MATRIX, { genome, models: [model.a, model.b, model.c, model.d] })).distanceMatrix;
    for (let i = 0; i < 4; i++) {
      expect(m.distance[i][i]).toBe(0);
      for (let j = 0; j < 4; j++) expect(m.distance[i][j]).toBe(m.distance[j][i]);
    }
    const lines = m.phylip.trim().split('\n');
    expect(lines[0].trim()).toBe('4');
    expect(Number(lines[1].trim().split(/\s+/)[2])).toBeCloseTo(m.distance[0][1], 5);
  });

  it('a new sample changes exactly the matrices that include its model', async () => {
    const abc = [model.a, model.b, model.c];
    const bcd = [model.b, model.c, model.d];
    const before = {
      abc: dataOf(await app.gql(MATRIX, { genome, models: abc })).distanceMatrix,
      bcd: dataOf(await app.gql(MATRIX, { genome, models: bcd })).distanceMatrix,
    };
    await importTexts(model.a, [['is'], [], []]);
    const after = {
      abc: dataOf(await app.gql(MATRIX, { genome, models: abc })).distanceMatrix,
      bcd: dataOf(await app.gql(MATRIX, { genome, models: bcd })).distanceMatrix,
    };
    expect(after.abc.fingerprint).not.toBe(before.abc.fingerprint);
    expect(after.abc.similarity[0][1]).not.toBe(before.abc.similarity[0][1]);
    expect(after.abc.similarity[1][2]).toBe(before.abc.similarity[1][2]);
    expect(after.bcd).toEqual(before.bcd);
  });

  it('tree answers NJ (unrooted) and UPGMA (rooted) with a node per model', async () => {
    const q = `query ($g: ID!, $method: TreeMethod) { tree(genome: $g, method: $method, minSamplesPerGene: 0, minGeneCoverage: 0) { method rooted newick nodes { id parent branchLength model { name } } } }`;
    const nj = dataOf(await app.gql(q, { g: genome })).tree;
    const up = dataOf(await app.gql(q, { g: genome, method: 'UPGMA' })).tree;
    expect([nj.method, nj.rooted, up.method, up.rooted]).toEqual(['NJ', false, 'UPGMA', true]);
    for (const t of [nj, up]) {
      const names = t.nodes
        .filter((n: { model: unknown }) => n.model)
        .map((n: { model: { name: string } }) => n.model.name);
      expect(names.sort()).toEqual(['a', 'b', 'c', 'd', 'idem'].sort());
      expect(t.nodes.filter((n: { parent: string | null }) => n.parent === null)).toHaveLength(1);
    }
  });
  it('tree(root: MIDPOINT | OUTGROUP) draws a labelled root: two sides, the outgroup alone on one', async () => {
    const q = `query ($g: ID!, $m: [ID!], $root: TreeRoot, $out: ID) { tree(genome: $g, models: $m, root: $root, outgroup: $out) { rooted rootedBy nodes { id parent model { name } } } }`;
    const four = [model.a, model.b, model.c, model.d];
    const plain = dataOf(await app.gql(q, { g: genome, m: four })).tree;
    expect([plain.rooted, plain.rootedBy]).toEqual([false, null]);
    const mid = dataOf(await app.gql(q, { g: genome, m: four, root: 'MIDPOINT' })).tree;
    expect([mid.rooted, mid.rootedBy]).toEqual([true, 'midpoint']);
    const rootOf = (t: { nodes: { id: string; parent: string | null }[] }) =>
      t.nodes.find((n) => n.parent === null)!.id;
    expect(mid.nodes.filter((n: { parent: string | null }) => n.parent === rootOf(mid))).toHaveLength(2);
    const out = dataOf(await app.gql(q, { g: genome, m: four, root: 'OUTGROUP', out: model.c })).tree;
    expect(out.rootedBy).toBe('outgroup');
    const rootChildren = out.nodes.filter((n: { parent: string | null }) => n.parent === rootOf(out));
    expect(rootChildren.map((n: { model: { name: string } | null }) => n.model?.name ?? null)).toContain('c');
  });

  it('adding one model to a cached matrix of M computes M new pairs, not the whole matrix', async () => {
    const genomeRow = (await app.services.store.getGenome(Number(genome)))!;
    const four = await app.services.models.getMany([model.a, model.b, model.c, model.d]);
    await app.services.distances.similarity(genomeRow, four);
    const extra = await register('extra-for-row');
    await importTexts(extra.id, [['sat on', 'is'], ['there'], ['2']]);
    const five = [...four, ...(await app.services.models.getMany([extra.id]))];
    expect((await app.services.distances.similarity(genomeRow, five)).computedPairs).toBe(4);
    expect((await app.services.distances.similarity(genomeRow, five)).computedPairs).toBe(0);
  });
});

describe('bad input answers a clear error and writes nothing', () => {
  const cases: [string, () => [string, Record<string, unknown>], string, string][] = [
    [
      'an unknown model id',
      () => [IMPORT, { input: { model: '999', genome, completions: [{ gene: 0, text: 'x' }] } }],
      'NOT_FOUND',
      'no model with id "999"',
    ],
    [
      'an unknown genome id',
      () => [IMPORT, { input: { model: model.a, genome: '999', completions: [{ gene: 0, text: 'x' }] } }],
      'NOT_FOUND',
      'no genome',
    ],
    // not an id, so a name (README, "Ids or names")
    ['an unknown genome name', () => [MATRIX, { genome: 'abc' }], 'NOT_FOUND', 'no genome named "abc"'],
    [
      'a gene index out of range',
      () => [
        IMPORT,
        {
          input: {
            model: model.a,
            genome,
            completions: [
              { gene: 0, text: 'ok' },
              { gene: 3, text: 'x' },
            ],
          },
        },
      ],
      'BAD_USER_INPUT',
      'gene index 3 is out of range',
    ],
    [
      'a negative gene index',
      () => [IMPORT, { input: { model: model.a, genome, completions: [{ gene: -1, text: 'x' }] } }],
      'BAD_USER_INPUT',
      'out of range',
    ],
    [
      'an empty genome',
      () => [CREATE_GENOME, { input: { name: 'empty', genes: [] } }],
      'BAD_USER_INPUT',
      'at least one gene',
    ],
    [
      'an empty gene',
      () => [CREATE_GENOME, { input: { name: 'blank', genes: ['ok', ''] } }],
      'BAD_USER_INPUT',
      'gene 1 is empty',
    ],
    [
      'a duplicate genome name',
      () => [CREATE_GENOME, { input: { name: 'g', genes: ['x'] } }],
      'BAD_USER_INPUT',
      'already exists',
    ],
    [
      'a duplicate model name',
      () => [REGISTER, { input: { name: 'a', provider: 'external' } }],
      'BAD_USER_INPUT',
      'a model named "a" already exists',
    ],
    [
      'an unknown provider',
      () => [REGISTER, { input: { name: 'z', provider: 'nope' } }],
      'BAD_USER_INPUT',
      'unknown provider "nope"',
    ],
    [
      'a temperature out of range',
      () => [REGISTER, { input: { name: 'z', provider: 'external', temperature: 9 } }],
      'BAD_USER_INPUT',
      'temperature',
    ],
    [
      'a tree over fewer than 3 models',
      () => [
        `query ($g: ID!, $m: [ID!]) { tree(genome: $g, models: $m) { newick } }`,
        { g: genome, m: [model.a, model.b] },
      ],
      'BAD_USER_INPUT',
      'at least 3 models',
    ],
    [
      'too many bootstrap replicates',
      () => [`query ($g: ID!) { tree(genome: $g, bootstrap: 20000) { newick } }`, { g: genome }],
      'BAD_USER_INPUT',
      'bootstrap',
    ],
    [
      'an outgroup without root: OUTGROUP',
      () => [`query ($g: ID!, $o: ID) { tree(genome: $g, outgroup: $o) { newick } }`, { g: genome, o: model.a }],
      'BAD_USER_INPUT',
      'outgroup goes with root: OUTGROUP',
    ],
    [
      'root: OUTGROUP without an outgroup',
      () => [`query ($g: ID!) { tree(genome: $g, root: OUTGROUP) { newick } }`, { g: genome }],
      'BAD_USER_INPUT',
      'needs an outgroup',
    ],
    [
      'an outgroup outside the tree',
      () => [
        `query ($g: ID!, $m: [ID!], $o: ID) { tree(genome: $g, models: $m, root: OUTGROUP, outgroup: $o) { newick } }`,
        { g: genome, m: [model.a, model.b, model.c], o: model.d },
      ],
      'BAD_USER_INPUT',
      'is not in the tree',
    ],
    [
      'an allele length of 0',
      () => [`query ($g: ID!) { distanceMatrix(genome: $g, alleleLength: 0) { fingerprint } }`, { g: genome }],
      'BAD_USER_INPUT',
      'alleleLength must be an integer from 1 to 64',
    ],
    [
      'a model listed twice',
      () => [MATRIX, { genome, models: [model.a, model.a] }],
      'BAD_USER_INPUT',
      'more than once',
    ],
    [
      'a score that is not a finite number',
      () => [
        `mutation ($v: Float!, $m: ID!) { setScores(input: [{ model: $m, benchmark: "ARC", value: $v }]) { value } }`,
        { v: 'NaN', m: model.a },
      ],
      'BAD_USER_INPUT',
      'Float',
    ],
    [
      'an empty benchmark name',
      () => [
        `mutation ($m: ID!) { setScores(input: [{ model: $m, benchmark: "ARC", value: 0.5 }, { model: $m, benchmark: " ", value: 0.1 }]) { value } }`,
        { m: model.a },
      ],
      'BAD_USER_INPUT',
      'benchmark must not be empty',
    ],
    [
      'a query nested too deep',
      () => [`{ models { nodes { ${'scores { model { '.repeat(6)}name${' } }'.repeat(6)} } } }`, {}],
      'GRAPHQL_VALIDATION_FAILED',
      'at most 12',
    ],
    ['a bad cursor', () => [`{ models(after: "bad") { totalCount } }`, {}], 'BAD_USER_INPUT', 'cursor'],
  ];

  it.each(cases)('%s', async (_name, request, code, fragment) => {
    const revision = await app.services.store.dataRevision();
    const [query, variables] = request();
    const answer = await app.gql(query, variables);
    expect(answer.errors?.[0].extensions?.code).toBe(code);
    expect(answer.errors?.[0].message).toContain(fragment);
    expect(await app.services.store.dataRevision()).toBe(revision);
  });

  it('a model without samples on the genome is named in the error', async () => {
    const lonely = await register('lonely');
    const answer = await app.gql(MATRIX, { genome, models: [model.a, lonely.id] });
    expect(answer.errors?.[0].message).toBe('model "lonely" has no samples on genome "g"');
  });

  it('a request body over the limit gets 413 and a GraphQL-shaped error', async () => {
    const small = await startTestApp({ maxBodyBytes: 10_000 });
    try {
      const answer = await postGraphQL(small.url, CREATE_GENOME, {
        input: { name: 'huge', genes: ['x'.repeat(20_000)] },
      });
      expect(answer.status).toBe(413);
      expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(dataOf(await small.gql(`{ genomes { name } }`)).genomes).toEqual([]);
    } finally {
      await small.stopAndClean();
    }
  });
});

describe('deleting', () => {
  it('deleteModel removes the model with its samples and scores, and it leaves every matrix', async () => {
    const doomed = await register('doomed');
    await importTexts(doomed.id, [['x'], ['y'], ['z']]);
    await app.gql(`mutation ($m: ID!) { setScores(input: [{ model: $m, benchmark: "ARC", value: 0.5 }]) { value } }`, {
      m: doomed.id,
    });
    const before = dataOf(await app.gql(MATRIX, { genome })).distanceMatrix.models.map((m: { name: string }) => m.name);
    expect(before).toContain('doomed');
    const deleted = dataOf(
      await app.gql(`mutation ($id: ID!) { deleteModel(id: $id) { id name } }`, { id: doomed.id }),
    ).deleteModel;
    expect(deleted).toEqual({ id: doomed.id, name: 'doomed' });
    expect(dataOf(await app.gql(`{ model(name: "doomed") { id } }`)).model).toBeNull();
    const after = dataOf(await app.gql(MATRIX, { genome })).distanceMatrix.models.map((m: { name: string }) => m.name);
    expect(after).toEqual(before.filter((name: string) => name !== 'doomed'));
    expect(await app.services.store.scoresOf([Number(doomed.id)])).toEqual([]);
    const again = await app.gql(`mutation ($id: ID!) { deleteModel(id: $id) { id } }`, { id: doomed.id });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('deleteGenome removes the genome with its genes and every sample on it', async () => {
    const g = dataOf(await app.gql(CREATE_GENOME, { input: { name: 'short-lived', genes: ['a', 'b'] } })).createGenome
      .id;
    await app.gql(IMPORT, { input: { model: model.a, genome: g, completions: [{ gene: 0, text: 'x' }] } });
    const deleted = dataOf(
      await app.gql(`mutation ($id: ID!) { deleteGenome(id: $id) { name } }`, { id: g }),
    ).deleteGenome;
    expect(deleted).toEqual({ name: 'short-lived' });
    expect(dataOf(await app.gql(`query ($id: ID) { genome(id: $id) { id } }`, { id: g })).genome).toBeNull();
    expect(await app.services.store.listGenes(Number(g), null, 10)).toEqual([]);
    expect(await app.services.store.populationRevisions(Number(g))).toEqual([]);
  });
});

describe('the HTTP server', () => {
  it('GET /healthz answers 200 {"status":"ok"}', async () => {
    const response = await fetch(app.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('replays a repeated query from the response cache until data changes', async () => {
    const body = JSON.stringify({ query: MATRIX, variables: { genome } });
    const post = () => fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const first = await post();
    const firstText = await first.text();
    const second = await post();
    expect(second.headers.get('x-phylolm-cache')).toBe('hit');
    expect(await second.text()).toBe(firstText);
    await importTexts(model.d, [['ran'], [], []]);
    const third = await post();
    expect(third.headers.get('x-phylolm-cache')).toBeNull();
    expect(await third.text()).not.toBe(firstText);
  });
});

describe('PHYLOLM_ADMIN_TOKEN', () => {
  let secured: TestApp;
  beforeAll(async () => {
    secured = await startTestApp({ adminToken: 's3cret-token' });
  });
  afterAll(() => secured.stopAndClean());

  it('refuses mutations without the bearer token and writes nothing', async () => {
    const answer = await secured.gql(REGISTER, { input: { name: 'x', provider: 'external' } });
    expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await secured.gql(
      REGISTER,
      { input: { name: 'x', provider: 'external' } },
      { authorization: 'Bearer nope' },
    );
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(dataOf(await secured.gql(`{ models { totalCount } }`)).models.totalCount).toBe(0);
  });

  it('accepts mutations with the token and leaves queries open', async () => {
    const answer = await secured.gql(
      REGISTER,
      { input: { name: 'x', provider: 'external' } },
      { authorization: 'Bearer s3cret-token' },
    );
    expect(dataOf(answer).registerModel.name).toBe('x');
    expect(dataOf(await secured.gql(`{ models { totalCount } }`)).models.totalCount).toBe(1);
  });
});

describe('restarts', () => {
  it('cached matrices and all data survive a restart on the same file', async () => {
    const dir = app.dir;
    const first = await startTestApp({}, dir + '/restart');
    const g = dataOf(await first.gql(CREATE_GENOME, { input: { name: 'r', genes: ['x', 'y'] } })).createGenome.id;
    for (const name of ['r1', 'r2', 'r3']) {
      const id = dataOf(await first.gql(REGISTER, { input: { name, provider: 'external' } })).registerModel.id;
      await first.gql(IMPORT, {
        input: {
          model: id,
          genome: g,
          completions: [
            { gene: 0, text: name },
            { gene: 1, text: 'same' },
          ],
        },
      });
    }
    const before = dataOf(await first.gql(MATRIX, { genome: g })).distanceMatrix;
    await first.close();
    const second = await startTestApp({}, dir + '/restart');
    try {
      const computations = await second.services.store.computationIndex(Number(g), 'nei-similarity/v1');
      expect(computations.map((c) => c.key)).toContain(before.fingerprint);
      expect(dataOf(await second.gql(MATRIX, { genome: g })).distanceMatrix).toEqual(before);
    } finally {
      await second.close();
    }
  });
});

describe('built-in genomes', () => {
  it('installBuiltinGenome creates the shipped 128-gene genome once', async () => {
    const listed = dataOf(await app.gql(`{ builtinGenomes { name size } }`)).builtinGenomes;
    expect(listed).toEqual([
      { name: 'math-owm-128', size: 128 },
      { name: 'code-mbxp-128', size: 128 },
    ]);
    const q = `mutation { installBuiltinGenome(name: "math-owm-128") { id geneCount fingerprint } }`;
    const first = dataOf(await app.gql(q)).installBuiltinGenome;
    const again = dataOf(await app.gql(q)).installBuiltinGenome;
    expect(first.geneCount).toBe(128);
    expect(again).toEqual(first);
    const unknown = await app.gql(`mutation { installBuiltinGenome(name: "nope") { id } }`);
    expect(unknown.errors?.[0].message).toContain('available: math-owm-128, code-mbxp-128');
  });
});

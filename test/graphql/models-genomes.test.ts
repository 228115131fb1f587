/**
 * Models, genomes, samples and scores through GraphQL operations, in process
 * (test/helpers/graphql.ts): registration defaults, cursor pages, lookups by id or name,
 * idempotent imports, the allele field, scores through the per-request loader, deletion.
 */
import { dataOf, startGraphQL, type GraphQLHarness } from '../helpers/graphql';

const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id name provider providerModel family mode temperature topP maxTokens } }`;
const CREATE_GENOME = `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id name geneCount fingerprint } }`;
const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted rejected sampleCount } }`;
const MODELS = `query ($first: Int, $after: String, $filter: ModelFilter) {
  models(first: $first, after: $after, filter: $filter) { totalCount nodes { name } edges { cursor node { name } } pageInfo { hasNextPage endCursor } }
}`;

let api: GraphQLHarness;

beforeEach(async () => {
  api = await startGraphQL();
});
afterEach(() => api.close());

async function register(name: string, extra: Record<string, unknown> = {}) {
  return dataOf(await api.gql(REGISTER, { input: { name, provider: 'external', ...extra } })).registerModel;
}

async function genome(name: string, genes: string[]) {
  return dataOf(await api.gql(CREATE_GENOME, { input: { name, genes } })).createGenome;
}

describe('models', () => {
  it('registerModel fills the reference sampling settings and keeps what is given', async () => {
    expect(await register('plain')).toMatchObject({
      name: 'plain',
      provider: 'external',
      providerModel: null,
      family: null,
      mode: 'CHAT',
      temperature: 0.7,
      topP: 1,
      maxTokens: 5,
    });
    expect(
      await register('custom', { family: 'f', mode: 'COMPLETION', temperature: 0.2, topP: 0.5, maxTokens: 9 }),
    ).toMatchObject({ family: 'f', mode: 'COMPLETION', temperature: 0.2, topP: 0.5, maxTokens: 9 });
  });

  it('models pages by cursor: page after page, each edge cursor resumes after its node', async () => {
    const names = ['m1', 'm2', 'm3', 'm4', 'm5'];
    for (const name of names) await register(name);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const models: any = dataOf(await api.gql(MODELS, { first: 2, after })).models;
      expect(models.totalCount).toBe(5);
      expect(models.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(
        models.nodes.map((n: { name: string }) => n.name),
      );
      expect(models.pageInfo.endCursor).toBe(models.edges.at(-1)?.cursor ?? null);
      seen.push(...models.nodes.map((n: { name: string }) => n.name));
      if (!models.pageInfo.hasNextPage) break;
      after = models.pageInfo.endCursor;
    }
    expect(seen).toEqual(names);

    const first = dataOf(await api.gql(MODELS, { first: 5 })).models;
    const fromSecond = dataOf(await api.gql(MODELS, { first: 2, after: first.edges[1].cursor })).models;
    expect(fromSecond.nodes.map((n: { name: string }) => n.name)).toEqual(['m3', 'm4']);
    // without `first`, a page is the default size (100): everything here
    expect(dataOf(await api.gql(MODELS, {})).models.nodes).toHaveLength(5);
    expect(dataOf(await api.gql(MODELS, { first: 0 })).models).toMatchObject({ nodes: [], totalCount: 5 });
  });

  it('models filters by provider fields, name and genome; totalCount counts the filter', async () => {
    await register('Llama-a', { family: 'llama', mode: 'COMPLETION' });
    const b = await register('llama-b', { family: 'llama' });
    await register('qwen', { family: 'qwen' });
    const g = await genome('g', ['x']);
    await api.gql(IMPORT, { input: { model: b.id, genome: g.id, completions: [{ gene: 0, text: 'hi' }] } });

    const names = async (filter: Record<string, unknown>) => {
      const models = dataOf(await api.gql(MODELS, { filter })).models;
      expect(models.totalCount).toBe(models.nodes.length);
      return models.nodes.map((n: { name: string }) => n.name);
    };
    expect(await names({ family: 'llama' })).toEqual(['Llama-a', 'llama-b']);
    expect(await names({ nameContains: 'LLAMA', mode: 'CHAT' })).toEqual(['llama-b']);
    expect(await names({ genome: g.id })).toEqual(['llama-b']);
    expect(await names({ provider: 'simulated' })).toEqual([]);
  });

  it('model finds by id or by name, and null when there is none', async () => {
    const m = await register('findme');
    expect(dataOf(await api.gql(`query ($id: ID) { model(id: $id) { name } }`, { id: m.id })).model).toEqual({
      name: 'findme',
    });
    expect(dataOf(await api.gql(`{ model(name: "findme") { id } }`)).model).toEqual({ id: m.id });
    expect(dataOf(await api.gql(`{ model(name: "nobody") { id } }`)).model).toBeNull();
    expect(dataOf(await api.gql(`{ model(id: "not-an-id") { id } }`)).model).toBeNull();
  });

  it('Model.scores comes from setScores, one loader batch for a whole page of models', async () => {
    const a = await register('a');
    const b = await register('b');
    await register('c');
    const set = dataOf(
      await api.gql(
        `mutation ($input: [ScoreInput!]!) { setScores(input: $input) { benchmark value model { name } } }`,
        {
          input: [
            { model: a.id, benchmark: 'ARC', value: 0.5 },
            { model: a.id, benchmark: 'MMLU', value: 0.25 },
            { model: b.id, benchmark: 'ARC', value: 0.75 },
          ],
        },
      ),
    ).setScores;
    expect(set).toEqual([
      { benchmark: 'ARC', value: 0.5, model: { name: 'a' } },
      { benchmark: 'MMLU', value: 0.25, model: { name: 'a' } },
      { benchmark: 'ARC', value: 0.75, model: { name: 'b' } },
    ]);

    const scoresOf = jest.spyOn(api.store, 'scoresOf');
    const nodes = dataOf(await api.gql(`{ models { nodes { name scores { benchmark value } } } }`)).models.nodes;
    expect(nodes).toEqual([
      {
        name: 'a',
        scores: [
          { benchmark: 'ARC', value: 0.5 },
          { benchmark: 'MMLU', value: 0.25 },
        ],
      },
      { name: 'b', scores: [{ benchmark: 'ARC', value: 0.75 }] },
      { name: 'c', scores: [] },
    ]);
    expect(scoresOf).toHaveBeenCalledTimes(1);
  });

  it('deleteModel returns the model, which is then gone; a second delete is NOT_FOUND', async () => {
    const m = await register('doomed');
    const deleted = dataOf(await api.gql(`mutation ($id: ID!) { deleteModel(id: $id) { id name } }`, { id: m.id }));
    expect(deleted.deleteModel).toEqual({ id: m.id, name: 'doomed' });
    expect(dataOf(await api.gql(`{ model(name: "doomed") { id } }`)).model).toBeNull();
    const again = await api.gql(`mutation ($id: ID!) { deleteModel(id: $id) { id } }`, { id: m.id });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('genomes and samples', () => {
  it('createGenome answers the genome; genome(id | name) and genes pages read it back', async () => {
    const created = await genome('three', ['The cat', 'Once upon', '1 + 1 =']);
    expect(created).toMatchObject({ name: 'three', geneCount: 3 });
    expect(created.fingerprint).toMatch(/\S/);
    const same = await genome('three-again', ['The cat', 'Once upon', '1 + 1 =']);
    const other = await genome('two', ['The cat', 'Once upon']);
    expect(same.fingerprint).toBe(created.fingerprint);
    expect(other.fingerprint).not.toBe(created.fingerprint);

    const GENES = `query ($id: ID, $after: String) { genome(id: $id) { name genes(first: 2, after: $after) { totalCount nodes { index text } pageInfo { hasNextPage endCursor } } } }`;
    const page1 = dataOf(await api.gql(GENES, { id: created.id })).genome;
    expect(page1.genes).toMatchObject({
      totalCount: 3,
      nodes: [
        { index: 0, text: 'The cat' },
        { index: 1, text: 'Once upon' },
      ],
      pageInfo: { hasNextPage: true },
    });
    const page2 = dataOf(await api.gql(GENES, { id: created.id, after: page1.genes.pageInfo.endCursor })).genome;
    expect(page2.genes).toMatchObject({ nodes: [{ index: 2, text: '1 + 1 =' }], pageInfo: { hasNextPage: false } });

    expect(dataOf(await api.gql(`{ genome(name: "two") { id } }`)).genome).toEqual({ id: other.id });
    expect(dataOf(await api.gql(`{ genome(name: "none") { id } }`)).genome).toBeNull();
    expect(dataOf(await api.gql(`{ genomes { name } }`)).genomes.map((g: { name: string }) => g.name)).toEqual([
      'three',
      'three-again',
      'two',
    ]);
  });

  it('importCompletions counts accepted and rejected; re-importing given indices changes nothing', async () => {
    const m = await register('m');
    const g = await genome('g', ['a', 'b']);
    const completions = [
      { gene: 0, sample: 0, text: 'x' },
      { gene: 0, sample: 1, text: 'y' },
      { gene: 1, sample: 0, text: 'z' },
    ];
    const input = { model: m.id, genome: g.id, completions };
    expect(dataOf(await api.gql(IMPORT, { input })).importCompletions).toEqual({
      accepted: 3,
      rejected: 0,
      sampleCount: 3,
    });
    const revision = await api.store.dataRevision();
    expect(dataOf(await api.gql(IMPORT, { input })).importCompletions).toEqual({
      accepted: 0,
      rejected: 3,
      sampleCount: 3,
    });
    expect(await api.store.dataRevision()).toBe(revision);
    // without indices, samples are appended after the stored ones
    const more = { model: m.id, genome: g.id, completions: [{ gene: 0, text: 'w' }] };
    expect(dataOf(await api.gql(IMPORT, { input: more })).importCompletions).toEqual({
      accepted: 1,
      rejected: 0,
      sampleCount: 4,
    });
  });

  it('samples keeps the full text, shows the reference allele and pages by cursor', async () => {
    const m = await register('m');
    const g = await genome('g', ['a', 'b']);
    const texts = ['  sat on the mat', '\nthere was', 'sat', ' \n x'];
    await api.gql(IMPORT, {
      input: { model: m.id, genome: g.id, completions: texts.map((text) => ({ gene: 1, text })) },
    });
    const SAMPLES = `query ($m: ID!, $g: ID!, $after: String) { samples(model: $m, genome: $g, gene: 1, first: 3, after: $after) { nodes { geneIndex sampleIndex text allele source jobId } pageInfo { hasNextPage endCursor } } }`;
    const first = dataOf(await api.gql(SAMPLES, { m: m.id, g: g.id })).samples;
    expect(first.nodes).toEqual([
      { geneIndex: 1, sampleIndex: 0, text: '  sat on the mat', allele: 'sat ', source: 'IMPORTED', jobId: null },
      { geneIndex: 1, sampleIndex: 1, text: '\nthere was', allele: 'ther', source: 'IMPORTED', jobId: null },
      { geneIndex: 1, sampleIndex: 2, text: 'sat', allele: 'sat', source: 'IMPORTED', jobId: null },
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = dataOf(await api.gql(SAMPLES, { m: m.id, g: g.id, after: first.pageInfo.endCursor })).samples;
    // spaces, then newlines, are stripped once each: " \n x" keeps its second space
    expect(rest.nodes.map((s: { allele: string }) => s.allele)).toEqual([' x']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('deleteGenome returns the genome and takes its samples with it', async () => {
    const m = await register('m');
    const g = await genome('short-lived', ['a']);
    await api.gql(IMPORT, { input: { model: m.id, genome: g.id, completions: [{ gene: 0, text: 'x' }] } });
    const deleted = dataOf(await api.gql(`mutation ($id: ID!) { deleteGenome(id: $id) { name } }`, { id: g.id }));
    expect(deleted.deleteGenome).toEqual({ name: 'short-lived' });
    expect(dataOf(await api.gql(`query ($id: ID) { genome(id: $id) { id } }`, { id: g.id })).genome).toBeNull();
    expect(await api.store.sampleTexts(Number(m.id), Number(g.id))).toEqual([]);
  });
});

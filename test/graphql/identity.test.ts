/**
 * compareModels and identifyModel through GraphQL operations, in process: three models on 24
 * genes, where A and A2 are two draws of one distribution and B draws another.
 */
import { dataOf, startGraphQL, type GraphQLHarness } from '../helpers/graphql';
import { neiDistance, neiSimilarity } from '../../src/core/genetics/nei';
import { countAlleles } from '../../src/core/genetics/population';
import { createRandom } from '../../src/core/random';

const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`;
const COMPARE = `query ($a: ID!, $b: ID!, $g: ID!) { compareModels(a: $a, b: $b, genome: $g) { distance low high pValue sharedGenes permutations } }`;
const IDENTIFY = `query ($m: ID!, $g: ID!, $c: [ID!]) { identifyModel(model: $m, genome: $g, candidates: $c) { model { id name } distance pValue } }`;

const GENES = 24;
let api: GraphQLHarness;
const texts: Record<string, { gene: number; text: string }[]> = {};

/** 16 samples per gene from alleles xxxx/yyyy/zzzz with the given weights. */
function draw(seed: number, weights: number[]) {
  const random = createRandom(seed);
  const out: { gene: number; text: string }[] = [];
  for (let gene = 0; gene < GENES; gene++) {
    for (let i = 0; i < 16; i++) {
      let u = random() * weights.reduce((s, w) => s + w, 0);
      let k = 0;
      while (u >= weights[k] && k < weights.length - 1) u -= weights[k++];
      out.push({ gene, text: ['xxxx', 'yyyy', 'zzzz'][k] });
    }
  }
  return out;
}

beforeAll(async () => {
  api = await startGraphQL();
  const genes = Array.from({ length: GENES }, (_, g) => `gene ${g}`);
  dataOf(
    await api.gql(`mutation ($genes: [String!]!) { createGenome(input: { name: "g", genes: $genes }) { id } }`, {
      genes,
    }),
  );
  texts.A = draw(1, [3, 1, 1]);
  texts.A2 = draw(2, [3, 1, 1]);
  texts.B = draw(3, [1, 1, 3]);
  for (const name of ['A', 'A2', 'B', 'empty']) {
    dataOf(
      await api.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
        input: { name, provider: 'external' },
      }),
    );
    if (texts[name]) dataOf(await api.gql(IMPORT, { input: { model: name, genome: 'g', completions: texts[name] } }));
  }
});
afterAll(() => api.close());

const distance = (a: string, b: string) =>
  neiDistance(neiSimilarity(countAlleles(GENES, texts[a]), countAlleles(GENES, texts[b])));

describe('compareModels', () => {
  it('answers Nei D with its interval, and a large p-value for two draws of one distribution', async () => {
    const c = dataOf(await api.gql(COMPARE, { a: 'A', b: 'A2', g: 'g' })).compareModels;
    expect(c.distance).toBeCloseTo(distance('A', 'A2'), 10);
    expect(c.low).toBeLessThanOrEqual(c.distance);
    expect(c.high).toBeGreaterThanOrEqual(c.distance);
    expect(c.sharedGenes).toBe(GENES);
    expect(c.pValue).toBeGreaterThan(0.05);
  });

  it('rejects two different distributions with the smallest p of 1,000 permutations', async () => {
    const c = dataOf(await api.gql(COMPARE, { a: 'A', b: 'B', g: 'g' })).compareModels;
    expect(c.distance).toBeCloseTo(distance('A', 'B'), 10);
    expect(c.permutations).toBe(1000);
    expect(c.pValue).toBeCloseTo(1 / 1001, 12);
  });

  it('gives the same answer whichever model comes first, and again from the cache', async () => {
    const ab = dataOf(await api.gql(COMPARE, { a: 'A', b: 'A2', g: 'g' })).compareModels;
    const ba = dataOf(await api.gql(COMPARE, { a: 'A2', b: 'A', g: 'g' })).compareModels;
    expect(ba).toEqual(ab);
  });

  it('refuses a model without samples, an unknown model and a model compared with itself', async () => {
    const empty = await api.gql(COMPARE, { a: 'A', b: 'empty', g: 'g' });
    expect(empty.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0].message).toMatch(/empty.*no samples/);
    const unknown = await api.gql(COMPARE, { a: 'A', b: 'nobody', g: 'g' });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const self = await api.gql(COMPARE, { a: 'A', b: 'A', g: 'g' });
    expect(self.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('identifyModel', () => {
  it('ranks every other model with samples by distance, nearest first', async () => {
    const list = dataOf(await api.gql(IDENTIFY, { m: 'A', g: 'g' })).identifyModel;
    expect(list.map((i: { model: { name: string } }) => i.model.name)).toEqual(['A2', 'B']);
    expect(list[0].distance).toBeCloseTo(distance('A', 'A2'), 10);
    expect(list[0].pValue).toBeGreaterThan(0.05);
    expect(list[1].pValue).toBeLessThan(0.01);
  });

  it('takes an explicit list of candidates', async () => {
    const list = dataOf(await api.gql(IDENTIFY, { m: 'A2', g: 'g', c: ['B'] })).identifyModel;
    expect(list.map((i: { model: { name: string } }) => i.model.name)).toEqual(['B']);
  });

  it('refuses candidates without samples', async () => {
    const answer = await api.gql(IDENTIFY, { m: 'A2', g: 'g', c: ['empty'] });
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

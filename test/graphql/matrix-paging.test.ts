/**
 * Paging through a distance matrix over real HTTP (issue 14): rows by offset and count, the
 * pairs past a threshold by cursor, each model's k nearest; every page agrees with the whole
 * matrix asked the old way, and bad arguments get BAD_USER_INPUT and a message saying what to do.
 */
import { createRandom } from '../../src/core/random';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';

const MODELS = 23;
const GENES = 6;
let app: TestApp;
let genome: string;
let whole: { models: { id: string }[]; similarity: number[][]; distance: number[][] };

beforeAll(async () => {
  app = await startTestApp();
  const genes = Array.from({ length: GENES }, (_, g) => `gene ${g}`);
  genome = dataOf(
    await app.gql(`mutation ($g: [String!]!) { createGenome(input: { name: "pg", genes: $g }) { id } }`, { g: genes }),
  ).createGenome.id;
  const random = createRandom(4);
  for (let m = 0; m < MODELS; m++) {
    const input = { name: `m${m}`, provider: 'external' };
    const id = dataOf(
      await app.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, { input }),
    ).registerModel.id;
    const completions = Array.from({ length: GENES * 8 }, (_, k) => ({
      gene: k % GENES,
      text: `${'abcdef'[Math.floor(random() * (2 + (m % 4)))]}xyz`,
    }));
    dataOf(
      await app.gql(`mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`, {
        input: { model: id, genome, completions },
      }),
    );
  }
  whole = dataOf(
    await app.gql(`query ($g: ID!) { distanceMatrix(genome: $g) { models { id } similarity distance } }`, {
      g: genome,
    }),
  ).distanceMatrix;
});
afterAll(() => app.stopAndClean());

const matrix = (selection: string, variables: Record<string, unknown> = {}) =>
  app.gql(
    `query ($g: ID!${selection.includes('$a') ? ', $a: String' : ''}) { distanceMatrix(genome: $g) { ${selection} } }`,
    {
      g: genome,
      ...variables,
    },
  );

describe('rows', () => {
  it('rows(offset, count) are the rows of the whole matrix, cut at the last one', async () => {
    const page = dataOf(
      await matrix('size rows(offset: 20, count: 5) { index model { id } similarity distance }'),
    ).distanceMatrix;
    expect(page.size).toBe(MODELS);
    expect(page.rows.map((r: { index: number }) => r.index)).toEqual([20, 21, 22]);
    page.rows.forEach((row: { index: number; model: { id: string }; similarity: number[]; distance: number[] }) => {
      expect(row.model.id).toBe(whole.models[row.index].id);
      expect(row.similarity).toEqual(whole.similarity[row.index]);
      expect(row.distance).toEqual(whole.distance[row.index]);
    });
    expect(dataOf(await matrix('rows(offset: 23, count: 5) { index }')).distanceMatrix.rows).toEqual([]);
  });
});

describe('pairs', () => {
  const PAIRS = `pairs(minSimilarity: 0.75, first: 4, after: $a) { nodes { aIndex bIndex a { id } b { id } similarity distance } pageInfo { hasNextPage endCursor } }`;

  it('pairs pages through every pair with S >= minSimilarity, in row order, each once', async () => {
    const expected: string[] = [];
    for (let i = 0; i < MODELS; i++)
      for (let j = i + 1; j < MODELS; j++) if (whole.similarity[i][j] >= 0.75) expected.push(`${i},${j}`);
    expect(expected.length).toBeGreaterThan(8); // several pages
    expect(expected.length).toBeLessThan((MODELS * (MODELS - 1)) / 2); // and not every pair
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const answer: { nodes: any[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = dataOf(
        await matrix(PAIRS, { a: after }),
      ).distanceMatrix.pairs;
      const { nodes, pageInfo } = answer;
      for (const p of nodes) {
        seen.push(`${p.aIndex},${p.bIndex}`);
        expect(p.a.id).toBe(whole.models[p.aIndex].id);
        expect(p.b.id).toBe(whole.models[p.bIndex].id);
        expect(p.similarity).toBe(whole.similarity[p.aIndex][p.bIndex]);
        expect(p.distance).toBe(whole.distance[p.aIndex][p.bIndex]);
      }
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('pairs(maxDistance) gives the pairs with D <= maxDistance', async () => {
    const d = whole.distance[0][1];
    const { nodes } = dataOf(await matrix(`pairs(maxDistance: ${d}, first: 1000) { nodes { aIndex bIndex distance } }`))
      .distanceMatrix.pairs;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.some((p: { aIndex: number; bIndex: number }) => p.aIndex === 0 && p.bIndex === 1)).toBe(true);
    let count = 0;
    for (let i = 0; i < MODELS; i++) for (let j = i + 1; j < MODELS; j++) if (whole.distance[i][j] <= d) count++;
    expect(nodes.length).toBe(count);
  });
});

describe('nearest', () => {
  it("nearest(k) gives each model's k most similar others, most similar first", async () => {
    const rows = dataOf(
      await matrix(
        'nearest(k: 3, offset: 2, count: 4) { index model { id } neighbors { index model { id } similarity distance } }',
      ),
    ).distanceMatrix.nearest;
    expect(rows.map((r: { index: number }) => r.index)).toEqual([2, 3, 4, 5]);
    for (const row of rows) {
      const expected = whole.similarity[row.index]
        .map((s, j) => [s, j] as const)
        .filter(([, j]) => j !== row.index)
        .sort((x, y) => y[0] - x[0] || x[1] - y[1])
        .slice(0, 3)
        .map(([, j]) => j);
      expect(row.model.id).toBe(whole.models[row.index].id);
      expect(row.neighbors.map((n: { index: number }) => n.index)).toEqual(expected);
      for (const n of row.neighbors) {
        expect(n.model.id).toBe(whole.models[n.index].id);
        expect(n.similarity).toBe(whole.similarity[row.index][n.index]);
        expect(n.distance).toBe(whole.distance[row.index][n.index]);
      }
    }
  });
});

describe('bad arguments answer BAD_USER_INPUT, saying what is wrong', () => {
  it.each([
    ['a negative count', 'rows(count: -1) { index }', /count must be a whole number/],
    ['an offset past the end', 'rows(offset: 24, count: 1) { index }', /offset must be an integer from 0 to 23/],
    ['a page over the cell limit', 'rows(count: 50000) { index }', /too large.*\/matrices\/<genome>\.bin/],
    [
      'both thresholds',
      'pairs(minSimilarity: 0.5, maxDistance: 1) { nodes { aIndex } }',
      /exactly one of minSimilarity and maxDistance/,
    ],
    ['no threshold', 'pairs { nodes { aIndex } }', /exactly one of minSimilarity and maxDistance/],
    ['a similarity over 1', 'pairs(minSimilarity: 2) { nodes { aIndex } }', /minSimilarity must be from 0 to 1/],
    ['a negative distance', 'pairs(maxDistance: -1) { nodes { aIndex } }', /maxDistance must be a finite number >= 0/],
    [
      'a bad cursor',
      'pairs(minSimilarity: 0.5, after: "bm90LWEtY3Vyc29y") { nodes { aIndex } }',
      /not a valid pair cursor/,
    ],
    [
      'a cursor past the matrix',
      `pairs(minSimilarity: 0.5, after: "${Buffer.from('pair:99999').toString('base64url')}") { nodes { aIndex } }`,
      /not a pair of this 23-model matrix/,
    ],
    [
      'a page over the pair limit',
      'pairs(minSimilarity: 0.5, first: 10001) { nodes { aIndex } }',
      /first must be an integer from 0 to 10000/,
    ],
    ['k of 0', 'nearest(k: 0) { index }', /k must be an integer from 1 to 100/],
    ['k over 100', 'nearest(k: 101) { index }', /k must be an integer from 1 to 100/],
    [
      'count x k over the limit',
      'nearest(k: 100, count: 1001) { index }',
      /too large: count x k must be at most 100,000/,
    ],
  ])('%s', async (_, selection, message) => {
    const answer = await matrix(selection);
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toMatch(message);
  });
});

/**
 * Real data end to end: the real HTTP server on a temporary SQLite file, the 59 models of the
 * MisguidedAttention fixture registered and their samples imported through GraphQL, then the
 * distance matrix checked against an independent Python computation and the tree against known
 * close relatives.
 */
import { parseNewick } from '../../src/core/format/newick';
import type { Tree } from '../../src/core/tree/tree';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { expectedSimilarity, fixtureCompletions, fixtureGenes, fixtureModels } from '../helpers/misguided-attention';

const models = fixtureModels();
const genes = fixtureGenes();
let app: TestApp;
let genomeId: string;
const ids = new Map<string, string>();

/** The leaf names of the smallest clade containing both leaves. */
function smallestCladeWith(tree: Tree, a: string, b: string): string[] {
  const leafOf = (name: string) => tree.nodes.find((n) => n.name === name)!.id;
  const ancestors = (id: number) => {
    const out: number[] = [];
    for (let at: number | null = id; at !== null; at = tree.nodes[at].parent) out.push(at);
    return out;
  };
  const fromA = new Set(ancestors(leafOf(a)));
  const common = ancestors(leafOf(b)).find((id) => fromA.has(id))!;
  const leaves: string[] = [];
  const walk = (id: number) => {
    const node = tree.nodes[id];
    if (node.children.length === 0) leaves.push(node.name!);
    node.children.forEach(walk);
  };
  walk(common);
  return leaves;
}

beforeAll(async () => {
  app = await startTestApp();
  const created = await app.gql<{ createGenome: { id: string; geneCount: number } }>(
    `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id geneCount } }`,
    { input: { name: 'misguided-attention', genes: genes.map((g) => g.text) } },
  );
  genomeId = dataOf(created).createGenome.id;
  const geneIndex = new Map(genes.map((g, i) => [g.id, i]));
  for (const model of models) {
    const registered = await app.gql<{ registerModel: { id: string } }>(
      `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`,
      { input: { name: model.name, provider: 'external', family: model.family, mode: 'CHAT' } },
    );
    ids.set(model.name, dataOf(registered).registerModel.id);
    const imported = await app.gql<{ importCompletions: { accepted: number; rejected: number } }>(
      `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted rejected } }`,
      { input: { model: ids.get(model.name), genome: genomeId, completions: fixtureCompletions(model, geneIndex) } },
    );
    expect(dataOf(imported).importCompletions.rejected).toBe(0);
  }
});

afterAll(() => app.stopAndClean());

describe('real LLM outputs (MisguidedAttention, 59 models x 52 genes)', () => {
  it('distanceMatrix equals an independent Python computation of Nei similarity to 1e-12', async () => {
    const answer = await app.gql<{
      distanceMatrix: { models: { name: string }[]; similarity: number[][]; distance: number[][] };
    }>(
      // every model, QwQ-32b-16k (samples on 1 of the 52 genes) included: the check is of the arithmetic
      `query ($genome: ID!) { distanceMatrix(genome: $genome, minGeneCoverage: 0) { models { name } similarity distance } }`,
      { genome: genomeId },
    );
    const matrix = dataOf(answer).distanceMatrix;
    const expected = expectedSimilarity();
    expect(matrix.models.map((m) => m.name)).toEqual(expected.models);
    let worst = 0;
    expected.similarity.forEach((row, i) =>
      row.forEach((s, j) => {
        worst = Math.max(worst, Math.abs(matrix.similarity[i][j] - s));
        expect(matrix.distance[i][j]).toBeCloseTo(-Math.log(Math.max(s, 1e-10)), 9);
      }),
    );
    expect(worst).toBeLessThan(1e-12);
  });

  it('distanceMatrix(alleleLength: 1) counts alleles of one code point from the raw samples, like Python', async () => {
    const answer = await app.gql<{
      distanceMatrix: { alleleLength: number; models: { name: string }[]; similarity: number[][] };
    }>(
      `query ($genome: ID!) { distanceMatrix(genome: $genome, alleleLength: 1, minGeneCoverage: 0) { alleleLength models { name } similarity } }`,
      { genome: genomeId },
    );
    const matrix = dataOf(answer).distanceMatrix;
    const expected = expectedSimilarity(1);
    expect(matrix.alleleLength).toBe(1);
    expect(matrix.models.map((m) => m.name)).toEqual(expected.models);
    let worst = 0;
    expected.similarity.forEach((row, i) =>
      row.forEach((s, j) => (worst = Math.max(worst, Math.abs(matrix.similarity[i][j] - s)))),
    );
    expect(worst).toBeLessThan(1e-12);
    // a different rule gives different numbers: the length is really applied
    const four = expectedSimilarity(4);
    expect(four.similarity[0][1]).not.toBeCloseTo(expected.similarity[0][1], 6);
  });

  it('tree puts known close relatives together, leaving out the model sampled on one gene', async () => {
    const answer = await app.gql<{
      tree: {
        newick: string;
        rooted: boolean;
        nodes: { model: { name: string } | null }[];
        excluded: { model: { name: string }; reason: string }[];
      };
    }>(
      `query ($genome: ID!) { tree(genome: $genome) { newick rooted nodes { model { name } } excluded { model { name } reason } } }`,
      { genome: genomeId },
    );
    const { newick, rooted, nodes, excluded } = dataOf(answer).tree;
    expect(rooted).toBe(false);
    expect(nodes.filter((n) => n.model).length).toBe(58);
    expect(excluded).toEqual([
      {
        model: { name: 'QwQ-32b-16k' },
        reason: 'samples on 1 of 52 genes (1.9%), below minGeneCoverage 75%',
      },
    ]);
    const tree = parseNewick(newick);
    // Two reasoning-effort settings of one model: siblings.
    expect(smallestCladeWith(tree, 'gemini-2.5-pro-high', 'gemini-2.5-pro-low').sort()).toEqual(
      ['gemini-2.5-pro-high', 'gemini-2.5-pro-low'].sort(),
    );
  });

  it('tree(bootstrap: 100) gives every inner edge a support, the close pair a majority, in the Newick too', async () => {
    const answer = await app.gql<{
      tree: {
        bootstrap: number;
        newick: string;
        nodes: { id: string; parent: string | null; support: number | null; model: { name: string } | null }[];
      };
    }>(
      `query ($genome: ID!) { tree(genome: $genome, bootstrap: 100) { bootstrap newick nodes { id parent support model { name } } } }`,
      { genome: genomeId },
    );
    const { bootstrap, newick, nodes } = dataOf(answer).tree;
    expect(bootstrap).toBe(100);
    const leafOf = (name: string) => nodes.find((n) => n.model?.name === name)!;
    const parentOfPair = leafOf('gemini-2.5-pro-high').parent;
    expect(leafOf('gemini-2.5-pro-low').parent).toBe(parentOfPair);
    // S = 0.93 in every replicate, but NJ's Q criterion does not always join the closest pair
    // among 59 taxa: 0.6 is what the data supports, and a majority
    expect(nodes.find((n) => n.id === parentOfPair)!.support).toBeGreaterThan(0.5);
    expect(nodes.filter((n) => n.model).every((n) => n.support === null)).toBe(true);
    const supports = nodes.map((n) => n.support).filter((s): s is number => s !== null);
    expect(supports.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(new Set(supports).size).toBeGreaterThan(2);
    expect(Math.max(...supports)).toBeGreaterThanOrEqual(0.9);
    expect(parseNewick(newick).nodes.filter((n) => n.children.length > 0 && n.name !== null).length).toBe(
      supports.length,
    );
  });

  it('refuses a bootstrap too large for one request, saying how many replicates fit', async () => {
    const answer = await app.gql(`query ($genome: ID!) { tree(genome: $genome, bootstrap: 1000) { newick } }`, {
      genome: genomeId,
    });
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toContain('at most 594 for 58 models');
  });

  it('a subset matrix follows the requested order and matches the full one', async () => {
    const names = ['gpt-4.1', 'claude-opus-4', 'gemini-2.5-pro-low'];
    const answer = await app.gql<{ distanceMatrix: { models: { name: string }[]; similarity: number[][] } }>(
      `query ($genome: ID!, $models: [ID!]) { distanceMatrix(genome: $genome, models: $models) { models { name } similarity } }`,
      { genome: genomeId, models: names.map((n) => ids.get(n)) },
    );
    const matrix = dataOf(answer).distanceMatrix;
    const expected = expectedSimilarity();
    expect(matrix.models.map((m) => m.name)).toEqual(names);
    names.forEach((a, i) =>
      names.forEach((b, j) => {
        const s = expected.similarity[expected.models.indexOf(a)][expected.models.indexOf(b)];
        expect(matrix.similarity[i][j]).toBeCloseTo(s, 12);
      }),
    );
  });
});

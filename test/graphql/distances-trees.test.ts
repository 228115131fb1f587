/**
 * distanceMatrix, tree and prediction through GraphQL operations, in process, on populations
 * small enough to work out by hand (Nei 1972, as in src/core/genetics/nei.ts):
 *
 *   gene 0: A = {aaaa: 2}  B = {aaaa: 1, bbbb: 1}  C = {bbbb: 2}
 *   gene 1: A = {cccc: 2}  B = {cccc: 2}           C = {dddd: 2}
 *
 *   J_A = 1 + 1 = 2, J_B = 0.5 + 1 = 1.5, J_C = 2
 *   S(A,B) = (0.5 + 1) / sqrt(2 * 1.5) = 0.866025...   D = -ln S = 0.143841...
 *   S(A,C) = 0                                         D = -ln 1e-10 = 23.025850...
 *   S(B,C) = 0.5 / sqrt(1.5 * 2) = 0.288675...         D = 1.242453...
 */
import { dataOf, startGraphQL, type GraphQLHarness } from '../helpers/graphql';

const IMPORT = `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted } }`;
const MATRIX = `query ($g: ID!, $m: [ID!], $digits: Int!) { distanceMatrix(genome: $g, models: $m) { alleleLength fingerprint models { name } similarity distance phylip(digits: $digits) genome { name } } }`;
const TREE = `query ($g: ID!, $m: [ID!], $method: TreeMethod, $root: TreeRoot, $out: ID) {
  tree(genome: $g, models: $m, method: $method, root: $root, outgroup: $out) { method rooted rootedBy newick nodes { id parent branchLength model { name } } }
}`;

const S_AB = 1.5 / Math.sqrt(3);
const S_BC = 0.5 / Math.sqrt(3);
const D_AC = -Math.log(1e-10);

let api: GraphQLHarness;
let genome: string;
const ids: Record<string, string> = {};

async function addModel(name: string, genes: string[][], family?: string) {
  const input = { name, provider: 'external', family };
  ids[name] = dataOf(
    await api.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, { input }),
  ).registerModel.id;
  const completions = genes.flatMap((texts, gene) => texts.map((text) => ({ gene, text })));
  await api.gql(IMPORT, { input: { model: ids[name], genome, completions } });
}

beforeAll(async () => {
  api = await startGraphQL();
  genome = dataOf(await api.gql(`mutation { createGenome(input: { name: "g", genes: ["first", "second"] }) { id } }`))
    .createGenome.id;
  await addModel('A', [
    ['aaaa', 'aaaa'],
    ['cccc', 'cccc'],
  ]);
  // alleles are the first 4 code points: these texts carry the same alleles as written above
  await addModel('B', [
    ['aaaa and more', 'bbbb'],
    ['cccc', '  cccc'],
  ]);
  await addModel('C', [
    ['bbbb', 'bbbb'],
    ['dddd', 'dddd'],
  ]);
});
afterAll(() => api.close());

describe('distanceMatrix', () => {
  it('answers the Nei identities and distances worked out by hand, rows in the order asked', async () => {
    const m = dataOf(await api.gql(MATRIX, { g: genome, m: [ids.C, ids.A, ids.B], digits: 6 })).distanceMatrix;
    expect(m.models.map((x: { name: string }) => x.name)).toEqual(['C', 'A', 'B']);
    expect(m.genome).toEqual({ name: 'g' });
    expect(m.alleleLength).toBe(4);
    const expectedS = [
      [1, 0, S_BC],
      [0, 1, S_AB],
      [S_BC, S_AB, 1],
    ];
    const expectedD = expectedS.map((row) => row.map((s) => -Math.log(Math.max(s, 1e-10))));
    expectedS.forEach((row, i) => row.forEach((s, j) => expect(m.similarity[i][j]).toBeCloseTo(s, 12)));
    expectedD.forEach((row, i) => row.forEach((d, j) => expect(m.distance[i][j]).toBeCloseTo(d, 12)));
    expect(m.distance[0][1]).toBeCloseTo(D_AC, 9);
  });

  it('without models: every model with samples, by id; the fingerprint follows the model set', async () => {
    const all = dataOf(await api.gql(MATRIX, { g: genome, digits: 6 })).distanceMatrix;
    expect(all.models.map((x: { name: string }) => x.name)).toEqual(['A', 'B', 'C']);
    const two = dataOf(await api.gql(MATRIX, { g: genome, m: [ids.A, ids.B], digits: 6 })).distanceMatrix;
    expect(two.fingerprint).not.toBe(all.fingerprint);
    const again = dataOf(await api.gql(MATRIX, { g: genome, digits: 6 })).distanceMatrix;
    expect(again).toEqual(all);
  });

  it('phylip is the square PHYLIP text of the same distances, to the digits asked', async () => {
    const m = dataOf(await api.gql(MATRIX, { g: genome, m: [ids.A, ids.B, ids.C], digits: 4 })).distanceMatrix;
    const lines = m.phylip.trimEnd().split('\n');
    expect(lines[0].trim()).toBe('3');
    expect(lines.slice(1).map((line: string) => line.slice(0, 10).trim())).toEqual(['A', 'B', 'C']);
    const row = (k: number) => lines[k + 1].slice(10).trim().split(/\s+/);
    expect(row(0)).toEqual(['0.0000', (-Math.log(S_AB)).toFixed(4), D_AC.toFixed(4)]);
    expect(row(2)).toEqual([D_AC.toFixed(4), (-Math.log(S_BC)).toFixed(4), '0.0000']);
    const wide = dataOf(await api.gql(MATRIX, { g: genome, m: [ids.A, ids.B, ids.C], digits: 8 })).distanceMatrix;
    expect(wide.phylip.split('\n')[1]).toContain((-Math.log(S_AB)).toFixed(8));
  });
});

describe('tree', () => {
  beforeAll(async () => {
    // D has A's alleles in other words (distance 0): NJ and UPGMA must pair them
    await addModel('D', [
      ['aaaa?', 'aaaa!'],
      ['cccc.', '\ncccc'],
    ]);
  });

  const leaves = (tree: { nodes: { model: { name: string } | null }[] }) =>
    tree.nodes.filter((n) => n.model).map((n) => n.model!.name);

  /** Names of the leaves under each internal node. */
  function clades(tree: { nodes: { id: string; parent: string | null; model: { name: string } | null }[] }) {
    const below = (id: string): string[] => {
      const node = tree.nodes.find((n) => n.id === id)!;
      const children = tree.nodes.filter((n) => n.parent === id);
      return node.model ? [node.model.name] : children.flatMap((c) => below(c.id));
    };
    return tree.nodes.filter((n) => !n.model).map((n) => below(n.id).sort().join(''));
  }

  it('NJ (default) is unrooted, one node per model, one root, and pairs the twins', async () => {
    const tree = dataOf(await api.gql(TREE, { g: genome })).tree;
    expect(tree).toMatchObject({ method: 'NJ', rooted: false, rootedBy: null });
    expect(leaves(tree).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(tree.nodes.filter((n: { parent: string | null }) => n.parent === null)).toHaveLength(1);
    // 4 leaves, unrooted binary: a root of degree 3 and one more internal node
    expect(tree.nodes).toHaveLength(6);
    const split = clades(tree).filter((c: string) => c.length === 2);
    expect(split.some((c: string) => c === 'AD' || c === 'BC')).toBe(true);
    for (const name of ['A', 'B', 'C', 'D']) expect(tree.newick).toContain(name);
  });

  it('UPGMA is rooted and binary, with A and D as a cherry', async () => {
    const tree = dataOf(await api.gql(TREE, { g: genome, method: 'UPGMA' })).tree;
    expect(tree).toMatchObject({ method: 'UPGMA', rooted: true });
    expect(tree.nodes).toHaveLength(7);
    expect(clades(tree)).toContain('AD');
    for (const node of tree.nodes) if (node.parent !== null) expect(node.branchLength).toBeGreaterThanOrEqual(0);
  });

  it('root: OUTGROUP puts the outgroup alone beside the rest', async () => {
    const tree = dataOf(await api.gql(TREE, { g: genome, root: 'OUTGROUP', out: ids.C })).tree;
    expect(tree).toMatchObject({ rooted: true, rootedBy: 'outgroup' });
    const root = tree.nodes.find((n: { parent: string | null }) => n.parent === null)!;
    const sides = tree.nodes.filter((n: { parent: string | null }) => n.parent === root.id);
    expect(sides).toHaveLength(2);
    expect(sides.map((n: { model: { name: string } | null }) => n.model?.name ?? null)).toContain('C');
  });

  it('a model subset gives a tree of exactly that subset', async () => {
    const tree = dataOf(await api.gql(TREE, { g: genome, m: [ids.A, ids.B, ids.D] })).tree;
    expect(leaves(tree).sort()).toEqual(['A', 'B', 'D']);
  });
});

describe('prediction', () => {
  it('the mean predictor answers the mean of the other scored models, with an interval and neighbours', async () => {
    const scores: Record<string, number> = { A: 0.2, B: 0.4, C: 0.9, D: 0.3 };
    await addModel('E', [
      ['aaaa', 'bbbb'],
      ['cccc', 'dddd'],
    ]);
    await api.gql(`mutation ($input: [ScoreInput!]!) { setScores(input: $input) { value } }`, {
      input: Object.entries(scores).map(([name, value]) => ({ model: ids[name], benchmark: 'X', value })),
    });
    const q = `query ($m: ID!, $g: ID!, $method: String) { prediction(model: $m, benchmark: "X", genome: $g, method: $method) { value low high level method neighbors { model { name } distance score } } }`;
    const p = dataOf(await api.gql(q, { m: ids.E, g: genome, method: 'mean' })).prediction;
    expect(p.method).toBe('mean');
    expect(p.value).toBeCloseTo((0.2 + 0.4 + 0.9 + 0.3) / 4, 12);
    expect(p.level).toBe(0.8);
    expect(p.low).toBeLessThanOrEqual(p.value);
    expect(p.value).toBeLessThanOrEqual(p.high);
    expect(p.low).toBeGreaterThanOrEqual(0);
    expect(p.high).toBeLessThanOrEqual(1);
    const neighbours = p.neighbors as { model: { name: string }; distance: number; score: number }[];
    expect(neighbours.map((n) => n.model.name).sort()).toEqual(['A', 'B', 'C', 'D']);
    for (const n of neighbours) expect(n.score).toBe(scores[n.model.name]);
    const distances = neighbours.map((n) => n.distance);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);

    const { defaultPredictor, predictors } = dataOf(await api.gql(`{ predictors defaultPredictor }`));
    expect(predictors).toContain(defaultPredictor);
    expect(predictors).toContain('mean');
    const byDefault = dataOf(await api.gql(q, { m: ids.E, g: genome })).prediction;
    expect(byDefault.method).toBe(defaultPredictor);
  });
});

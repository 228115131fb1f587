/**
 * designGenome through GraphQL (issue 13, "Smaller genomes"): a genome of `size` genes chosen
 * from another for the distances between the given models, with its provenance; bad input is
 * refused with a code and creates nothing. In process, with the simulated zoo.
 */
import { dataOf, startGraphQL, type GraphQLHarness } from '../helpers/graphql';

const DESIGN = `mutation ($input: DesignGenomeInput!) {
  designGenome(input: $input) {
    id name geneCount genes(first: 100) { nodes { index text } }
    design { fromGenomeId fromGenome genes models method spearman }
  }
}`;
const GENES = Array.from({ length: 20 }, (_, g) => `Lemma ${g}: if x = ${g} then 2x + ${g} equals`);
const PROBED = ['llama-2-7b', 'llama-2-7b-chat', 'mistral-7b', 'qwen-2-7b', 'gemma-7b'];

let api: GraphQLHarness;
let genome: string;
const ids = new Map<string, string>();

beforeAll(async () => {
  api = await startGraphQL();
  genome = dataOf(
    await api.gql(`mutation ($g: [String!]!) { createGenome(input: { name: "full", genes: $g }) { id } }`, {
      g: GENES,
    }),
  ).createGenome.id;
  for (const name of [...PROBED, 'gpt-j-6b']) {
    const id = dataOf(
      await api.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
        input: { name, provider: 'simulated', providerModel: name, mode: 'COMPLETION' },
      }),
    ).registerModel.id;
    ids.set(name, id);
  }
  for (const name of PROBED) {
    const job = dataOf(
      await api.gql(`mutation ($input: StartProbingInput!) { startProbing(input: $input) { id } }`, {
        input: { model: ids.get(name), genome, samplesPerGene: 16 },
      }),
    ).startProbing;
    await api.services.jobs.settled(Number(job.id));
  }
});
afterAll(() => api.close());

it('chooses `size` genes of the genome, in its order, and records where they came from', async () => {
  const models = PROBED.slice(0, 4);
  const designed = dataOf(await api.gql(DESIGN, { input: { from: 'full', size: 6, models } })).designGenome;
  expect(designed).toMatchObject({ name: 'full-design-6', geneCount: 6 });
  const { design } = designed;
  expect(design).toMatchObject({ fromGenomeId: genome, fromGenome: 'full', models, method: 'greedy-spearman' });
  expect(design.genes).toHaveLength(6);
  expect([...design.genes].sort((a: number, b: number) => a - b)).toEqual(design.genes);
  expect(designed.genes.nodes.map((g: { text: string }) => g.text)).toEqual(design.genes.map((g: number) => GENES[g]));
  expect(design.spearman).toBeGreaterThan(0);
  expect(design.spearman).toBeLessThanOrEqual(1);
  // a normal genome: listed, and a plain genome has no design
  const all = dataOf(await api.gql(`{ genomes { name design { method } } }`)).genomes;
  expect(all).toEqual(
    expect.arrayContaining([
      { name: 'full', design: null },
      { name: 'full-design-6', design: { method: 'greedy-spearman' } },
    ]),
  );
  // all genes: the same distances, so a perfect rank agreement
  const whole = dataOf(
    await api.gql(DESIGN, { input: { from: genome, size: 20, models, name: 'whole' } }),
  ).designGenome;
  expect(whole.design.spearman).toBeCloseTo(1, 12);
});

it('refuses bad input with a code and creates nothing', async () => {
  const count = async () => dataOf(await api.gql(`{ genomes { id } }`)).genomes.length;
  const before = await count();
  const models = PROBED.slice(0, 3);
  for (const [input, code, message] of [
    [{ from: genome, size: 0, models }, 'BAD_USER_INPUT', /size/],
    [{ from: genome, size: 21, models }, 'BAD_USER_INPUT', /size/],
    [{ from: 'no-such-genome', size: 3, models }, 'NOT_FOUND', /no-such-genome/],
    [{ from: genome, size: 3, models: [...models, 'no-such-model'] }, 'NOT_FOUND', /no-such-model/],
    [
      { from: genome, size: 3, models: ['llama-2-7b', 'mistral-7b', 'gpt-j-6b'] },
      'BAD_USER_INPUT',
      /at least 3 .* got 2/,
    ],
    [{ from: genome, size: 3, models, name: 'full' }, 'BAD_USER_INPUT', /already exists/],
  ] as const) {
    const answer = await api.gql(DESIGN, { input });
    expect(answer.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code } });
  }
  expect(await count()).toBe(before);
});

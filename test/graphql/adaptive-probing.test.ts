/**
 * Adaptive probing through GraphQL (issue 13): `startProbing(adaptive: true)` samples in rounds,
 * stops when the stopping rule says so, and reports where, why and what it saved; bad knobs are
 * refused before anything is stored. In process, with the simulated zoo.
 */
import { dataOf, startGraphQL, type GraphQLHarness } from '../helpers/graphql';

const JOB = `id status completed total samplesPerGene adaptive stoppedAtSamplesPerGene stopReason samplesSaved tokensSaved
  requests promptTokens completionTokens`;
const START = `mutation ($input: StartProbingInput!) { startProbing(input: $input) { ${JOB} } }`;
// two families of the zoo: a cherry (llama-2-7b, its chat) and three others to place it among
const MODELS = ['llama-2-7b', 'llama-2-7b-chat', 'llama-3-8b', 'mistral-7b', 'qwen-2-7b', 'gemma-7b'];
const GENES = Array.from({ length: 24 }, (_, g) => `Problem ${g}: compute ${g} + ${2 * g + 1} and then`);

let api: GraphQLHarness;
let genome: string;

async function register(name: string): Promise<string> {
  return dataOf(
    await api.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
      input: { name, provider: 'simulated', providerModel: name, mode: 'COMPLETION' },
    }),
  ).registerModel.id;
}

async function run(input: Record<string, unknown>) {
  const answer = await api.gql(START, { input });
  const started = dataOf(answer).startProbing;
  await api.services.jobs.settled(Number(started.id));
  return dataOf(await api.gql(`query ($id: ID!) { job(id: $id) { ${JOB} } }`, { id: started.id })).job;
}

beforeAll(async () => {
  api = await startGraphQL();
  genome = dataOf(
    await api.gql(`mutation ($g: [String!]!) { createGenome(input: { name: "g", genes: $g }) { id } }`, { g: GENES }),
  ).createGenome.id;
});
afterAll(() => api.close());

it('with no other model to compare with, an adaptive job runs its full plan and saves nothing', async () => {
  const model = await register('llama-2-7b');
  const job = await run({ model, genome, adaptive: true });
  expect(job).toMatchObject({
    status: 'SUCCEEDED',
    adaptive: true,
    completed: 24 * 32,
    total: 24 * 32,
    stoppedAtSamplesPerGene: 32,
    stopReason: 'FULL_PLAN',
    samplesSaved: 0,
  });
  // rounds of 8, 16, 32: three requests per gene, so the full plan (one request) would have cost less
  expect(job.requests).toBe(24 * 3);
  expect(job.tokensSaved).toBe(0);
});

it('among other models, it stops early, keeps what it took and reports the samples and tokens saved', async () => {
  for (const name of MODELS.slice(2)) {
    const done = await run({ model: await register(name), genome });
    expect(done).toMatchObject({ status: 'SUCCEEDED', adaptive: false, stopReason: null, samplesSaved: null });
  }
  const model = await register('llama-2-7b-chat');
  // a precision any round meets: it must stop after the first round
  const job = await run({ model, genome, adaptive: true, adaptiveOptions: { targetStandardError: 10, firstRound: 4 } });
  expect(job).toMatchObject({
    status: 'SUCCEEDED',
    adaptive: true,
    stoppedAtSamplesPerGene: 4,
    stopReason: 'PRECISION',
    completed: 24 * 4,
    total: 24 * 32,
    samplesSaved: 24 * 28,
    requests: 24,
  });
  // one request per gene either way: the saving is the completions of 28 samples per gene
  expect(job.tokensSaved).toBe(Math.round((job.completionTokens / (24 * 4)) * 24 * 28));
  expect(await api.store.sampleTexts(Number(model), Number(genome))).toHaveLength(24 * 4);
});

it('refuses knobs that mean nothing, and stores no job', async () => {
  const model = await register('gemma-2b');
  const before = dataOf(await api.gql(`{ jobs(first: 100) { nodes { id } } }`)).jobs.nodes.length;
  for (const [input, message] of [
    [{ adaptiveOptions: { firstRound: 4 } }, /adaptiveOptions needs adaptive: true/],
    [{ adaptive: true, adaptiveOptions: { firstRound: 64 } }, /firstRound/],
    [{ adaptive: true, adaptiveOptions: { firstRound: 0 } }, /firstRound/],
    [{ adaptive: true, adaptiveOptions: { replicates: 1 } }, /replicates/],
    [{ adaptive: true, adaptiveOptions: { targetStandardError: -0.1 } }, /targetStandardError/],
    [{ adaptive: true, adaptiveOptions: { placementConfidence: 2 } }, /placementConfidence/],
    [{ adaptive: true, adaptiveOptions: { placementConfidence: 0 } }, /nothing could stop early/],
    [{ adaptive: true, batch: true }, /batch: true and adaptive: true cannot be combined/],
  ] as const) {
    const answer = await api.gql(START, { input: { model, genome, ...input } });
    expect(answer.errors?.[0]).toMatchObject({
      message: expect.stringMatching(message),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  expect(dataOf(await api.gql(`{ jobs(first: 100) { nodes { id } } }`)).jobs.nodes).toHaveLength(before);
});

/**
 * Probing jobs through GraphQL operations, in process, with the offline simulated provider:
 * providers, the estimate, startProbing (one active job per model and genome), the job and its
 * connection, and the job's model and genome.
 */
import { dataOf, startGraphQL, type GraphQLHarness } from '../helpers/graphql';

const JOB_FIELDS = `id status completed total samplesPerGene requests warnings collapsed error model { name } genome { name }`;
const START = `mutation ($input: StartProbingInput!) { startProbing(input: $input) { ${JOB_FIELDS} } }`;
const ESTIMATE = `query ($input: StartProbingInput!) { probingEstimate(input: $input) { samplesNeeded requests } }`;

let api: GraphQLHarness;
let genome: string;
let model: string;
let providerModel: string;

beforeAll(async () => {
  api = await startGraphQL();
  const providers = dataOf(await api.gql(`{ providers { id configured models { id mode } } }`)).providers as {
    id: string;
    configured: boolean;
    models: { id: string; mode: string }[];
  }[];
  const simulated = providers.find((p) => p.id === 'simulated')!;
  expect(simulated.configured).toBe(true);
  providerModel = simulated.models[0].id;
  genome = dataOf(await api.gql(`mutation { createGenome(input: { name: "g", genes: ["1 +", "2 +", "3 +"] }) { id } }`))
    .createGenome.id;
  model = dataOf(
    await api.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
      input: { name: 'sim', provider: 'simulated', providerModel, mode: simulated.models[0].mode },
    }),
  ).registerModel.id;
});
afterAll(() => api.close());

it('estimates, runs and reports a probing job; a finished job needs nothing more', async () => {
  const input = { model, genome, samplesPerGene: 4 };
  const before = dataOf(await api.gql(ESTIMATE, { input })).probingEstimate;
  expect(before.samplesNeeded).toBe(12);
  expect(before.requests).toBeGreaterThanOrEqual(3);

  const started = dataOf(await api.gql(START, { input })).startProbing;
  expect(started).toMatchObject({ total: 12, samplesPerGene: 4, model: { name: 'sim' }, genome: { name: 'g' } });
  // while it is active, starting again answers the same job...
  const again = dataOf(await api.gql(START, { input })).startProbing;
  // or, if the first had already finished, a new job that finds every sample stored
  if (again.id !== started.id) expect(again.completed).toBe(12);
  await api.services.jobs.settled(Number(again.id));

  await api.services.jobs.settled(Number(started.id));
  const done = dataOf(await api.gql(`query ($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id: started.id })).job;
  expect(done).toMatchObject({ status: 'SUCCEEDED', completed: 12, total: 12, error: null, collapsed: false });
  expect(done.requests).toBeGreaterThanOrEqual(3);
  expect(Array.isArray(done.warnings)).toBe(true);

  const samples = dataOf(
    await api.gql(`query ($m: ID!, $g: ID!) { samples(model: $m, genome: $g) { nodes { source jobId } } }`, {
      m: model,
      g: genome,
    }),
  ).samples.nodes as { source: string; jobId: string }[];
  expect(samples).toHaveLength(12);
  expect(samples.every((s) => s.source === 'PROBED' && s.jobId === started.id)).toBe(true);
  expect(dataOf(await api.gql(ESTIMATE, { input })).probingEstimate).toEqual({ samplesNeeded: 0, requests: 0 });
});

it('jobs lists by status, model and genome, with cursors', async () => {
  const jobs = async (args: string) =>
    dataOf(await api.gql(`{ jobs(${args}) { nodes { id status } pageInfo { hasNextPage endCursor } } }`)).jobs;
  const all = await jobs(`first: 10`);
  expect(all.nodes.length).toBeGreaterThanOrEqual(1);
  expect((await jobs(`status: SUCCEEDED, model: "${model}", genome: "${genome}"`)).nodes).toEqual(
    all.nodes.filter((j: { status: string }) => j.status === 'SUCCEEDED'),
  );
  expect((await jobs(`status: FAILED`)).nodes).toEqual([]);
  const first = await jobs(`first: 1`);
  expect(first.nodes).toEqual(all.nodes.slice(0, 1));
  const rest = await jobs(`first: 10, after: "${first.pageInfo.endCursor}"`);
  expect(rest.nodes).toEqual(all.nodes.slice(1));
  expect(dataOf(await api.gql(`{ job(id: "9999") { id } }`)).job).toBeNull();
});

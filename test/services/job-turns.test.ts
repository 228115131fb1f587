/**
 * Probing jobs in turns (src/services/probing/job-queue.ts): the queue hands a job to the runner
 * for one turn; a turn asked to yield lets its requests in flight finish and store their answers,
 * starts no new one, and leaves the job for the next turn, which completes it with exactly N
 * samples per gene. Services in process with the offline simulated provider and a queue that
 * only records what it is given.
 */
import { startGraphQL, type GraphQLHarness } from '../helpers/graphql';
import { RecordingQueue, yieldingFeed } from '../helpers/job-turns';

const GENES = Array.from({ length: 12 }, (_, g) => `${g} + ${g} =`);
const N = 4;

let api: GraphQLHarness;
const queue = new RecordingQueue();
/** the turn yields on the job's third change: the claim, then two stored answers */
const { feed, arm, free } = yieldingFeed(3);
const firstTurn = arm();

beforeAll(async () => {
  api = await startGraphQL({ services: { feed, probing: { queue, concurrency: 2 } } });
});
afterAll(() => api.close());

it('a yielded turn stores what was in flight and leaves the rest to the next turn', async () => {
  const { services } = api;
  const genome = await services.genomes.create({ name: 'g', genes: GENES });
  const providers = (await api.gql(`{ providers { id models { id mode } } }`)).data.providers as {
    id: string;
    models: { id: string; mode: 'COMPLETION' | 'CHAT' }[];
  }[];
  const offered = providers.find((p) => p.id === 'simulated')!.models[0];
  const model = await services.models.register({
    name: 'sim',
    provider: 'simulated',
    providerModel: offered.id,
    mode: offered.mode,
  });
  const job = await services.jobs.start({ model: String(model.id), genome: String(genome.id), samplesPerGene: N });
  // enqueued, not run: this queue only records
  expect(queue.enqueued).toEqual([job.id]);
  expect((await services.store.getJob(job.id))?.status).toBe('QUEUED');

  const first = await queue.handler!(job.id, new AbortController().signal, firstTurn);
  expect(first).toBe('unfinished');
  const paused = (await services.store.getJob(job.id))!;
  expect(paused.status).toBe('RUNNING');
  // the answers in flight when the turn yielded were stored, whole: a multiple of N per request
  expect(paused.completed).toBeGreaterThan(0);
  expect(paused.completed).toBeLessThan(GENES.length * N);
  expect(paused.completed % N).toBe(0);

  const second = await queue.handler!(job.id, new AbortController().signal, free());
  expect(second).toBe('finished');
  const done = (await services.store.getJob(job.id))!;
  expect(done).toMatchObject({ status: 'SUCCEEDED', completed: GENES.length * N });
  const stats = await services.store.geneSampleStats(model.id, genome.id);
  expect([...stats.values()].map((s) => s.count)).toEqual(GENES.map(() => N));

  // a turn of a finished job has nothing to do
  expect(await queue.handler!(job.id, new AbortController().signal)).toBe('finished');
});

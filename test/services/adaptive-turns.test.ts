/**
 * An adaptive probing job in turns (services/probing/adaptive.ts): a turn that yields in the
 * middle of a round leaves the job RUNNING; the next turn replays the rounds, asks only for what
 * is missing, makes the same decision, and ends with exactly the samples of the round it stopped
 * at, and the report of where, why and what it saved. Services in process with the offline
 * simulated provider and a queue that only records what it is given (as job-turns.test.ts).
 */
import { jobView } from '../../src/services/probing/job.service';
import { startGraphQL, type GraphQLHarness } from '../helpers/graphql';
import { RecordingQueue, yieldingFeed } from '../helpers/job-turns';

const GENES = Array.from({ length: 12 }, (_, g) => `${g} * ${g + 3} =`);
const N = 16;

let api: GraphQLHarness;
const queue = new RecordingQueue();
const { feed, arm, free } = yieldingFeed(3);

beforeAll(async () => {
  api = await startGraphQL({ services: { feed, probing: { queue, concurrency: 2 } } });
});
afterAll(() => api.close());

it('a yielded adaptive turn resumes where it was and stops at the same round', async () => {
  const { services } = api;
  const genome = await services.genomes.create({ name: 'g', genes: GENES });
  const register = (name: string) =>
    services.models.register({ name, provider: 'simulated', providerModel: name, mode: 'COMPLETION' });
  for (const name of ['llama-3-8b', 'mistral-7b', 'qwen-2-7b']) {
    const model = await register(name);
    const job = await services.jobs.start({ model: String(model.id), genome: String(genome.id), samplesPerGene: N });
    expect(await queue.handler!(job.id, new AbortController().signal)).toBe('finished');
  }
  const model = await register('llama-3-8b-instruct');
  const job = await services.jobs.start({
    model: String(model.id),
    genome: String(genome.id),
    samplesPerGene: N,
    adaptive: true,
    // rounds of 4, 8, 16; a precision every round meets, so it stops after the first
    adaptiveOptions: { firstRound: 4, targetStandardError: 10 },
  });

  expect(await queue.handler!(job.id, new AbortController().signal, arm())).toBe('unfinished');
  const paused = (await services.store.getJob(job.id))!;
  expect(paused.status).toBe('RUNNING');
  expect(paused.completed).toBeLessThan(GENES.length * 4);

  expect(await queue.handler!(job.id, new AbortController().signal, free())).toBe('finished');
  const done = jobView((await services.store.getJob(job.id))!);
  expect(done).toMatchObject({
    status: 'SUCCEEDED',
    adaptive: true,
    completed: GENES.length * 4,
    total: GENES.length * N,
    stoppedAtSamplesPerGene: 4,
    stopReason: 'PRECISION',
    samplesSaved: GENES.length * (N - 4),
  });
  const stats = await services.store.geneSampleStats(model.id, genome.id);
  expect([...stats.values()].map((s) => s.count)).toEqual(GENES.map(() => 4));
  // one request per gene and round: the saving is the completions of the 12 samples per gene not taken
  expect(done.requests).toBe(GENES.length);
  expect(done.tokensSaved).toBe(Math.round((done.completionTokens / (GENES.length * 4)) * GENES.length * (N - 4)));
});

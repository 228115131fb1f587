/**
 * Drift schedules with several processes on one database (issue 10's scale-out): every process
 * ticks over the same schedules, and a due schedule starts one round, not one per process. Two
 * DriftServices over one store stand for two processes; their ticks interleave at every await.
 */
import { createSimulatedProvider } from '../../plugins/simulated';
import { createProviderRegistry } from '../../src/providers/registry';
import { DriftService } from '../../src/services/drift/drift.service';
import { startGraphQL, type GraphQLHarness } from '../helpers/graphql';

let h: GraphQLHarness;
beforeAll(async () => {
  h = await startGraphQL({ services: { registry: createProviderRegistry([createSimulatedProvider({ seed: 0 })]) } });
});
afterAll(() => h.close());

it('a due schedule ticked by two processes at once starts one round', async () => {
  const s = h.services;
  const genome = await s.genomes.create({ name: 'g', genes: ['one', 'two', 'three'] });
  const model = await s.models.register({ name: 'm', provider: 'simulated', providerModel: 'llama-2-7b' });
  await s.drift.schedule({ model: 'm', genome: 'g', every: 'PT1H', samplesPerGene: 2 });
  const other = new DriftService(s.store, s.models, s.genomes, s.jobs, s.compute);
  await Promise.all([s.drift.kick(), other.kick(), s.drift.kick()]);
  const jobs = await s.store.listJobs({ modelId: model.id, genomeId: genome.id }, null, 10);
  expect(jobs).toHaveLength(1);
  const [schedule] = await s.store.listSchedules();
  expect(schedule.nextAt).toBeGreaterThan(Date.now() + 3_000_000);
});

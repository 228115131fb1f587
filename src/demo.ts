/**
 * The offline demo (contract: PHYLOLM_DEMO=1, the default): on an empty database, register the
 * simulated model zoo and the default genome, store the zoo's benchmark scores and probe every
 * model in the background, so a newcomer's first `tree` query answers with no key and no network.
 */
import { simulatedZoo, BENCHMARKS } from '../plugins/simulated';
import type { Logger } from './logger';
import type { Services } from './services';
import { pace } from './services/time-slice';

export const DEMO_GENOME = 'math-owm-128';
export const DEMO_MODEL_PREFIX = 'simulated/';

export async function startDemo(services: Services, logger: Logger, seed = 0): Promise<number[]> {
  const empty = (await services.models.count()) === 0 && (await services.genomes.list()).length === 0;
  if (!empty) return [];
  const genome = await services.genomes.installBuiltin(DEMO_GENOME);
  const zoo = simulatedZoo(seed);
  const jobs: number[] = [];
  for (const member of zoo.models) {
    // the server already listens: a turn of the event loop between models keeps /healthz answering
    await pace();
    const model = await services.models.register({
      name: `${DEMO_MODEL_PREFIX}${member.id}`,
      provider: 'simulated',
      providerModel: member.id,
      family: member.family,
      mode: member.mode,
    });
    await services.scores.set(
      BENCHMARKS.map((benchmark) => ({ model: String(model.id), benchmark, value: zoo.scores[member.id][benchmark] })),
    );
    const job = await services.jobs.start({ model: String(model.id), genome: String(genome.id) });
    jobs.push(job.id);
  }
  logger.log('info', 'demo: probing the simulated zoo in the background', {
    models: zoo.models.length,
    genome: DEMO_GENOME,
    hint: `query { tree(genome: "${genome.id}") { newick } }`,
  });
  return jobs;
}

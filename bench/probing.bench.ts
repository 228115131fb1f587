/**
 * Issue target for probing: against a fake OpenAI server that answers after 100 ms, one model's
 * 128 genes x 32 samples with `n` finish in at most 3 s at concurrency 16. Also prints the
 * requests per second achieved beside the bound the concurrency allows (16 / 0.1 s = 160/s),
 * and the same for an endpoint without `n` (one sample per request), where the engine's own
 * overhead shows.
 */
import { startBenchApp } from './app';
import { startFakeOpenAI } from '../test/helpers/fake-openai';
import { syntheticGenome } from './synthetic';
import { report, time } from './timing';

const DELAY_MS = 100;
const CONCURRENCY = 16;

export async function benchProbing(): Promise<void> {
  const fake = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: DELAY_MS } });
  const app = await startBenchApp({
    probeConcurrency: CONCURRENCY,
    providers: {
      openai: { apiKey: 'sk-bench-000000', baseURL: fake.baseURL },
      openaiCompatible: {
        endpoints: [
          { name: 'no-n', baseURL: fake.baseURL, models: ['m'], maxSamplesPerRequest: 1, maxConcurrency: CONCURRENCY },
        ],
      },
    },
  });
  const { services } = app;
  try {
    const genes = syntheticGenome(128).genes;
    const genome = await services.genomes.create({ name: 'bench', genes });
    const small = await services.genomes.create({ name: 'bench-16', genes: genes.slice(0, 16) });
    const bound = CONCURRENCY / (DELAY_MS / 1000);

    const withN = await services.models.register({
      name: 'with-n',
      provider: 'openai',
      providerModel: 'davinci-002',
      mode: 'COMPLETION',
    });
    const run = async (modelId: number, genomeId: number) => {
      const job = await services.jobs.start({ model: String(modelId), genome: String(genomeId), samplesPerGene: 32 });
      await services.jobs.settled(job.id);
      const done = await services.store.getJob(job.id);
      if (done?.status !== 'SUCCEEDED') throw new Error(`job ended ${done?.status}: ${done?.error}`);
      return done;
    };
    const a = await time(() => run(withN.id, genome.id));
    report(`128 genes x 32 samples with n, concurrency ${CONCURRENCY} (${a.value.requests} requests)`, a.ms, 3000);
    process.stdout.write(`  achieved ${(a.value.requests / (a.ms / 1000)).toFixed(1)} requests/s; bound ${bound}/s\n`);

    const withoutN = await services.models.register({
      name: 'without-n',
      provider: 'openai-compatible:no-n',
      providerModel: 'm',
      mode: 'COMPLETION',
    });
    const b = await time(() => run(withoutN.id, small.id));
    report(`16 genes x 32 samples, one per request (${b.value.requests} requests)`, b.ms);
    process.stdout.write(`  achieved ${(b.value.requests / (b.ms / 1000)).toFixed(1)} requests/s; bound ${bound}/s\n`);
  } finally {
    await app.close();
    await fake.close();
  }
  await benchDemo();
}

/** The newcomer's path: `npm start` on an empty database until `tree` answers, and until probing ends. */
async function benchDemo(): Promise<void> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  const app = await startBenchApp({}, {});
  try {
    const genome = (await app.services.store.getGenomeByName('math-owm-128'))!;
    for (;;) {
      try {
        await app.services.trees.tree(genome, undefined, 'NJ');
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    report('demo: start on an empty database until the first tree answers', elapsed(), 60_000);
    const jobs = await app.services.store.listJobs({}, null, 1000);
    await Promise.all(jobs.map((j) => app.services.jobs.settled(j.id)));
    report(`demo: until all ${jobs.length} zoo models are probed (128 x 32 each)`, elapsed());
  } finally {
    await app.close();
  }
}

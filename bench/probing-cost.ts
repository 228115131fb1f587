/**
 * Probing cost (issue 13, benchmark 4, batch column): requests, tokens and dollars for ONE model
 * at the reference plan (the shipped genome math-owm-128, 128 genes x N = 32 samples, maxTokens
 * 5), from the plugins' price tables, sampled directly and through the provider's batch API.
 * Prompt tokens are the server's estimate (about 4 characters per token, token-estimate.ts) and
 * completion tokens the budget (maxTokens per sample), i.e. what `probingEstimate` shows.
 *
 * `probingCost` is the figure other columns reuse (adaptive sampling, a designed genome): give it
 * the services of a running app, a model and a genome reference, and whether to batch.
 * `benchProbingCost` prints the table, then runs one batch job end to end through the fake OpenAI
 * Batch server and prints what the job recorded (the fake's usage, priced at half the table).
 */
import type { App } from '../src/app';
import { costOf } from '../src/providers/provider';
import { startFakeOpenAIBatch } from '../test/helpers/fake-batch';
import { startBenchApp } from './app';

export const REFERENCE_GENOME = 'math-owm-128';
export const REFERENCE_SAMPLES = 32;

export interface ProbingCost {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** What probing `model` on `genome` at N samples per gene costs, directly or through the batch API. */
export async function probingCost(
  services: App['services'],
  input: { model: string; genome: string; samplesPerGene?: number; batch: boolean },
): Promise<ProbingCost> {
  const estimate = await services.jobs.estimate({
    model: input.model,
    genome: input.genome,
    samplesPerGene: input.samplesPerGene ?? REFERENCE_SAMPLES,
    batch: input.batch,
  });
  const { requests, promptTokens, completionTokens, costUsd } = estimate;
  return { requests, promptTokens, completionTokens, costUsd };
}

const MODELS = [
  { provider: 'openai', providerModel: 'gpt-4o-mini', mode: 'CHAT' },
  { provider: 'openai', providerModel: 'davinci-002', mode: 'COMPLETION' },
  { provider: 'anthropic', providerModel: 'claude-3-5-haiku-20241022', mode: 'CHAT' },
  { provider: 'anthropic', providerModel: 'claude-sonnet-4-20250514', mode: 'CHAT' },
] as const;

function line(label: string, cost: ProbingCost): string {
  return (
    `${label.padEnd(46)} ${String(cost.requests).padStart(6)} req ${String(cost.promptTokens).padStart(8)} in ` +
    `${String(cost.completionTokens).padStart(7)} out  $${cost.costUsd.toFixed(4)}\n`
  );
}

export async function benchProbingCost(): Promise<void> {
  const fake = await startFakeOpenAIBatch();
  const app = await startBenchApp({
    probeBatchPollMs: 20,
    providers: {
      openai: { apiKey: 'sk-bench-000000', baseURL: fake.baseURL },
      anthropic: { apiKey: 'sk-ant-bench-000000' },
    },
  });
  const { services } = app;
  try {
    const genome = await services.genomes.installBuiltin(REFERENCE_GENOME);
    process.stdout.write(`one model, ${REFERENCE_GENOME} (128 genes) x ${REFERENCE_SAMPLES} samples, price tables:\n`);
    for (const m of MODELS) {
      const model = await services.models.register({ name: `cost-${m.providerModel}`, ...m });
      for (const batch of [false, true]) {
        const cost = await probingCost(services, { model: String(model.id), genome: String(genome.id), batch });
        process.stdout.write(line(`${m.provider} ${m.providerModel} ${batch ? 'batch' : 'direct'}`, cost));
      }
    }

    // End to end: one batch job through the fake Batch API; the recorded cost must be half the
    // table price of the recorded tokens.
    const job = await services.jobs.start({
      model: 'name:cost-gpt-4o-mini',
      genome: String(genome.id),
      samplesPerGene: REFERENCE_SAMPLES,
      batch: true,
    });
    await services.jobs.settled(job.id);
    const done = (await services.store.getJob(job.id))!;
    if (done.status !== 'SUCCEEDED') throw new Error(`batch job ended ${done.status}: ${done.error}`);
    const provider = services.registry.get('openai');
    const full = costOf(provider.capabilities, 'gpt-4o-mini', {
      promptTokens: done.promptTokens,
      completionTokens: done.completionTokens,
      requests: done.requests,
    });
    process.stdout.write(
      line('recorded: gpt-4o-mini batch job via the fake', done) +
        `  ${fake.batches.length} batch, ${done.completed} samples; recorded $ / table $ = ${(done.costUsd / full).toFixed(3)}\n`,
    );
  } finally {
    await app.close();
    await fake.close();
  }
}

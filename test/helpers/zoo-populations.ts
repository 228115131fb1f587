/**
 * Populations of the simulated zoo's 25 models on a genome, in memory, from the simulated
 * provider at the reference settings (sample i of a gene is a pure function of i, so the first n
 * samples are the same whatever n is asked for).
 */
import { createSimulatedProvider } from '../../plugins/simulated';
import { countAlleles, type AlleleCounts } from '../../src/core/genetics/population';
import type { Provider } from '../../src/providers/provider';

/** The paper's sampling settings (method.md): temperature 0.7, top-p 1, 5 tokens. */
export const REFERENCE_SAMPLING = { temperature: 0.7, topP: 1, maxTokens: 5 } as const;

/**
 * Samples `offset` .. `offset + n - 1` of one model on every gene at the reference settings, with
 * the tokens the provider reports.
 */
export async function sampleModel(
  provider: Pick<Provider, 'doSample'>,
  model: { id: string; mode?: 'COMPLETION' | 'CHAT' | null },
  genes: readonly string[],
  n: number,
  offset = 0,
): Promise<{ samples: { gene: number; sample: number; text: string }[]; tokens: number }> {
  const samples: { gene: number; sample: number; text: string }[] = [];
  let tokens = 0;
  for (const [gene, prompt] of genes.entries()) {
    const { texts, usage } = await provider.doSample({
      model: model.id,
      mode: model.mode ?? 'COMPLETION',
      prompt,
      n,
      sampleOffset: offset,
      ...REFERENCE_SAMPLING,
    });
    texts.forEach((text, k) => samples.push({ gene, sample: offset + k, text }));
    tokens += usage.promptTokens + usage.completionTokens;
  }
  return { samples, tokens };
}

export interface ZooPopulations {
  names: string[];
  families: string[];
  pops: AlleleCounts[];
}

export async function zooPopulations(
  seed: number,
  genes: readonly string[],
  samplesPerGene = 32,
): Promise<ZooPopulations> {
  const provider = createSimulatedProvider({ seed });
  const models = await provider.listModels();
  const pops: AlleleCounts[] = [];
  for (const model of models) {
    pops.push(countAlleles(genes.length, (await sampleModel(provider, model, genes, samplesPerGene)).samples));
  }
  return { names: models.map((m) => m.id), families: models.map((m) => m.family ?? ''), pops };
}

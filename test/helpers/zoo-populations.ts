/**
 * Populations of the simulated zoo's 25 models on a genome, in memory, from the simulated
 * provider at the reference settings (sample i of a gene is a pure function of i, so the first n
 * samples are the same whatever n is asked for).
 */
import { createSimulatedProvider } from '../../plugins/simulated';
import { countAlleles, type AlleleCounts } from '../../src/core/genetics/population';

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
    const probes: { gene: number; text: string }[] = [];
    for (const [gene, prompt] of genes.entries()) {
      const { texts } = await provider.doSample({
        model: model.id,
        mode: model.mode ?? 'COMPLETION',
        prompt,
        n: samplesPerGene,
        sampleOffset: 0,
        temperature: 0.7,
        topP: 1,
        maxTokens: 5,
      });
      for (const text of texts) probes.push({ gene, text });
    }
    pops.push(countAlleles(genes.length, probes));
  }
  return { names: models.map((m) => m.id), families: models.map((m) => m.family ?? ''), pops };
}

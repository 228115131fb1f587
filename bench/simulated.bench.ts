/**
 * The simulated provider's own speed: the offline demo and the zoo tests probe 25 models x 128
 * genes x 32 samples through it, so it must stay far below the job engine's and SQLite's cost.
 * Target: 24 models x 128 genes x 32 samples (98,304 texts) in at most 1 s (a few tens of ms on
 * an idle core). test/plugins/simulated.test.ts checks the same workload's answers, not its time.
 */
import { createSimulatedProvider } from '../plugins/simulated';
import { median, report } from './timing';

const MODELS = 24;
const GENES = 128;
const SAMPLES = 32;

export async function benchSimulated(): Promise<void> {
  const provider = createSimulatedProvider({ seed: 9 });
  const models = (await provider.listModels()).slice(0, MODELS);
  const genes = Array.from({ length: GENES }, (_, g) => `speed gene ${g} with a short prefix`);
  const sampleAll = async () => {
    let count = 0;
    for (const m of models) {
      for (const prompt of genes) {
        const { texts } = await provider.doSample({
          model: m.id,
          mode: 'COMPLETION',
          prompt,
          n: SAMPLES,
          temperature: 0.7,
          topP: 1,
          maxTokens: 5,
        });
        count += texts.length;
      }
    }
    if (count !== MODELS * GENES * SAMPLES) throw new Error(`expected ${MODELS * GENES * SAMPLES} texts, got ${count}`);
  };
  const ms = await median(5, sampleAll);
  report(`${MODELS} models x ${GENES} genes x ${SAMPLES} samples (median of 5)`, ms, 1000);
}

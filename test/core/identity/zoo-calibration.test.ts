/**
 * Issue 12, "what must be true" 1: the identity test calibrated on the simulated zoo, where the
 * truth is known. Two independent probings of one model must be rejected at about the nominal
 * rate (alpha = 0.05: within [0.02, 0.08] over 200 pairs); a fine-tune and its base model must be
 * told apart (at least 95% of pairs); and a model probed afresh must be closest to its own stored
 * population among all 25 (at least 95% of models).
 */
import { createSimulatedProvider, simulatedZoo } from '../../../plugins/simulated';
import { countAlleles, type AlleleCounts } from '../../../src/core/genetics/population';
import { comparePopulations } from '../../../src/core/identity/compare';
import { pairTable } from '../../../src/core/identity/pair-table';
import { builtinGenes, findBuiltinGenome } from '../../../src/genomes/builtin';

const ZOO_SEED = 0;
const SAMPLES = 32;
const genes = builtinGenes(findBuiltinGenome('math-owm-128')!).map((g) => g.text);
const provider = createSimulatedProvider({ seed: ZOO_SEED });
const zoo = simulatedZoo(ZOO_SEED);

/** One probing of a zoo model: 32 samples per gene, reference settings, independent per `round`. */
async function probe(model: string, round: number): Promise<AlleleCounts> {
  const mode = zoo.models.find((m) => m.id === model)!.mode;
  const samples: { gene: number; text: string }[] = [];
  for (const [gene, prompt] of genes.entries()) {
    const { texts } = await provider.doSample({
      model,
      mode,
      prompt,
      n: SAMPLES,
      temperature: 0.7,
      topP: 1,
      maxTokens: 5,
      seed: round,
      sampleOffset: 0,
    });
    for (const text of texts) samples.push({ gene, text });
  }
  return countAlleles(genes.length, samples);
}

const lines: string[] = [];
afterAll(() => process.stdout.write(`identity on the simulated zoo:\n${lines.join('\n')}\n`));

describe('identity test on the simulated zoo', () => {
  it('rejects two probings of one model at the nominal rate (200 pairs, alpha 0.05)', async () => {
    let pairs = 0;
    let rejected = 0;
    for (const model of zoo.models) {
      for (let k = 0; k < 8; k++) {
        const a = await probe(model.id, 100 + 2 * k);
        const b = await probe(model.id, 101 + 2 * k);
        const { pValue } = comparePopulations(a, b, { seed: pairs, replicates: 1 });
        pairs++;
        if (pValue! <= 0.05) rejected++;
      }
    }
    lines.push(`  same-model pairs: ${pairs}, rejected at 0.05: ${rejected} (${(rejected / pairs).toFixed(3)})`);
    expect(pairs).toBeGreaterThanOrEqual(200);
    expect(rejected / pairs).toBeGreaterThanOrEqual(0.02);
    expect(rejected / pairs).toBeLessThanOrEqual(0.08);
  });

  it('tells every fine-tune from its base model (at least 95% rejected at 0.05)', async () => {
    const fineTunes = zoo.models.filter((m) => zoo.models.some((base) => base.id === m.parent));
    let rejected = 0;
    for (const [i, model] of fineTunes.entries()) {
      const { pValue } = comparePopulations(await probe(model.id, 1), await probe(model.parent, 2), {
        seed: i,
        replicates: 1,
      });
      if (pValue! <= 0.05) rejected++;
    }
    lines.push(`  parent/fine-tune pairs: ${fineTunes.length}, rejected at 0.05: ${rejected}`);
    expect(fineTunes.length).toBeGreaterThanOrEqual(10);
    expect(rejected / fineTunes.length).toBeGreaterThanOrEqual(0.95);
  });

  it('finds the true model first for at least 95% of models probed afresh', async () => {
    const stored = new Map<string, AlleleCounts>();
    for (const model of zoo.models) stored.set(model.id, await probe(model.id, 1));
    let first = 0;
    const misses: string[] = [];
    for (const model of zoo.models) {
      const fresh = await probe(model.id, 7);
      // identifyModel ranks candidates by Nei D over shared genes
      const ranked = [...stored].map(([id, pop]) => ({ id, d: pairTable(fresh, pop).observed() }));
      ranked.sort((x, y) => x.d - y.d);
      if (ranked[0].id === model.id) first++;
      else misses.push(`${model.id} -> ${ranked[0].id}`);
    }
    lines.push(
      `  identify: true model first for ${first}/${zoo.models.length}; misses: ${misses.join(', ') || 'none'}`,
    );
    expect(first / zoo.models.length).toBeGreaterThanOrEqual(0.95);
  });
});

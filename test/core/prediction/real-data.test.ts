/**
 * Leave-one-family-out evaluation of every predictor on real PhyloLM data: 58 scored models
 * of the Misguided Attention benchmark (CC0; test/fixtures/misguided-attention, the fixture the end-to-end tests use too).
 * Nei distances come from the allele frequencies via src/core/genetics/nei.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { neiDistance, neiSimilarity } from '../../../src/core/genetics/nei';
import type { AlleleCounts } from '../../../src/core/genetics/population';
import { type Evaluation, evaluatePredictor } from '../../../src/core/prediction/evaluation';
import { defaultPredictorName, getPredictor, predictorNames } from '../../../src/core/prediction/registry';
import { fixtureDir } from '../../helpers/misguided-attention';

const dir = fixtureDir;

function loadRealSet() {
  const alleles = JSON.parse(readFileSync(join(dir, 'alleles.json'), 'utf8')) as {
    models: Record<string, AlleleCounts>;
  };
  const [header, ...lines] = readFileSync(join(dir, 'models.csv'), 'utf8').trim().split(/\r?\n/);
  const col = header.split(',');
  const rows = lines
    .map((line) => Object.fromEntries(line.split(',').map((v, i) => [col[i].trim(), v.trim()])))
    .filter((r) => r.score_mean_judge !== '');
  const names = rows.map((r) => r.model);
  const n = names.length;
  const distances = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // D = -ln(max(S, 1e-10)), S summed over the genes both models answered
      const d = neiDistance(neiSimilarity(alleles.models[names[i]], alleles.models[names[j]]));
      distances[i * n + j] = d;
      distances[j * n + i] = d;
    }
  }
  return {
    names,
    distances,
    scores: rows.map((r) => Number(r.score_mean_judge)),
    families: rows.map((r) => r.family_guess),
  };
}

describe('benchmark prediction on Misguided Attention (real data)', () => {
  const data = loadRealSet();
  const results = new Map<string, Evaluation>();

  beforeAll(() => {
    for (const name of predictorNames)
      results.set(name, evaluatePredictor(getPredictor(name), data, { seed: 0, level: 0.8 }));
    const table = [
      'predictor      n    r      MAE    coverage@0.8  mean width',
      ...predictorNames.map((name) => {
        const e = results.get(name)!;
        return `${name.padEnd(13)} ${String(e.n).padStart(2)}  ${e.pearson.toFixed(3).padStart(6)}  ${e.mae.toFixed(3)}  ${e.coverage.toFixed(3).padStart(12)}  ${e.meanWidth.toFixed(3).padStart(10)}`;
      }),
    ].join('\n');
    // the evaluation table is the point of this test: print it
    console.log(
      `leave-one-family-out, ${data.scores.length} models, ${new Set(data.families).size} families\n${table}`,
    );
  });

  it('loads 58 scored models with finite symmetric distances', () => {
    expect(data.scores).toHaveLength(58);
    data.distances.forEach((d) => expect(Number.isFinite(d) && d >= 0).toBe(true));
  });

  // The default is chosen on this data and the simulated zoo together (test/e2e/prediction.test.ts
  // checks the zoo): here it must beat reference and be within 0.005 of the best MAE.
  it(`the default predictor (${defaultPredictorName}) beats reference on MAE and is within 0.005 of the best`, () => {
    const best = Math.min(...[...results.values()].map((r) => r.mae));
    expect(results.get(defaultPredictorName)!.mae).toBeLessThanOrEqual(best + 0.005);
    expect(results.get(defaultPredictorName)!.mae).toBeLessThan(results.get('reference')!.mae);
  });

  it('every predictor reports one honest interval per model', () => {
    for (const e of results.values()) {
      expect(e.points).toHaveLength(58);
      expect(e.coverage).toBeGreaterThan(0.5);
    }
  });
});

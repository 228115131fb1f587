/**
 * Leave-one-family-out predictions of every predictor on real PhyloLM data: 58 scored models
 * of the Misguided Attention benchmark (CC0; test/fixtures/misguided-attention, the fixture the end-to-end tests use too).
 * Nei distances come from the allele frequencies via src/core/genetics/nei.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { neiDistance, neiSimilarity } from '../../../src/core/genetics/nei';
import type { AlleleCounts } from '../../../src/core/genetics/population';
import { leaveOneFamilyOut, type LofoResult } from '../../../src/core/prediction/evaluation';
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
  const results = new Map<string, LofoResult>();

  beforeAll(() => {
    // Leave-one-family-out point predictions: the MAE and r that evaluatePredictor reports are
    // exactly these. The nested intervals (16 + 16 x 15 fits per predictor) are computed once, by
    // the server, in test/e2e/prediction-real-data.test.ts, which checks their coverage.
    for (const name of predictorNames) results.set(name, leaveOneFamilyOut(getPredictor(name), data, { seed: 0 }));
    const table = [
      'predictor      n    r      MAE',
      ...predictorNames.map((name) => {
        const e = results.get(name)!;
        return `${name.padEnd(13)} ${String(e.predicted.length).padStart(2)}  ${e.pearson.toFixed(3).padStart(6)}  ${e.mae.toFixed(3)}`;
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

  it('every predictor predicts every model, held out with its family', () => {
    for (const e of results.values()) {
      expect(e.predicted).toHaveLength(58);
      e.predicted.forEach((p) => expect(Number.isFinite(p)).toBe(true));
    }
  });
});

/**
 * Calibration on other evidence than the fit's (issue 12): held-out models predicted from
 * `heldOut` distances, the calibration's reach (for the extrapolation flag), and the predict task
 * thinning calibration models to a thin query's sampling.
 */
import type { AlleleCounts } from '../../../src/core/genetics/population';
import { neiSimilarityMatrix } from '../../../src/core/genetics/nei';
import { fitCalibrated } from '../../../src/core/prediction/calibrated-fit';
import { leaveOneFamilyOut } from '../../../src/core/prediction/evaluation';
import { getPredictor } from '../../../src/core/prediction/registry';
import { createRandom } from '../../../src/core/random';
import { populationsJson, tasks } from '../../../src/core/tasks';
import { syntheticSet } from './synthetic';

const knn = getPredictor('knn');

describe('held-out distances in calibration', () => {
  const set = syntheticSet(40, { seed: 3 });
  const n = 40;

  it('leaveOneFamilyOut predicts held-out models from `heldOut` when given, the fit still from `distances`', () => {
    const plain = leaveOneFamilyOut(knn, set, { seed: 0 });
    const same = leaveOneFamilyOut(knn, { ...set, heldOut: (i, j) => set.distances[i * n + j] }, { seed: 0 });
    expect(same.predicted).toEqual(plain.predicted);
    const noisy = leaveOneFamilyOut(
      knn,
      { ...set, heldOut: (i, j) => set.distances[i * n + j] + ((i * 7 + j) % 5) * 0.3 },
      { seed: 0 },
    );
    expect(noisy.predicted).not.toEqual(plain.predicted);
  });

  it('noisier held-out distances give wider intervals, and the reach is the farthest nearest-other-family distance', () => {
    const plain = fitCalibrated(knn, set, { seed: 0, level: 0.8 });
    const noisy = fitCalibrated(
      knn,
      { ...set, heldOut: (i, j) => set.distances[i * n + j] + ((i * 7 + j) % 5) * 0.3 },
      { seed: 0, level: 0.8 },
    );
    expect(noisy.halfWidth).toBeGreaterThan(plain.halfWidth);
    let reach = 0;
    for (let i = 0; i < n; i++) {
      let nearest = Infinity;
      for (let j = 0; j < n; j++)
        if (set.families[j] !== set.families[i]) nearest = Math.min(nearest, set.distances[i * n + j]);
      reach = Math.max(reach, nearest);
    }
    expect(plain.reach).toBeCloseTo(reach, 12);
    expect(noisy.reach).toBeGreaterThan(plain.reach);
  });
});

describe('the predict task calibrated on a thin query’s sampling', () => {
  // 16 models in 4 families on 64 genes, 32 samples each; alleles drawn from family-specific
  // distributions, scores following the family; a query with 2 samples per gene
  const genes = 64;
  const random = createRandom(5);
  const draw = (weights: number[], k: number) => {
    const counts: Record<string, number> = {};
    for (let s = 0; s < k; s++) {
      let u = random() * weights.reduce((a, b) => a + b, 0);
      let a = 0;
      while (u >= weights[a]) u -= weights[a++];
      counts[`a${a}`] = (counts[`a${a}`] ?? 0) + 1;
    }
    return counts;
  };
  const familyWeights = Array.from({ length: 4 }, () =>
    Array.from({ length: genes }, () => [1, 2, 3, 4, 5].map(() => random() ** 2)),
  );
  const population = (f: number, k: number): AlleleCounts =>
    familyWeights[f].map((w) =>
      draw(
        w.map((x) => x + 0.3 * random()),
        k,
      ),
    );
  const models = Array.from({ length: 16 }, (_, i) => population(i % 4, 32));
  const query = population(1, 2);
  const all = [query, ...models];
  const task = {
    similarity: neiSimilarityMatrix(all),
    size: all.length,
    at: 0,
    index: models.map((_, i) => i + 1),
    scores: models.map((_, i) => 0.2 + 0.15 * (i % 4) + 0.01 * Math.floor(i / 4)),
    families: models.map((_, i) => `f${i % 4}`),
    method: 'knn',
    level: 0.8,
    seed: 0,
  };

  it('widens the interval and moves the reach out to the thin sampling, deterministically', () => {
    const plain = tasks.predict(task);
    const thinTo = { populations: populationsJson(all.map((p) => JSON.stringify(p))) };
    const matched = tasks.predict({ ...task, thinTo });
    expect(matched.value).toBe(plain.value);
    expect(matched.high - matched.low).toBeGreaterThanOrEqual(plain.high - plain.low);
    expect(matched.reach).toBeGreaterThan(plain.reach);
    // the thin query is farther from everything than full-sampled calibration models were from the
    // other families: an extrapolation without matching, not once calibrated on its sampling
    expect(Math.min(...plain.row)).toBeGreaterThan(plain.reach);
    expect(Math.min(...matched.row)).toBeLessThanOrEqual(matched.reach);
    expect(tasks.predict({ ...task, thinTo })).toEqual(matched);
  });
});

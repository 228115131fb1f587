/**
 * Predictors reading several allele lengths (issue 15): length selection inside the training
 * models (knn, kernel ridge with `selectLength`, hence `tuned`) and averaging over lengths
 * (`multiscale`). Views stand in for the distances at other allele lengths.
 */
import { PhyloInputError } from '../../../src/core/errors';
import { createEnsemblePredictor } from '../../../src/core/prediction/ensemble';
import { leaveOneFamilyOut } from '../../../src/core/prediction/evaluation';
import { createKernelRidgePredictor } from '../../../src/core/prediction/kernel-ridge';
import { createKnnPredictor } from '../../../src/core/prediction/knn';
import { createMultiscalePredictor } from '../../../src/core/prediction/multiscale';
import { getPredictor } from '../../../src/core/prediction/registry';
import type { LabelledSet } from '../../../src/core/prediction/evaluation';
import { createRandom } from '../../../src/core/random';
import { block, rowAt, syntheticSet } from './synthetic';

/** The synthetic set's informative distances at allele length 12; noise at 4 (primary) and 8. */
function signalAt12(seed: number): LabelledSet {
  const set = syntheticSet(48, { seed, nFamilies: 8 });
  const n = set.scores.length;
  const random = createRandom(seed + 100);
  const noise = () => {
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = 0.2 + random();
    return d;
  };
  return {
    distances: noise(),
    views: [
      { alleleLength: 8, distances: noise() },
      { alleleLength: 12, distances: set.distances },
    ],
    scores: set.scores,
    families: set.families,
  };
}

describe('allele length chosen inside the training models', () => {
  it.each([
    ['knn', createKnnPredictor({ groupedSelection: true, selectLength: true })],
    ['kernel-ridge', createKernelRidgePredictor({ groupedSelection: true, selectLength: true })],
  ])(
    '%s picks the informative length in every fold and beats the same predictor held to the reference length',
    (name, predictor) => {
      const set = signalAt12(3);
      const selected = leaveOneFamilyOut(predictor, set);
      for (const fold of selected.folds)
        expect(fold.hyperparameters.find((h) => h.name === 'alleleLength')!.value).toBe(12);
      const fixed = leaveOneFamilyOut(name === 'knn' ? createKnnPredictor() : createKernelRidgePredictor(), set);
      expect(selected.mae).toBeLessThan(0.7 * fixed.mae);
      expect(selected.pearson).toBeGreaterThan(fixed.pearson + 0.3);
    },
  );

  it('a fit that chose another length needs the query at that length, and says so', () => {
    const set = signalAt12(4);
    const fitted = getPredictor('tuned').fit(set);
    const row = Array.from({ length: set.scores.length }, () => 0.5);
    expect(() => fitted.predict(row)).toThrow(PhyloInputError);
    expect(fitted.predict(row, [row, row])).toBeGreaterThanOrEqual(0);
  });

  it('views are validated like the primary distances', () => {
    const set = signalAt12(5);
    const bad = new Float64Array(set.distances);
    bad[1] = NaN;
    expect(() => getPredictor('tuned').fit({ ...set, views: [{ alleleLength: 8, distances: bad }] })).toThrow(
      /allele length 8 must be finite and non-negative: entry \(0, 1\)/,
    );
    expect(() =>
      getPredictor('tuned').fit({ ...set, views: [{ alleleLength: 8, distances: new Float64Array(3) }] }),
    ).toThrow(/view 0 \(allele length 8\) must be 48 x 48/);
  });
});

describe('multiscale', () => {
  it('is the ensemble fitted on the mean distance over its allele lengths, the query averaged alike', () => {
    const set = signalAt12(6);
    const n = set.scores.length;
    const views = [6, 8, 12, 16].map((alleleLength, v) => ({
      alleleLength,
      distances: v === 2 ? set.views![1].distances : set.views![0].distances.map((d) => d * (1 + v / 10)),
    }));
    const train = [...Array(n - 1).keys()];
    const sub = (d: Float64Array) => block(d, n, train, train);
    const fitted = createMultiscalePredictor().fit({
      distances: sub(set.distances),
      views: views.map((v) => ({ alleleLength: v.alleleLength, distances: sub(v.distances) })),
      scores: train.map((i) => set.scores[i]),
    });
    const mean = set.distances.map((d, k) => (d + views.reduce((s, v) => s + v.distances[k], 0)) / 5);
    const direct = createEnsemblePredictor().fit({ distances: sub(mean), scores: train.map((i) => set.scores[i]) });
    const query = rowAt(set.distances, n, n - 1, train);
    const queryViews = views.map((v) => rowAt(v.distances, n, n - 1, train));
    expect(fitted.predict(query, queryViews)).toBeCloseTo(direct.predict(rowAt(mean, n, n - 1, train)), 12);
    expect(fitted.hyperparameters!.find((h) => h.name === 'alleleLengthsAveraged')!.value).toBe(5);
  });

  it('without other lengths it is the ensemble', () => {
    const set = signalAt12(7);
    const a = leaveOneFamilyOut(createMultiscalePredictor(), { ...set, views: [] });
    const b = leaveOneFamilyOut(createEnsemblePredictor(), { ...set, views: [] });
    expect(a.predicted).toEqual(b.predicted);
  });
});

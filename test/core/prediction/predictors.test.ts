/** One contract suite run against every registered predictor. */
import { getPredictor, predictorNames, defaultPredictorName } from '../../../src/core/prediction/registry';
import { leaveOneFamilyOut, meanAbsoluteError } from '../../../src/core/prediction/evaluation';
import { block, rowAt, syntheticSet } from './synthetic';

const data = syntheticSet(60, { seed: 11, nFamilies: 30, spread: 1.2 });
const n = data.scores.length;
const trainIdx = Array.from({ length: 45 }, (_, i) => i);
const testIdx = Array.from({ length: 15 }, (_, i) => 45 + i);
const train = { distances: block(data.distances, n, trainIdx, trainIdx), scores: trainIdx.map((i) => data.scores[i]) };

describe('predictor registry', () => {
  it('predictorNames lists the reference, two stronger predictors and a baseline', () => {
    expect(predictorNames).toEqual(expect.arrayContaining(['reference', 'knn', 'kernel-ridge', 'mean']));
    expect(predictorNames).toContain(defaultPredictorName);
  });

  it('getPredictor(unknown) throws listing available names', () => {
    expect(() => getPredictor('svm')).toThrow(/unknown predictor: svm; available: .*reference.*knn/);
    expect(() => getPredictor('toString')).toThrow(/unknown predictor/);
  });
});

describe.each(predictorNames.filter((name) => name !== 'mean'))('predictor %s', (name) => {
  const predictor = getPredictor(name);

  it(`${name}.fit(smooth synthetic data) predicts held-out models better than the training mean`, () => {
    const fitted = predictor.fit(train, { seed: 1 });
    const predicted = testIdx.map((i) => fitted.predict(rowAt(data.distances, n, i, trainIdx)));
    const actual = testIdx.map((i) => data.scores[i]);
    const meanScore = train.scores.reduce((s, v) => s + v, 0) / train.scores.length;
    const maeModel = meanAbsoluteError(predicted, actual);
    const maeMean = meanAbsoluteError(
      actual.map(() => meanScore),
      actual,
    );
    expect(maeModel).toBeLessThan(maeMean);
    predicted.forEach((y) => expect(y >= 0 && y <= 1).toBe(true));
  });
});

describe.each(predictorNames)('predictor %s contract', (name) => {
  const predictor = getPredictor(name);

  it(`${name}.fit(train, { seed }) is deterministic for a seed and never mutates its input`, () => {
    const copy = Float64Array.from(train.distances);
    const query = rowAt(data.distances, n, testIdx[0], trainIdx);
    const a = predictor.fit(train, { seed: 5 }).predict(query);
    const b = getPredictor(name).fit(train, { seed: 5 }).predict(query);
    expect(a).toBe(b);
    expect(train.distances).toEqual(copy);
  });

  const bad: [string, () => unknown, RegExp][] = [
    [
      'fewer than 3 training models',
      () => predictor.fit({ distances: new Float64Array(4), scores: [0.1, 0.2] }),
      /at least 3 training models, got 2/,
    ],
    [
      'non-finite scores',
      () => predictor.fit({ ...train, scores: train.scores.map((s, i) => (i === 3 ? NaN : s)) }),
      /score 3 is NaN/,
    ],
    [
      'scores outside [0, 1]',
      () => predictor.fit({ ...train, scores: train.scores.map((s, i) => (i === 0 ? 1.5 : s)) }),
      /in \[0, 1\]/,
    ],
    [
      'mismatched sizes',
      () => predictor.fit({ distances: train.distances.subarray(1), scores: train.scores }),
      /must be 45 x 45/,
    ],
    [
      'negative distances',
      () =>
        predictor.fit({
          distances: Float64Array.from(train.distances, (d, i) => (i === 1 ? -1 : d)),
          scores: train.scores,
        }),
      /non-negative/,
    ],
    [
      'non-finite distances',
      () =>
        predictor.fit({
          distances: Float64Array.from(train.distances, (d, i) => (i === 1 ? Infinity : d)),
          scores: train.scores,
        }),
      /finite/,
    ],
    ['families of the wrong length', () => predictor.fit({ ...train, families: ['a'] }), /one entry per model/],
    [
      'a query of the wrong length',
      () => predictor.fit(train).predict([0.1, 0.2]),
      /need distances to all 45 training models, got 2/,
    ],
    ['a query with NaN', () => predictor.fit(train).predict(trainIdx.map(() => NaN)), /finite/],
  ];
  it.each(bad)(`${name} rejects %s`, (_case, run, message) => {
    expect(run).toThrow(message);
  });
});

describe('leaveOneFamilyOut on synthetic families', () => {
  const all = syntheticSet(48, { seed: 3, nFamilies: 12 });

  it.each(['knn', 'kernel-ridge'])('leaveOneFamilyOut(%s) beats the mean baseline on MAE', (name) => {
    const model = leaveOneFamilyOut(getPredictor(name), all);
    const baseline = leaveOneFamilyOut(getPredictor('mean'), all);
    expect(model.mae).toBeLessThan(baseline.mae);
    expect(model.pearson).toBeGreaterThan(0.5);
  });
});

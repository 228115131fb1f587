import {
  evaluatePredictor,
  fitWithInterval,
  leaveOneFamilyOut,
  pearson,
} from '../../../src/core/prediction/evaluation';
import { getPredictor } from '../../../src/core/prediction/registry';
import type { Predictor, TrainingSet } from '../../../src/core/prediction/types';
import { syntheticSet } from './synthetic';
import { createRandom, normal } from '../../../src/core/random';

/** Records every training set; predict() returns the id of the fit that produced it. */
function spyPredictor(): Predictor & { fits: TrainingSet[] } {
  const fits: TrainingSet[] = [];
  return {
    name: 'spy',
    fits,
    fit(train) {
      const id = fits.length;
      fits.push({ distances: Float64Array.from(train.distances), scores: [...train.scores] });
      return { predict: () => id };
    },
  };
}

describe('leaveOneFamilyOut', () => {
  // each model's score is unique, so a training set reveals exactly which models it holds
  const data = syntheticSet(30, { seed: 2, nFamilies: 6 });
  const scores = data.scores.map((_, i) => (i + 1) / 100);
  const all = { distances: data.distances, scores, families: data.families };

  it('leaveOneFamilyOut(spy) never trains on the held-out family', () => {
    const spy = spyPredictor();
    const { predicted } = leaveOneFamilyOut(spy, all);
    expect(spy.fits).toHaveLength(6);
    predicted.forEach((fitId, i) => {
      const heldOut = scores.filter((_, j) => all.families[j] === all.families[i]);
      const seen = spy.fits[fitId].scores;
      heldOut.forEach((s) => expect(seen).not.toContain(s));
      // ... and trains on everything else
      expect(seen).toHaveLength(30 - heldOut.length);
    });
  });

  it('leaveOneFamilyOut(knn) cannot copy an identical twin from the held-out family', () => {
    // every family is 3 identical models (distance 0) far from the others; 1-NN would be exact if it leaked
    const n = 12;
    const families = Array.from({ length: n }, (_, i) => `f${Math.floor(i / 3)}`);
    const distances = Float64Array.from({ length: n * n }, (_, k) =>
      families[Math.floor(k / n)] === families[k % n] ? 0 : 1 + ((Math.floor(k / n) + (k % n)) % 5) / 10,
    );
    const famScores = [0.1, 0.4, 0.6, 0.9];
    const result = leaveOneFamilyOut(getPredictor('knn'), {
      distances,
      scores: families.map((f) => famScores[+f.slice(1)]),
      families,
    });
    result.predicted.forEach((p, i) => expect(Math.abs(p - famScores[Math.floor(i / 3)])).toBeGreaterThan(0.05));
  });

  it('leaveOneFamilyOut(predictor, data, { seed }) is deterministic', () => {
    const a = leaveOneFamilyOut(getPredictor('reference'), all, { seed: 3 });
    const b = leaveOneFamilyOut(getPredictor('reference'), all, { seed: 3 });
    expect(a).toEqual(b);
  });

  it.each([
    ['a single family', { ...all, families: all.families.map(() => 'x') }, /at least 2 families/],
    ['families of the wrong length', { ...all, families: ['a', 'b'] }, /one entry per model/],
    [
      'a family leaving fewer than 3 models',
      { ...all, families: all.families.map((_, i) => (i < 28 ? 'big' : 'small')) },
      /at least 3 models outside each family; family "big" leaves 2/,
    ],
  ])('leaveOneFamilyOut rejects %s', (_case, input, message) => {
    expect(() => leaveOneFamilyOut(getPredictor('mean'), input)).toThrow(message);
  });
});

describe('evaluatePredictor', () => {
  const all = syntheticSet(60, { seed: 8, nFamilies: 15 });

  it('evaluatePredictor(knn) returns LOFO metrics and one interval per model', () => {
    const ev = evaluatePredictor(getPredictor('knn'), all, { level: 0.8 });
    const lofo = leaveOneFamilyOut(getPredictor('knn'), all);
    expect(ev.n).toBe(60);
    expect(ev.mae).toBeCloseTo(lofo.mae, 12);
    expect(ev.pearson).toBeCloseTo(pearson(lofo.predicted, all.scores), 12);
    expect(ev.points.map((p) => p.index)).toEqual(all.scores.map((_, i) => i));
    ev.points.forEach((p) => {
      expect(p.predicted).toBeCloseTo(lofo.predicted[p.index], 12);
      expect(0 <= p.low && p.low <= p.predicted && p.predicted <= p.high && p.high <= 1).toBe(true);
    });
    expect(ev.coverage).toBeGreaterThanOrEqual(0.65);
  });

  it("evaluatePredictor's interval for a family does not depend on that family's scores (nested calibration)", () => {
    const base = evaluatePredictor(getPredictor('kernel-ridge'), all);
    // change only family f3's scores drastically
    const scores = all.scores.map((s, i) => (all.families[i] === 'f3' ? 1 - s : s));
    const moved = evaluatePredictor(getPredictor('kernel-ridge'), { ...all, scores });
    base.points
      .filter((p) => all.families[p.index] === 'f3')
      .forEach((p) => {
        const q = moved.points[p.index];
        expect([q.predicted, q.low, q.high]).toEqual([p.predicted, p.low, p.high]);
      });
  });
});

describe('fitWithInterval', () => {
  it('fitWithInterval(knn, train) gives the point prediction of knn.fit and a finite interval around it', () => {
    const data = syntheticSet(40, { seed: 4, nFamilies: 10 });
    const n = 39;
    const idx = Array.from({ length: n }, (_, i) => i);
    const distances = Float64Array.from({ length: n * n }, (_, k) => data.distances[Math.floor(k / n) * 40 + (k % n)]);
    const train = { distances, scores: data.scores.slice(0, n), families: data.families.slice(0, n) };
    const calibrated = fitWithInterval(getPredictor('knn'), train, { level: 0.8 });
    const query = idx.map((j) => data.distances[39 * 40 + j]);
    const out = calibrated.predict(query);
    expect(out.value).toBe(getPredictor('knn').fit(train).predict(query));
    expect(Number.isFinite(calibrated.halfWidth)).toBe(true);
    expect(out.low).toBeLessThanOrEqual(out.value);
    expect(out.high).toBeGreaterThanOrEqual(out.value);
  });
});

describe('evaluatePredictor(..., { calibration: "cross" })', () => {
  it("gives the same point predictions as nested, with intervals from the other families' outer residuals", () => {
    const n = 60;
    const random = createRandom(4);
    const x = Array.from({ length: n }, () => normal(random));
    const distances = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) distances[i * n + j] = Math.abs(x[i] - x[j]);
    const scores = x.map((v) => 1 / (1 + Math.exp(-v)) + 0.05 * normal(random));
    const families = x.map((_, i) => `f${i % 10}`);
    const predictor = getPredictor('knn');
    const nested = evaluatePredictor(predictor, { distances, scores, families }, { calibration: 'nested' });
    const cross = evaluatePredictor(predictor, { distances, scores, families }, { calibration: 'cross' });
    expect(cross.calibration).toBe('cross');
    expect(cross.points.map((p) => p.predicted)).toEqual(nested.points.map((p) => p.predicted));
    expect(cross.mae).toBe(nested.mae);
    expect(Math.abs(cross.coverage - 0.8)).toBeLessThanOrEqual(0.15);
    expect(cross.points.some((p, i) => p.low !== nested.points[i].low)).toBe(true);
  });
});

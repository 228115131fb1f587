/**
 * The reference predictor against a scikit-learn 1.2.1 FastICA + numpy Adam oracle
 * (test/fixtures/prediction/make-fixtures.py; see its README for the command and versions).
 */
import oracle from '../../fixtures/prediction/reference-oracle.json';
import { fastIca } from '../../../src/core/prediction/fast-ica';
import { pearson } from '../../../src/core/prediction/evaluation';
import { createReferencePredictor } from '../../../src/core/prediction/reference';
import { block, rowAt } from './synthetic';

const n = oracle.nModels;
const distances = Float64Array.from(oracle.distances);
const trainBlock = block(distances, n, oracle.train, oracle.train);
const c = oracle.nComponents;
const p = oracle.train.length;

/** Column k of an (rows x cols) row-major matrix. */
function column(m: ArrayLike<number>, rows: number, cols: number, k: number): number[] {
  return Array.from({ length: rows }, (_, i) => m[i * cols + k]);
}

describe('fastIca', () => {
  const model = fastIca(trainBlock, p, p, { nComponents: c, wInit: oracle.wInit });

  it('fastIca(train block) converges like scikit-learn', () => {
    expect(model.converged).toBe(true);
    expect(model.nComponents).toBe(c);
    expect(Math.abs(model.nIter - oracle.ica.nIter)).toBeLessThanOrEqual(1);
    model.mean.forEach((v, f) => expect(v).toBeCloseTo(oracle.ica.mean[f], 12));
  });

  it('fastIca(train block) finds the same components up to sign and order', () => {
    // match each sklearn component (row of components_) to ours by absolute correlation
    const used = new Set<number>();
    for (let k = 0; k < c; k++) {
      const theirs = Array.from({ length: p }, (_, f) => oracle.ica.components[k * p + f]);
      let best = -1;
      let bestR = 0;
      for (let j = 0; j < c; j++) {
        const ours = Array.from(model.components.subarray(j * p, (j + 1) * p));
        const r = Math.abs(pearson(ours, theirs));
        if (r > bestR) {
          bestR = r;
          best = j;
        }
      }
      expect(bestR).toBeGreaterThan(0.9999);
      expect(used.has(best)).toBe(false);
      used.add(best);
      // sources agree too, including scale (arbitrary-variance whitening)
      const ours = column(model.sources, p, c, best);
      const theirsS = column(oracle.ica.sources, p, c, k);
      const sign = Math.sign(pearson(ours, theirsS));
      ours.forEach((v, i) => expect(sign * v).toBeCloseTo(theirsS[i], 6));
    }
  });
});

describe('createReferencePredictor', () => {
  const predictor = createReferencePredictor({
    wInit: oracle.wInit,
    init: { weights: Float64Array.from(oracle.init.weights), bias: oracle.init.bias },
  });
  const fitted = predictor.fit({ distances: trainBlock, scores: oracle.train.map((i) => oracle.scores[i]) });

  it('reference.fit(pinned init) trains the same sigmoid unit as the numpy Adam oracle', () => {
    fitted.unit.weights.forEach((w, j) => expect(Math.abs(w - oracle.unit.weights[j])).toBeLessThan(1e-6));
    expect(fitted.unit.bias).toBeCloseTo(oracle.unit.bias, 6);
  });

  it('reference.predict(test rows) is within 0.02 of the oracle (in fact within 1e-6)', () => {
    oracle.test.forEach((i, t) => {
      const y = fitted.predict(rowAt(distances, n, i, oracle.train));
      expect(Math.abs(y - oracle.predictedTest[t])).toBeLessThan(0.02);
      expect(Math.abs(y - oracle.predictedTest[t])).toBeLessThan(1e-6);
    });
  });
});

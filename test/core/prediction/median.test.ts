import { createRandom } from '../../../src/core/random';
import { kthSmallest, medianOffDiagonal } from '../../../src/core/prediction/types';

describe('medianOffDiagonal', () => {
  it.each([2, 3, 4, 7, 10])(
    'medianOffDiagonal of a random %i x %i matrix equals the sorted median of the upper triangle',
    (n) => {
      const random = createRandom(n);
      const d = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = random();
      const upper: number[] = [];
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upper.push(d[i * n + j]);
      upper.sort((a, b) => a - b);
      const m = upper.length >> 1;
      const expected = upper.length % 2 ? upper[m] : (upper[m - 1] + upper[m]) / 2;
      expect(medianOffDiagonal(d, n)).toBeCloseTo(expected, 15);
    },
  );
});

describe('kthSmallest', () => {
  it('kthSmallest(v, r) is the r-th smallest, ties included', () => {
    const values = [5, 1, 4, 1, 3, 9, 2, 6, 5, 3];
    const sorted = [...values].sort((a, b) => a - b);
    sorted.forEach((expected, r) => expect(kthSmallest(Float64Array.from(values), r)).toBe(expected));
  });
});

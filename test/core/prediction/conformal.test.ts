import { conformalInterval } from '../../../src/core/prediction/conformal';
import { createRandom, normal } from '../../../src/core/random';

describe('conformalInterval', () => {
  it('conformalInterval(residuals, level) is the ceil((n+1) level)-th smallest |residual|', () => {
    // n = 9, level 0.8: rank ceil(10 * 0.8) = 8 -> 8th smallest of 1..9 is 8
    const r = [1, -2, 3, -4, 5, -6, 7, -8, 9].map((x) => x / 10);
    expect(conformalInterval(r, 0.8)).toEqual({ lower: -0.8, upper: 0.8 });
    // n = 4, level 0.8: rank ceil(5 * 0.8) = 4 -> the largest
    expect(conformalInterval([0.1, 0.2, -0.3, 0.05], 0.8).upper).toBeCloseTo(0.3, 12);
  });

  it('conformalInterval(a level below 1 / (n + 1)) is the smallest |residual|, never NaN (issue 7)', () => {
    // ceil((n + 1) level) is 1 for every level in (0, 1/(n+1)]; rank 0 would read sorted[-1]
    for (const level of [1e-20, Number.MIN_VALUE, 1e-10, 0.1]) {
      expect(conformalInterval([0.3, -0.1, 0.2], level)).toEqual({ lower: -0.1, upper: 0.1 });
    }
  });

  it('conformalInterval(too few residuals) is unbounded rather than falsely narrow', () => {
    // n = 3, level 0.8: rank ceil(4 * 0.8) = 4 > 3
    expect(conformalInterval([0.1, 0.2, 0.3], 0.8)).toEqual({ lower: -Infinity, upper: Infinity });
    expect(conformalInterval([], 0.5).upper).toBe(Infinity);
  });

  it.each([
    [[0.1, NaN], 0.8, /residual 1 is NaN/],
    [[0.1, 0.2], 1, /level must be in \(0, 1\)/],
    [[0.1, 0.2], 0, /level must be in \(0, 1\)/],
  ])('conformalInterval(%p, %p) throws', (r, level, message) => {
    expect(() => conformalInterval(r as number[], level as number)).toThrow(message);
  });

  it.each([0.5, 0.8, 0.9])(
    'conformalInterval(level %p) covers exchangeable data at about the level, never much less',
    (level) => {
      // 2000 trials of 30 calibration residuals and one test residual, all i.i.d. heavy-ish tailed
      const random = createRandom(99);
      const draw = () => normal(random) * (1 + Math.abs(normal(random)));
      let covered = 0;
      const trials = 2000;
      for (let t = 0; t < trials; t++) {
        const calibration = Array.from({ length: 30 }, draw);
        const { lower, upper } = conformalInterval(calibration, level);
        const r = draw();
        if (r >= lower && r <= upper) covered++;
      }
      // exact marginal coverage is ceil(31 level)/31: 0.516, 0.806, 0.903; 3 binomial s.e. is ~0.035
      const expected = Math.ceil(31 * level) / 31;
      expect(Math.abs(covered / trials - expected)).toBeLessThan(0.035);
    },
  );
});

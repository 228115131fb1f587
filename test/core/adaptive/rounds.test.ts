import { PhyloInputError } from '../../../src/core/errors';
import { roundTargets } from '../../../src/core/adaptive/rounds';

it('doubles from the first round and ends on the full plan', () => {
  expect(roundTargets(4, 32)).toEqual([4, 8, 16, 32]);
  expect(roundTargets(8, 32)).toEqual([8, 16, 32]);
  expect(roundTargets(5, 32)).toEqual([5, 10, 20, 32]);
  expect(roundTargets(32, 32)).toEqual([32]);
  expect(roundTargets(1, 1)).toEqual([1]);
});

it('refuses a first round outside [1, N]', () => {
  expect(() => roundTargets(0, 32)).toThrow(PhyloInputError);
  expect(() => roundTargets(33, 32)).toThrow(PhyloInputError);
  expect(() => roundTargets(2.5, 32)).toThrow(PhyloInputError);
  expect(() => roundTargets(1, 0)).toThrow(PhyloInputError);
});

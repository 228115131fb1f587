import { PhyloInputError } from '../../../src/core/errors';
import { neighborJoining } from '../../../src/core/tree/neighbor-joining';
import { getTreeBuilder, treeMethodNames } from '../../../src/core/tree/registry';
import { upgma } from '../../../src/core/tree/upgma';

// An additive, non-ultrametric matrix (Saitou & Nei 1987, Fig. 2 style): NJ and UPGMA differ on it.
const NAMES = ['a', 'b', 'c', 'd'];
const D = Float64Array.from([0, 3, 14, 12, 3, 0, 13, 11, 14, 13, 0, 4, 12, 11, 4, 0]);

describe('getTreeBuilder', () => {
  it('treeMethodNames are the names the API offers', () => {
    expect(treeMethodNames).toEqual(['NJ', 'UPGMA']);
  });

  it.each([
    ['NJ', neighborJoining],
    ['UPGMA', upgma],
  ])('getTreeBuilder(%s) builds the same tree as the method itself', (name, method) => {
    expect(getTreeBuilder(name)(D, NAMES)).toEqual(method(D, NAMES));
  });

  it('getTreeBuilder(unknown) fails with the available names', () => {
    expect(() => getTreeBuilder('ML')).toThrow(PhyloInputError);
    expect(() => getTreeBuilder('ML')).toThrow('unknown tree method: ML; available: NJ, UPGMA');
    expect(() => getTreeBuilder('toString')).toThrow('unknown tree method');
  });
});

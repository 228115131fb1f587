import { formatPhylipDistances, PhyloInputError } from '../../../src/core';

describe('formatPhylipDistances', () => {
  it('formatPhylipDistances writes the strict layout when names fit in 10 characters', () => {
    const text = formatPhylipDistances(
      ['a', 'bee'],
      [
        [0, 0.5],
        [0.5, 0],
      ],
      3,
    );
    expect(text).toBe('    2\na           0.000  0.500\nbee         0.500  0.000\n');
  });

  it('formatPhylipDistances writes the relaxed layout for longer names, blanks as underscores', () => {
    const text = formatPhylipDistances(['gpt-4o mini 2024', 'b'], Float64Array.of(0, 1, 1, 0), 2);
    expect(text.split('\n')).toEqual(['    2', 'gpt-4o_mini_2024  0.00  1.00', 'b  1.00  0.00', '']);
  });

  it.each<[number[][], string]>([
    [
      [
        [0, 1],
        [2, 0],
      ],
      'symmetric',
    ],
    [
      [
        [0, -1],
        [-1, 0],
      ],
      'non-negative',
    ],
  ])('formatPhylipDistances rejects %j', (d, fragment) => {
    expect(() => formatPhylipDistances(['a', 'b'], d)).toThrow(PhyloInputError);
    expect(() => formatPhylipDistances(['a', 'b'], d)).toThrow(fragment);
  });
});

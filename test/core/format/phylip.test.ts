import { formatPhylipDistances, phylipNameTable, PhyloInputError } from '../../../src/core';

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

  it('formatPhylipDistances keeps the strict layout for longer names, with unique 10-character names', () => {
    const names = ['gpt-4o mini 2024', 'gpt-4o mini 2025', 'a b', 'a_b'];
    const d = Float64Array.from({ length: 16 }, (_, k) => (Math.floor(k / 4) === k % 4 ? 0 : 1));
    const rows = formatPhylipDistances(names, d, 2).split('\n').slice(1, 5);
    const short = rows.map((row) => row.slice(0, 10));
    expect(new Set(short).size).toBe(4);
    for (const row of rows) expect(row).toMatch(/^[!-~]{1,10} *  1?\.?\d/);
    for (const row of rows) expect(row.slice(10)).toMatch(/^  (0|1)\.00/);
    expect(phylipNameTable(names).map((entry) => entry.name)).toEqual(names);
    expect(phylipNameTable(names).map((entry) => entry.short)).toEqual(short.map((s) => s.trimEnd()));
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

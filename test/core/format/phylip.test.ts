import { formatPhylipDistances, phylipNameTable, PhyloInputError } from '../../../src/core';
import { phylipHeader, phylipRows } from '../../../src/core/format/phylip';

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

describe('phylipHeader and phylipRows (the same text, a block of rows at a time)', () => {
  it('phylipHeader + phylipRows over any row blocks equals formatPhylipDistances', () => {
    const names = ['gpt-4o mini 2024', 'gpt-4o mini 2025', 'a b', 'a_b', 'z'];
    const n = names.length;
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = (i * 7 + j * 3) / 11;
    const whole = formatPhylipDistances(names, d, 5);
    const short = phylipNameTable(names).map((e) => e.short);
    const row = (i: number) => d.subarray(i * n, (i + 1) * n);
    expect(phylipHeader(n) + phylipRows(short, row, 0, n, 5)).toBe(whole);
    expect(phylipHeader(n) + phylipRows(short, row, 0, 2, 5) + phylipRows(short, row, 2, n, 5)).toBe(whole);
  });
});

import { addCounts, countAlleles, frequencies, totalCount } from '../../../src/core';

describe('countAlleles', () => {
  it('countAlleles(G, probes) counts alleles per gene and leaves unprobed genes null', () => {
    const counts = countAlleles(3, [
      { gene: 0, text: ' Paris is' },
      { gene: 0, text: '\nParis!' },
      { gene: 0, text: 'London' },
      { gene: 2, text: '' },
    ]);
    expect(counts[0]).toEqual({ Pari: 2, Lond: 1 });
    expect(counts[1]).toBeNull();
    expect(counts[2]).toEqual({ '': 1 });
  });

  it.each([-1, 3, 1.5, NaN])('countAlleles rejects gene index %p', (gene) => {
    expect(() => countAlleles(3, [{ gene, text: 'x' }])).toThrow(RangeError);
  });

  it('addCounts adds incrementally into an existing table', () => {
    const counts = countAlleles(2, [{ gene: 1, text: 'abcd' }]);
    addCounts(counts, [
      { gene: 1, text: 'abcdef' },
      { gene: 0, text: 'xy' },
    ]);
    expect(counts).toEqual([{ xy: 1 }, { abcd: 2 }]);
  });

  it('countAlleles(G, probes, length) uses the given allele length', () => {
    expect(countAlleles(1, [{ gene: 0, text: 'abc' }], 1)[0]).toEqual({ a: 1 });
  });

  it('an allele named like an Object.prototype key is counted normally', () => {
    const counts = countAlleles(
      1,
      [
        { gene: 0, text: '__proto__' },
        { gene: 0, text: 'constructor' },
      ],
      11,
    );
    expect(Object.entries(counts[0] ?? {})).toEqual([
      ['__proto__', 1],
      ['constructor', 1],
    ]);
  });
});

describe('frequencies', () => {
  it('frequencies(counts) divides by the total and drops zero counts', () => {
    expect([...frequencies({ a: 3, b: 1, c: 0 })]).toEqual([
      ['a', 0.75],
      ['b', 0.25],
    ]);
    expect(frequencies(null).size).toBe(0);
    expect(totalCount({ a: 2, b: 5 })).toBe(7);
  });

  it.each([-1, NaN, Infinity])('totalCount rejects count %p', (count) => {
    expect(() => totalCount({ a: count })).toThrow(RangeError);
  });
});

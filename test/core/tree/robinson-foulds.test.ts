import { parseNewick, PhyloInputError, robinsonFoulds } from '../../../src/core';

describe('robinsonFoulds', () => {
  it.each([
    ['((a,b),(c,d),e);', '((a,b),(c,d),e);', 0, 4],
    ['((a,b),(c,d),e);', '((a,c),(b,d),e);', 4, 4],
    ['((a,b),c,(d,e));', '(((a,b),c),(d,e));', 0, 4], // rooted vs unrooted, same splits
    ['((a,b),(c,d),e);', '((b,a),(e,(d,c)));', 0, 4],
    ['(a,b,c,d);', '((a,b),(c,d));', 1, 1],
  ])('robinsonFoulds(%s, %s) = %d of max %d', (a, b, distance, max) => {
    const result = robinsonFoulds(parseNewick(a), parseNewick(b));
    expect(result.distance).toBe(distance);
    expect(result.max).toBe(max);
    expect(result.normalized).toBeCloseTo(max === 0 ? 0 : distance / max, 12);
  });

  it('robinsonFoulds handles more than 32 leaves (multi-word bitsets)', () => {
    const names = Array.from({ length: 70 }, (_, k) => `t${k}`);
    const ladder = (order: string[]) => parseNewick(order.reduce((acc, name) => `(${acc},${name})`) + ';');
    const a = ladder(names);
    expect(robinsonFoulds(a, a).distance).toBe(0);
    const swapped = [...names];
    [swapped[0], swapped[69]] = [swapped[69], swapped[0]];
    expect(robinsonFoulds(a, ladder(swapped)).distance).toBeGreaterThan(0);
  });

  it.each([
    ['(a,b,c);', '(a,b,d);', 'same leaf names'],
    ['(a,b,c);', '(a,b,c,d);', 'same leaf names'],
    ['(a,a,c);', '(a,b,c);', 'unique'],
  ])('robinsonFoulds(%s, %s) throws (%s)', (a, b, fragment) => {
    expect(() => robinsonFoulds(parseNewick(a), parseNewick(b))).toThrow(PhyloInputError);
    expect(() => robinsonFoulds(parseNewick(a), parseNewick(b))).toThrow(fragment);
  });
});

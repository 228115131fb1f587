import { alleleOf } from '../../../src/core';

// Expected values are what Python 3 gives for s.lstrip(' ').lstrip('\n')[:4].
describe('alleleOf', () => {
  it.each([
    ['hello world', 'hell'],
    ['', ''],
    ['   ', ''],
    ['\n\n', ''],
    ['  abc', 'abc'],
    ['\nabc', 'abc'],
    [' \n x', ' x'], // spaces, then newlines, then the space after the newline stays
    ['\n x', ' x'],
    ['\n \nx', ' \nx'], // one pass each: the second newline is not stripped
    ['\t abc', '\t ab'], // only U+0020 and U+000A are stripped
    ['\r\nabc', '\r\nab'],
    ['\u00a0abcd', '\u00a0abc'], // no-break space is not a space for lstrip(' ')
    ['😀😀😀😀😀', '😀😀😀😀'], // surrogate pairs count as one code point
    ['a😀bcd', 'a😀bc'],
    ['e\u0301tre', 'e\u0301tr'], // combining accent is its own code point
    ['🇫🇷🇩🇪', '🇫🇷🇩🇪'], // flags are two code points each
    ['👨\u200d👩\u200d👧', '👨\u200d👩\u200d'], // ZWJ family: man, ZWJ, woman, ZWJ (girl cut off)
    ['\ud800abc', '\ud800abc'], // a lone surrogate counts as one
  ])('alleleOf(%j) is %j', (text, expected) => {
    expect(alleleOf(text)).toBe(expected);
  });

  it('alleleOf(text, length) keeps `length` code points', () => {
    expect(alleleOf('  abcdef', 2)).toBe('ab');
    expect(alleleOf('😀😀😀', 0)).toBe('');
    expect(alleleOf('😀😀😀', 10)).toBe('😀😀😀');
  });

  it.each([-1, 1.5, NaN])('alleleOf(text, %p) throws a RangeError', (length) => {
    expect(() => alleleOf('abc', length)).toThrow(RangeError);
  });
});

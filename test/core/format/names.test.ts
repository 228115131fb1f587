import { newickLabels, nexusWord, phylipNames } from '../../../src/core/format/names';

const HOSTILE = ['a b', 'a_b', "it's", 'x(y):z', 'ünï ☃', 'semi;colon,comma', '[bracket]', '"dq"', '', 'plain'];

describe('newickLabels', () => {
  it('keeps names that ape::read.tree and Bio.Phylo read literally, and only those', () => {
    expect(newickLabels(['gpt-4o', 'a_b', 'ünï☃', 'x.y/z'])).toEqual(['gpt-4o', 'a_b', 'ünï☃', 'x.y/z']);
  });

  it('gives every hostile name a unique label free of blanks, quotes, brackets and Newick punctuation', () => {
    const labels = newickLabels(HOSTILE);
    expect(new Set(labels).size).toBe(HOSTILE.length);
    for (const label of labels) expect(label).toMatch(/^[^\s()[\]':;,"]+$/u);
    // a name that is already safe keeps its label; the one that would collide with it moves
    expect(labels[1]).toBe('a_b');
    expect(labels[0]).not.toBe('a_b');
    expect(labels[9]).toBe('plain');
  });

  it('is unique even when the names themselves repeat', () => {
    expect(new Set(newickLabels(['x', 'x', 'x y', 'x_y'])).size).toBe(4);
  });
});

describe('phylipNames', () => {
  it('fits every name in 10 printable ASCII characters without blanks, unique', () => {
    const names = [...HOSTILE, 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-08-06', 'llama 3.1 8b'];
    const short = phylipNames(names);
    expect(new Set(short).size).toBe(names.length);
    for (const name of short) expect(name).toMatch(/^[!-~]{1,10}$/);
    for (const name of short) expect(name).not.toMatch(/[()[\]':;,]/);
    expect(short[0]).not.toBe(short[1]); // 'a b' and 'a_b' no longer collide
  });

  it('keeps short safe names as they are', () => {
    expect(phylipNames(['bee', 'gpt-4o'])).toEqual(['bee', 'gpt-4o']);
  });

  it('drops an organisation prefix before cutting a long name', () => {
    expect(phylipNames(['meta-llama/llama-3-8b', 'simulated/gemma-2b', 'a/b'])).toEqual([
      'llama-3-8b',
      'gemma-2b',
      'a/b',
    ]);
  });

  it('transliterates accents before replacing what is left', () => {
    expect(phylipNames(['ünï'])).toEqual(['uni']);
  });
});

describe('nexusWord', () => {
  it('quotes NEXUS punctuation and blanks, doubling single quotes (NEXUS 1997, 3.2)', () => {
    expect(nexusWord('plain_1')).toBe('plain_1');
    expect(nexusWord('a b')).toBe("'a b'");
    expect(nexusWord("it's")).toBe("'it''s'");
    expect(nexusWord('gpt-4o')).toBe("'gpt-4o'");
  });
});

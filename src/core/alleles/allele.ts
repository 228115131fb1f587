/**
 * The PhyloLM allele rule: reduce one sampled completion ("probe") to its allele.
 *
 * Reference rule (Yax et al. 2024, released notebooks): Python
 * `s.lstrip(' ').lstrip('\n')[:4]`, i.e. strip all leading spaces, then all leading
 * newlines (one pass each, in that order, so " \n x" becomes " x"), then keep the first
 * `length` Unicode code points. Python string indices count code points, so a surrogate
 * pair (e.g. an emoji outside the BMP) counts as one character; combining marks count as
 * their own code points. The empty string is a valid allele.
 *
 * Complexity: O(k + length) for k leading spaces/newlines.
 *
 * @see Yax, Oudeyer, Palminteri. PhyloLM. arXiv 2404.04671 (ICLR 2025).
 */
export function alleleOf(text: string, length = 4): string {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`allele length must be a non-negative integer, got ${length}`);
  }
  let start = 0;
  // lstrip(' '): only U+0020, not tabs or other whitespace
  while (start < text.length && text.charCodeAt(start) === 0x20) start++;
  // then lstrip('\n'): only U+000A
  while (start < text.length && text.charCodeAt(start) === 0x0a) start++;
  return firstCodePoints(text, start, length);
}

/** First `count` code points of `text` from UTF-16 index `start` (lone surrogates count as one). */
function firstCodePoints(text: string, start: number, count: number): string {
  let end = start;
  for (let taken = 0; taken < count && end < text.length; taken++) {
    const unit = text.charCodeAt(end);
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const next = end + 1 < text.length ? text.charCodeAt(end + 1) : 0;
    end += isHigh && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return text.slice(start, end);
}

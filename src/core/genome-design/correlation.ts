/**
 * Spearman's rank correlation (Spearman 1904): Pearson's r of the ranks, ties given their mean
 * rank, so it is 1 whenever one list orders the pairs as the other does.
 *
 * Complexity: O(n log n).
 *
 * @see Spearman C. 1904. The proof and measurement of association between two things.
 *   Am J Psychol 15:72-101.
 */
import { pearson } from '../prediction/evaluation';

export { pearson };

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(ranks(x), ranks(y));
}

/** 1-based ranks, tied values sharing their mean rank. */
export function ranks(values: ArrayLike<number>): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    // positions start..end-1 hold equal values: each gets the mean of ranks start+1..end
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) out[order[k]] = rank;
    start = end;
  }
  return out;
}

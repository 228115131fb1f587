/**
 * Robinson-Foulds (symmetric difference) distance between two trees, both treated as
 * unrooted, with leaves matched by name.
 *
 * Each edge splits the leaves in two; a split is non-trivial when both sides have at
 * least two leaves. RF = |splits(A) \ splits(B)| + |splits(B) \ splits(A)|,
 * max = |splits(A)| + |splits(B)| (= 2(n - 3) for two binary trees) and
 * normalized = RF / max (0 when neither tree has a non-trivial split). A rooted tree's two
 * root edges give one split, counted once.
 *
 * Complexity: O(n^2 / 32) time and memory (one bitset per edge).
 *
 * @see Robinson DF, Foulds LR. 1981. Comparison of phylogenetic trees. Math Biosci 53:131-147.
 */
import { PhyloInputError } from '../errors';
import { leaves, postorder } from './traversal';
import type { Tree } from './tree';

export interface RobinsonFouldsResult {
  distance: number;
  max: number;
  normalized: number;
}

export function robinsonFoulds(a: Tree, b: Tree): RobinsonFouldsResult {
  const index = leafIndex(a);
  checkSameLeaves(index, b);
  const splitsA = new Set(nodeSplits(a, index).values());
  const splitsB = new Set(nodeSplits(b, index).values());
  let shared = 0;
  for (const key of splitsA) if (splitsB.has(key)) shared++;
  // RF = |A \ B| + |B \ A|
  const distance = splitsA.size + splitsB.size - 2 * shared;
  const max = splitsA.size + splitsB.size;
  return { distance, max, normalized: max === 0 ? 0 : distance / max };
}

/** Leaf name -> position, checking names are unique. */
export function leafIndex(tree: Tree): Map<string, number> {
  const index = new Map<string, number>();
  for (const leaf of leaves(tree)) {
    const name = leaf.name ?? '';
    if (index.has(name))
      throw new PhyloInputError(`leaf names must be unique to compare trees: "${name}" appears twice`);
    index.set(name, index.size);
  }
  return index;
}

export function checkSameLeaves(index: Map<string, number>, other: Tree): void {
  const names = leaves(other).map((leaf) => leaf.name ?? '');
  const missing = names.filter((name) => !index.has(name));
  if (missing.length > 0 || names.length !== index.size || new Set(names).size !== names.length) {
    throw new PhyloInputError(
      `trees must have the same leaf names: ${missing.length > 0 ? `"${missing[0]}" is only in the second tree` : 'leaf counts differ'}`,
    );
  }
}

/**
 * The non-trivial split each node's parent edge makes, as a key normalised to the side without
 * leaf 0, by node id. Leaves and the root have none; two nodes may share a key (a rooted tree's
 * two root edges).
 */
export function nodeSplits(tree: Tree, index: Map<string, number>): Map<number, string> {
  const n = index.size;
  const words = Math.ceil(n / 32);
  const below = new Map<number, Uint32Array>();
  const counts = new Map<number, number>();
  const result = new Map<number, string>();
  for (const id of postorder(tree)) {
    const node = tree.nodes[id];
    const bits = new Uint32Array(words);
    let count = 0;
    if (node.children.length === 0) {
      const k = index.get(node.name ?? '') as number;
      bits[k >>> 5] |= 1 << (k & 31);
      count = 1;
    }
    for (const child of node.children) {
      const childBits = below.get(child) as Uint32Array;
      for (let w = 0; w < words; w++) bits[w] |= childBits[w];
      count += counts.get(child) as number;
      below.delete(child);
    }
    below.set(id, bits);
    counts.set(id, count);
    if (id !== tree.root && count >= 2 && n - count >= 2) result.set(id, splitKey(bits, n));
  }
  return result;
}

function splitKey(bits: Uint32Array, n: number): string {
  const flip = (bits[0] & 1) === 1;
  const parts: string[] = [];
  for (let w = 0; w < bits.length; w++) {
    const validBits = w === bits.length - 1 && n % 32 !== 0 ? (1 << (n % 32)) - 1 : 0xffffffff;
    const word = (flip ? ~bits[w] & validBits : bits[w]) >>> 0;
    parts.push(word.toString(36));
  }
  return parts.join('.');
}

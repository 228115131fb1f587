/**
 * Bootstrap support for tree edges (Felsenstein 1985), with genes as the resampled characters:
 * each replicate draws G genes with replacement, recomputes the Nei matrix and the tree, and an
 * edge's support is the fraction of replicates whose tree has the same split. It answers "how
 * sure is this branch?", which the reference PhyloLM leaves open.
 *
 * Complexity: B x (one Nei matrix + one tree). Randomness is injected, so the same seed gives
 * the same supports.
 *
 * @see Felsenstein J. 1985. Confidence limits on phylogenies: an approach using the bootstrap.
 *   Evolution 39:783-791.
 */
import { PhyloInputError } from '../errors';
import { neiDistance, neiSimilarityMatrix } from '../genetics/nei';
import type { AlleleCounts } from '../genetics/population';
import type { Random } from '../random';
import { checkSameLeaves, leafIndex, nodeSplits } from './robinson-foulds';
import type { TreeBuilder } from './registry';
import type { Tree } from './tree';

/** The populations over G genes drawn with replacement (the same draw for every model). */
export function resampleGenes(pops: readonly AlleleCounts[], random: Random): AlleleCounts[] {
  const genes = pops.reduce((m, p) => Math.max(m, p.length), 0);
  const draw = Array.from({ length: genes }, () => Math.floor(random() * genes));
  return pops.map((pop) => draw.map((g) => pop[g] ?? null));
}

/** Fraction of `replicates` containing each node's split, by node id; null where a node has none. */
export function splitSupport(reference: Tree, replicates: readonly Tree[]): (number | null)[] {
  const index = leafIndex(reference);
  const counts = new Map<string, number>();
  for (const replicate of replicates) {
    checkSameLeaves(index, replicate);
    for (const key of new Set(nodeSplits(replicate, index).values())) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = nodeSplits(reference, index);
  return reference.nodes.map((node) => {
    const key = keys.get(node.id);
    return key === undefined ? null : (counts.get(key) ?? 0) / replicates.length;
  });
}

/**
 * Support of every edge of `reference` (built from `pops` by `build`) over `replicates`
 * bootstrap trees. `build` receives row-major distances and the names.
 */
export function bootstrapSupport(
  reference: Tree,
  pops: readonly AlleleCounts[],
  names: readonly string[],
  build: TreeBuilder,
  { replicates, random }: { replicates: number; random: Random },
): (number | null)[] {
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new PhyloInputError(`bootstrap replicates must be a positive integer, got ${replicates}`);
  }
  const trees: Tree[] = [];
  for (let b = 0; b < replicates; b++) {
    const similarity = neiSimilarityMatrix(resampleGenes(pops, random));
    // D = -ln(max(S, 1e-10)), as for the reference tree; a model that drew none of its genes
    // has S(A, A) = 0, but its distance to itself is still 0
    const distance = similarity.map(neiDistance);
    for (let i = 0; i < names.length; i++) distance[i * names.length + i] = 0;
    trees.push(build(distance, names));
  }
  return splitSupport(reference, trees);
}

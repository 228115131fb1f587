/**
 * Registry of tree-building methods, keyed by the names the API uses. Every method takes a
 * row-major distance matrix and the taxon names and returns a Tree, so the service and the
 * bootstrap call any of them alike. Unknown names fail loudly with the list of available ones.
 */
import { PhyloInputError } from '../errors';
import { neighborJoining } from './neighbor-joining';
import type { Tree } from './tree';
import { upgma } from './upgma';

export type TreeBuilder = (distance: Float64Array, names: readonly string[]) => Tree;

const builders = {
  /** neighbour joining (Saitou & Nei 1987), the reference, by RapidNJ's exact bounded search; unrooted */
  NJ: (distance, names) => neighborJoining(distance, names),
  /** average linkage (Sokal & Michener 1958); rooted, ultrametric */
  UPGMA: (distance, names) => upgma(distance, names),
} satisfies Record<string, TreeBuilder>;

export type TreeMethodName = keyof typeof builders;

export const treeMethodNames: readonly TreeMethodName[] = Object.freeze(Object.keys(builders) as TreeMethodName[]);

export function getTreeBuilder(name: string): TreeBuilder {
  if (!Object.prototype.hasOwnProperty.call(builders, name)) {
    throw new PhyloInputError(`unknown tree method: ${name}; available: ${treeMethodNames.join(', ')}`);
  }
  return builders[name as TreeMethodName];
}

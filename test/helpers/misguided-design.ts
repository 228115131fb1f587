/**
 * Issue 13, what must be true 3 on real data: a 13-gene design from the 52 genes of the
 * MisguidedAttention fixture (59 models), chosen on half of the families, and which family-level
 * splits of the full data's NJ tree over the other half it keeps, and what random subsets of the
 * same size keep (`misguidedRandomSubsets`). A family-level split is an edge
 * of the tree with models of one family only, at least two, on one side: a whole family (none is
 * whole in the full tree: with 3 samples per gene its families are not clades) or a group
 * within one. Used by test/core/genome-design/misguided-design.test.ts and the probing-cost bench.
 */
import { countAlleles, type AlleleCounts } from '../../src/core/genetics/population';
import { selectGenes } from '../../src/core/genome-design/select-genes';
import { createRandom, sampleIndices } from '../../src/core/random';
import { leaves, postorder } from '../../src/core/tree/traversal';
import type { Tree } from '../../src/core/tree/tree';
import { fixtureCompletions, fixtureGenes, fixtureModels } from './misguided-attention';
import { njTree } from './adaptive-zoo';

export interface MisguidedDesign {
  designFamilies: string[];
  heldOutFamilies: string[];
  /** the family-level splits of the full tree (a family and the models on the split's side), and whether the design keeps each */
  splits: { family: string; models: string[]; kept: boolean }[];
  /** held-out families (two members or more) that are a clade of the full tree */
  wholeFamilies: string[];
  genes: number[];
}

/**
 * The fixture split in design and held-out families, and the full data's tree over the held-out
 * ones; `swapped` exchanges the halves (the design families' own splits, for a search fitted to them).
 */
function misguidedHalves(swapped = false) {
  const genes = fixtureGenes();
  const geneIndex = new Map(genes.map((g, i) => [g.id, i]));
  const models = fixtureModels();
  const pops: AlleleCounts[] = models.map((m) => countAlleles(genes.length, fixtureCompletions(m, geneIndex)));
  // families by size (then name); every other one is held out, so both halves hold big and small ones
  const sizes = new Map<string, number>();
  for (const m of models) sizes.set(m.family, (sizes.get(m.family) ?? 0) + 1);
  const families = [...sizes.keys()].sort((a, b) => sizes.get(b)! - sizes.get(a)! || a.localeCompare(b));
  const heldOutFamilies = families.filter((_, i) => i % 2 === (swapped ? 0 : 1));
  const designFamilies = families.filter((_, i) => i % 2 === (swapped ? 1 : 0));
  const held = models.map((m) => heldOutFamilies.includes(m.family));
  const heldPops = pops.filter((_, i) => held[i]);
  const heldModels = models.filter((_, i) => held[i]);
  const names = heldModels.map((m) => m.name);
  const full = njTree(heldPops, names);
  const family = new Map(heldModels.map((m) => [m.name, m.family]));
  const sides = familySides(full, family);
  /** the family-level splits of the full tree that the tree on `chosen` genes keeps */
  const kept = (chosen: readonly number[]): boolean[] => {
    const small = njTree(
      heldPops.map((pop) => chosen.map((g) => pop[g])),
      names,
    );
    return sides.map((side) => hasSplit(small, new Set(side)));
  };
  return {
    geneCount: genes.length,
    designPops: pops.filter((_, i) => !held[i]),
    designFamilies,
    heldOutFamilies,
    heldModels,
    full,
    family,
    sides,
    kept,
  };
}

export function misguidedDesign(size = 13): MisguidedDesign {
  const halves = misguidedHalves();
  const design = selectGenes(halves.designPops, size);
  const kept = halves.kept(design.genes);
  const splits = halves.sides.map((side, k) => ({ family: halves.family.get(side[0])!, models: side, kept: kept[k] }));
  const wholeFamilies = halves.heldOutFamilies.filter((f) => {
    const members = new Set(halves.heldModels.filter((m) => m.family === f).map((m) => m.name));
    return members.size >= 2 && hasSplit(halves.full, members);
  });
  return {
    designFamilies: halves.designFamilies,
    heldOutFamilies: halves.heldOutFamilies,
    splits,
    wholeFamilies,
    genes: design.genes,
  };
}

/**
 * What `count` random subsets of `size` genes keep of the same family-level splits (seeded): the
 * mean and most kept, and the share keeping all of them, i.e. whether a design of that size could
 * keep every split at all.
 */
export function misguidedRandomSubsets(
  size: number,
  count: number,
  seed: number,
): { splits: number; mean: number; max: number; allKept: number } {
  const halves = misguidedHalves();
  const random = createRandom(seed);
  const kept = Array.from(
    { length: count },
    () => halves.kept(sampleIndices(random, halves.geneCount, size)).filter(Boolean).length,
  );
  return {
    splits: halves.sides.length,
    mean: kept.reduce((s, k) => s + k, 0) / count,
    max: Math.max(...kept),
    allKept: kept.filter((k) => k === halves.sides.length).length / count,
  };
}

/**
 * Whether the held-out splits are within reach of a 13-gene genome at all, and whether fitting
 * them on the design families transfers: a swap search (random restarts, one gene exchanged at a
 * time, kept when the count does not fall) over `size`-gene subsets,
 * - `inSample`: maximising the held-out splits kept, seeing the held-out models (the best any
 *   selection could do);
 * - `fitted`: maximising the design families' own family-level splits kept (what a design could
 *   aim for without the held-out models), and what each such subset keeps of the held-out ones.
 */
export function misguidedSplitSearch(
  size: number,
  restarts: number,
  seed: number,
): { splits: number; inSample: number; fitted: { designSplits: number; designKept: number; heldKept: number }[] } {
  const held = misguidedHalves();
  const design = misguidedHalves(true);
  const random = createRandom(seed);
  const count = (kept: boolean[]) => kept.filter(Boolean).length;
  const climb = (score: (genes: number[]) => number, stopAt: number) => {
    let genes = sampleIndices(random, held.geneCount, size);
    let best = score(genes);
    for (let step = 0; step < 600 && best < stopAt; step++) {
      const next = genes.slice();
      let gene: number;
      do gene = Math.floor(random() * held.geneCount);
      while (genes.includes(gene));
      next[Math.floor(random() * size)] = gene;
      const value = score(next);
      if (value >= best) [genes, best] = [next, value];
    }
    return { genes, best };
  };
  let inSample = 0;
  for (let r = 0; r < restarts && inSample < held.sides.length; r++) {
    inSample = Math.max(inSample, climb((g) => count(held.kept(g)), held.sides.length).best);
  }
  const fitted = Array.from({ length: restarts }, () => {
    const { genes, best } = climb((g) => count(design.kept(g)), design.sides.length);
    return { designSplits: design.sides.length, designKept: best, heldKept: count(held.kept(genes)) };
  });
  return { splits: held.sides.length, inSample, fitted };
}

/** Whether some edge of `tree` has exactly `members` on one side (as a node's leaves below it, or all but them). */
export function hasSplit(tree: Tree, members: ReadonlySet<string>): boolean {
  const all = leaves(tree).length;
  const below = new Map<number, string[]>();
  for (const id of postorder(tree)) {
    const node = tree.nodes[id];
    const names = node.children.length === 0 ? [node.name ?? ''] : node.children.flatMap((c) => below.get(c) ?? []);
    below.set(id, names);
    const inside = names.filter((n) => members.has(n)).length;
    if (inside === names.length && inside === members.size) return true;
    if (inside === 0 && names.length === all - members.size) return true;
  }
  return false;
}

/** The sides (as leaf names) of the edges of `tree` that hold two or more models of a single family. */
function familySides(tree: Tree, family: ReadonlyMap<string, string>): string[][] {
  const all = leaves(tree).map((l) => l.name ?? '');
  const below = new Map<number, string[]>();
  const sides: string[][] = [];
  for (const id of postorder(tree)) {
    const node = tree.nodes[id];
    const names = node.children.length === 0 ? [node.name ?? ''] : node.children.flatMap((c) => below.get(c) ?? []);
    below.set(id, names);
    const rest = all.filter((n) => !names.includes(n));
    for (const side of [names, rest]) {
      if (side.length >= 2 && side.length < all.length - 1 && new Set(side.map((n) => family.get(n))).size === 1) {
        sides.push([...side].sort());
      }
    }
  }
  // a rooted drawing may show one edge twice (both root edges): keep each side once
  return [...new Map(sides.map((s) => [s.join(','), s])).values()];
}

import { createRandom } from '../../../src/core/random';
import { bootstrapSupport, resampleGenes, splitSupport } from '../../../src/core/tree/bootstrap';
import { neighborJoining } from '../../../src/core/tree/neighbor-joining';
import { parseNewick } from '../../../src/core/format/newick';
import { neiDistance, neiSimilarityMatrix, type AlleleCounts } from '../../../src/core';

/** Support by the sorted leaf names below each node, for readable expectations. */
function supportByClade(tree: ReturnType<typeof parseNewick>, support: (number | null)[]): Record<string, number> {
  const below = (id: number): string[] =>
    tree.nodes[id].children.length === 0 ? [tree.nodes[id].name!] : tree.nodes[id].children.flatMap(below);
  const out: Record<string, number> = {};
  support.forEach((s, id) => {
    if (s !== null) out[below(id).sort().join(',')] = s;
  });
  return out;
}

describe('splitSupport', () => {
  it('splitSupport(t, replicates) is the fraction of replicates holding each split, null at leaves and root', () => {
    const reference = parseNewick('((a,b),(c,d),e);');
    const same = parseNewick('((b,a),(d,c),e);');
    const other = parseNewick('((a,c),(b,d),e);');
    const support = splitSupport(reference, [same, same, other, same]);
    expect(supportByClade(reference, support)).toEqual({ 'a,b': 0.75, 'c,d': 0.75 });
    expect(support[reference.root]).toBeNull();
  });

  it('splitSupport treats trees as unrooted: the same split seen from the other side counts', () => {
    const reference = parseNewick('((a,b),c,(d,e));');
    const rerooted = parseNewick('(a,b,(c,(d,e)));');
    expect(Object.values(supportByClade(reference, splitSupport(reference, [rerooted])))).toEqual([1, 1]);
  });
});

describe('resampleGenes', () => {
  it('resampleGenes draws G genes with replacement, the same draw for every model', () => {
    const pops: AlleleCounts[] = [
      [{ a: 1 }, { b: 1 }, { c: 1 }, { d: 1 }],
      [{ A: 1 }, { B: 1 }, { C: 1 }, { D: 1 }],
    ];
    const drawn = resampleGenes(pops, createRandom(3));
    expect(drawn.map((p) => p.length)).toEqual([4, 4]);
    const picked = drawn[0].map((g) => Object.keys(g!)[0]);
    expect(drawn[1].map((g) => Object.keys(g!)[0])).toEqual(picked.map((x) => x.toUpperCase()));
  });
});

describe('bootstrapSupport', () => {
  // Two clear clades: {a1,a2,a3} share alleles on most genes, {b1,b2,b3} on others.
  const genes = 40;
  const random = createRandom(1);
  const pop = (group: string): AlleleCounts =>
    Array.from({ length: genes }, (_, g) => {
      const counts: Record<string, number> = {};
      for (let s = 0; s < 16; s++) {
        const allele = random() < 0.7 ? `${group}${g % 5}` : `x${Math.floor(random() * 4)}`;
        counts[allele] = (counts[allele] ?? 0) + 1;
      }
      return counts;
    });
  const names = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
  const pops = names.map((n) => pop(n[0]));
  const distance = neiSimilarityMatrix(pops).map(neiDistance);
  const reference = neighborJoining(distance, names);

  it('bootstrapSupport gives a well-supported clade support near 1, and is the same for the same seed', () => {
    const run = () =>
      bootstrapSupport(reference, pops, names, (d, n) => neighborJoining(d, n), {
        replicates: 50,
        random: createRandom(9),
      });
    const support = run();
    const byClade = supportByClade(reference, support);
    const clade = byClade['a1,a2,a3'] ?? byClade['b1,b2,b3'];
    expect(clade).toBeGreaterThanOrEqual(0.9);
    expect(run()).toEqual(support);
  });

  it('bootstrapSupport refuses a replicate count that is not a positive integer', () => {
    expect(() =>
      bootstrapSupport(reference, pops, names, neighborJoining, { replicates: 0, random: createRandom(1) }),
    ).toThrow('positive integer');
  });
});

/**
 * NJ and UPGMA against outside programs, fixtures made by
 * test/fixtures/oracles/make-fixtures.sh (see its README for versions):
 * R ape::nj and phangorn::upgma (written with 15 significant digits), Biopython
 * DistanceTreeConstructor.nj (17 digits), PHYLIP neighbor UPGMA (5 decimals printed),
 * phangorn::midpoint of ape::nj (15 significant digits). The same programs run live on fresh
 * random input in trees.live.test.ts.
 */
import { existsSync } from 'node:fs';
import { formatNewick, midpointRoot, neighborJoining, parseNewick, robinsonFoulds, upgma } from '../../../src/core';
import { expectSameRooting, expectSameTree } from '../helpers/tree-compare';
import { fixturePath, listFixtures, readCsvMatrix, readText } from '../helpers/fixtures';

const matrices = listFixtures('trees', '.csv').map((file) => file.replace('.csv', ''));

describe('neighborJoining vs ape::nj and Biopython', () => {
  it.each(matrices)('%s: same topology and path lengths (1e-6) as ape::nj', (base) => {
    const { names, d } = readCsvMatrix(readText('trees', `${base}.csv`));
    expectSameTree(neighborJoining(d, names), parseNewick(readText('trees', `${base}.ape-nj.nwk`)), 1e-6);
  });

  it.each(matrices)('%s: same topology as Biopython nj (and its lengths, which it does not clamp)', (base) => {
    const { names, d } = readCsvMatrix(readText('trees', `${base}.csv`));
    const theirs = parseNewick(readText('trees', `${base}.biopython-nj.nwk`));
    expect(robinsonFoulds(neighborJoining(d, names), theirs).distance).toBe(0);
    expectSameTree(neighborJoining(d, names), theirs, 1e-6);
  });
});

describe('upgma vs phangorn::upgma and PHYLIP neighbor', () => {
  it.each(matrices)('%s: same topology and path lengths (1e-6) as phangorn::upgma', (base) => {
    const { names, d } = readCsvMatrix(readText('trees', `${base}.csv`));
    expectSameTree(upgma(d, names), parseNewick(readText('trees', `${base}.phangorn-upgma.nwk`)), 1e-6);
  });

  const phylip = matrices.filter((base) => existsSync(fixturePath('trees', `${base}.phylip-upgma.nwk`)));
  // neighbor prints 5 decimals per edge; a path sums up to ~20 rounded edges
  it.each(phylip)('%s: same topology as PHYLIP neighbor UPGMA, path lengths within 1e-4', (base) => {
    const { names, d } = readCsvMatrix(readText('trees', `${base}.csv`));
    expectSameTree(upgma(d, names), parseNewick(readText('trees', `${base}.phylip-upgma.nwk`)), 1e-4);
  });

  it('our Newick output reads back in the same tree (sanity for the fixtures path)', () => {
    const { names, d } = readCsvMatrix(readText('trees', `${matrices[0]}.csv`));
    expectSameTree(parseNewick(formatNewick(upgma(d, names))), upgma(d, names), 0);
  });
});

describe('midpointRoot(neighborJoining) vs phangorn::midpoint(ape::nj)', () => {
  it.each(matrices)('%s: the same root and root-to-leaf lengths (1e-6)', (base) => {
    const { names, d } = readCsvMatrix(readText('trees', `${base}.csv`));
    const theirs = parseNewick(readText('trees', `${base}.phangorn-midpoint-nj.nwk`));
    expectSameRooting(midpointRoot(neighborJoining(d, names)), theirs, 1e-6);
  });
});

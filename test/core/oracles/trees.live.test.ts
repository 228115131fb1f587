/**
 * NJ and midpoint rooting against R run live on a fresh random matrix (the seed is in the test
 * names), beyond the committed fixtures of trees.oracle.test.ts. R starts twice in all (it is
 * slow to start, phangorn slower to load): once to see which packages load, once for both trees.
 * Each test skips when Rscript or its package (ape; phangorn for the midpoint) is missing.
 */
import { spawnSync } from 'node:child_process';
import { midpointRoot, neighborJoining, parseNewick } from '../../../src/core';
import { expectSameRooting, expectSameTree } from '../helpers/tree-compare';
import { randomMatrix } from '../helpers/fixtures';
import { createRandom } from '../../../src/core/random';

/** Which of the packages load in R (none when Rscript is not installed). */
function rPackages(names: string[]): Set<string> {
  const run = spawnSync(
    'Rscript',
    ['-e', `cat(sapply(c(${names.map((n) => JSON.stringify(n)).join(', ')}), requireNamespace, quietly = TRUE))`],
    { encoding: 'utf8' },
  );
  if (run.error || run.status !== 0) return new Set();
  const loaded = run.stdout.trim().split(/\s+/);
  return new Set(names.filter((_, k) => loaded[k] === 'TRUE'));
}

const available = rPackages(['ape', 'phangorn']);
const hasApe = available.has('ape');
const hasPhangorn = hasApe && available.has('phangorn');

describe('trees vs R, live', () => {
  const seed = Date.now() % 100000;
  const d = randomMatrix(30, createRandom(seed));
  const names = d.map((_, k) => `s${k}`);
  /** R's answers, one Newick per line: ape::nj, then phangorn::midpoint of it when phangorn loads */
  let theirs: string[] = [];

  beforeAll(() => {
    if (!hasApe) return;
    const rNames = `c(${names.map((name) => JSON.stringify(name)).join(', ')})`;
    const script = [
      `suppressPackageStartupMessages({ library(ape)${hasPhangorn ? '; library(phangorn)' : ''} })`,
      'x <- scan(file("stdin"), quiet = TRUE)',
      `m <- matrix(x, ${d.length}, byrow = TRUE, dimnames = list(${rNames}, ${rNames}))`,
      'tree <- nj(as.dist(m))',
      'cat(write.tree(tree, digits = 15), "\\n")',
      hasPhangorn ? 'cat(write.tree(midpoint(tree), digits = 15), "\\n")' : '',
    ].join('\n');
    const run = spawnSync('Rscript', ['-e', script], {
      input: d.map((row) => row.map((v) => v.toPrecision(17)).join(' ')).join('\n'),
      encoding: 'utf8',
    });
    // the status with R's own message, so a failure says why
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    theirs = run.stdout.trim().split('\n');
  });

  (hasApe ? it : it.skip)(`a fresh random matrix (seed ${seed}) gives the same NJ tree as ape::nj`, () => {
    expectSameTree(neighborJoining(d, names), parseNewick(theirs[0].trim()), 1e-6);
  });

  (hasPhangorn ? it : it.skip)(`the same matrix (seed ${seed}) gets the same midpoint root as phangorn`, () => {
    expectSameRooting(midpointRoot(neighborJoining(d, names)), parseNewick(theirs[1].trim()), 1e-6);
  });
});

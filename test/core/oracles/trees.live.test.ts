/**
 * NJ and midpoint rooting against R run live on a fresh random matrix (the seed is in the test
 * name), beyond the committed fixtures of trees.oracle.test.ts. Skips when Rscript with ape
 * (and phangorn, for the midpoint) is not installed.
 */
import { spawnSync } from 'node:child_process';
import { midpointRoot, neighborJoining, parseNewick } from '../../../src/core';
import { expectSameRooting, expectSameTree } from '../helpers/tree-compare';
import { hasCommand, mulberry32, randomMatrix } from '../helpers/fixtures';

const hasApe = hasCommand('Rscript', ['-e', 'library(ape)']);
const hasPhangorn = hasApe && hasCommand('Rscript', ['-e', 'library(phangorn)']);

/** Runs `body` in R with `libraries` loaded and the matrix `d` (named s0, s1, ...) as `m`; returns stdout. */
function runR(d: number[][], libraries: string[], body: string): string {
  const names = d.map((_, k) => `s${k}`);
  const rNames = `c(${names.map((name) => JSON.stringify(name)).join(', ')})`;
  const script = [
    `suppressPackageStartupMessages({ ${libraries.map((name) => `library(${name})`).join('; ')} })`,
    'x <- scan(file("stdin"), quiet = TRUE)',
    `m <- matrix(x, ${d.length}, byrow = TRUE, dimnames = list(${rNames}, ${rNames}))`,
    body,
  ].join('\n');
  const run = spawnSync('Rscript', ['-e', script], {
    input: d.map((row) => row.map((v) => v.toPrecision(17)).join(' ')).join('\n'),
    encoding: 'utf8',
  });
  // the status with R's own message, so a failure says why
  expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
  return run.stdout;
}

describe('trees vs R, live', () => {
  const seed = Date.now() % 100000;
  const d = randomMatrix(30, mulberry32(seed));
  const names = d.map((_, k) => `s${k}`);

  (hasApe ? it : it.skip)(`a fresh random matrix (seed ${seed}) gives the same NJ tree as ape::nj`, () => {
    const theirs = parseNewick(runR(d, ['ape'], 'cat(write.tree(nj(as.dist(m)), digits = 15))'));
    expectSameTree(neighborJoining(d, names), theirs, 1e-6);
  });

  (hasPhangorn ? it : it.skip)(`the same matrix (seed ${seed}) gets the same midpoint root as phangorn`, () => {
    const theirs = parseNewick(runR(d, ['ape', 'phangorn'], 'cat(write.tree(midpoint(nj(as.dist(m))), digits = 15))'));
    expectSameRooting(midpointRoot(neighborJoining(d, names)), theirs, 1e-6);
  });
});

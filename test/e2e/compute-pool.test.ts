/**
 * The worker pool (src/compute/pool.ts, the compiled worker from dist/) gives the same answers
 * as the inline path for every task of the core's table, returns matrices in shared memory, and
 * turns a core input error back into a PhyloInputError (which the services map to BAD_USER_INPUT).
 */
import { PhyloInputError } from '../../src/core/errors';
import { countAlleles } from '../../src/core/genetics/population';
import { createRandom } from '../../src/core/random';
import { populationsJson } from '../../src/core/tasks';
import { createWorkerPool } from '../../src/compute/pool';
import { blockedSimilarity } from '../../src/services/blocked-similarity';
import { inlineCompute, type Compute } from '../../src/services/compute';
import { dataOf, startTestApp } from '../helpers/app';

const GENES = 12;
const random = createRandom(3);
const populations = Array.from({ length: 15 }, (_, m) =>
  JSON.stringify(
    countAlleles(
      GENES,
      Array.from({ length: GENES * 6 }, (_, k) => ({
        gene: k % GENES,
        text: `${Math.floor(random() * (2 + (m % 3)))}abc`,
      })),
    ),
  ),
);
const names = populations.map((_, i) => `m${i}`);
const rows = populationsJson(populations);

let pool: Compute;
const inline = inlineCompute();

beforeAll(() => {
  pool = createWorkerPool(2);
});
afterAll(() => pool.close());

it('computes the same matrix, tree with bootstrap, prediction, evaluation, recounts and coverage as the inline path', async () => {
  const [s, t] = [
    await pool.run('similarity', { populations: rows }),
    await inline.run('similarity', { populations: rows }),
  ];
  // shared memory (toString: the array comes from outside the test sandbox's realm)
  expect(Object.prototype.toString.call(s.buffer)).toBe('[object SharedArrayBuffer]');
  expect([...s]).toEqual([...t]);
  const tree = { similarity: s, names, method: 'NJ' as const, rooting: { kind: 'MIDPOINT' as const } };
  const bootstrap = { replicates: 10, seed: 1, populations: rows };
  expect(await pool.run('tree', { ...tree, bootstrap })).toEqual(await inline.run('tree', { ...tree, bootstrap }));
  const scored = {
    similarity: s,
    size: 15,
    index: names.slice(1).map((_, i) => i + 1),
    scores: names.slice(1).map((_, i) => ((i * 7919) % 13) / 13),
    families: names.slice(1).map((_, i) => 'abcd'[i % 4]),
    method: 'knn',
    level: 0.8,
    seed: 0,
  };
  expect(await pool.run('predict', { ...scored, at: 0 })).toEqual(await inline.run('predict', { ...scored, at: 0 }));
  const evaluation = { ...scored, calibration: 'nested' as const };
  expect(await pool.run('evaluate', evaluation)).toEqual(await inline.run('evaluate', evaluation));
  const recount = { geneCount: 2, alleleLength: 2, genes: [0, 0, 1], texts: ['abcd', 'abzz', 'xy'] };
  expect(JSON.parse(await pool.run('recount', recount))).toEqual([{ ab: 2 }, { xy: 1 }]);
  const lengths = { geneCount: 2, alleleLengths: [2, 3], genes: [0, 0, 1], texts: ['abcd', 'abzz', 'xy'] };
  expect((await pool.run('recountLengths', lengths)).map((json) => JSON.parse(json))).toEqual([
    [{ ab: 2 }, { xy: 1 }],
    [{ abc: 1, abz: 1 }, { xy: 1 }],
  ]);
  const coverage = await pool.run('coverage', { populations: rows });
  expect({ genes: coverage.genes, perGene: [...coverage.perGene] }).toEqual({
    genes: GENES,
    perGene: Array.from({ length: 15 * GENES }, () => 6),
  });
});

it('fills one shared matrix from several threads with the blocked product, equal to the inline matrix', async () => {
  const s = await blockedSimilarity(pool, rows);
  const t = await inline.run('similarity', { populations: rows });
  expect(Object.prototype.toString.call(s.buffer)).toBe('[object SharedArrayBuffer]');
  expect(s.length).toBe(t.length);
  for (let k = 0; k < t.length; k++) expect(Math.abs(s[k] - t[k])).toBeLessThanOrEqual(1e-12);
});

it('gives a core input error back as a PhyloInputError with its message', async () => {
  const similarity = await pool.run('similarity', { populations: rows });
  const outgroup = {
    similarity,
    names,
    method: 'NJ' as const,
    rooting: { kind: 'OUTGROUP' as const, outgroup: 'nobody' },
  };
  const error = await pool.run('tree', outgroup).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PhyloInputError);
  expect((error as Error).message).toBe(
    ((await inline.run('tree', outgroup).catch((e: unknown) => e)) as Error).message,
  );
});

it('over HTTP, eight identical concurrent tree queries share one matrix and one tree in the pool', async () => {
  const app = await startTestApp({ workers: 2 });
  try {
    const s = app.services;
    expect(s.compute.workers).toBe(2);
    const genome = String((await s.genomes.create({ name: 'g', genes: names.map((_, g) => `gene ${g}`) })).id);
    for (let m = 0; m < 12; m++) {
      const model = await s.models.register({ name: `model-${m}`, provider: 'external' });
      const completions = Array.from({ length: 15 * 5 }, (_, k) => ({
        gene: k % 15,
        text: ` ${(k * (m + 2)) % (m + 3)}${m % 4} x`,
      }));
      await s.samples.importCompletions({ model: String(model.id), genome, completions });
    }
    const before = s.compute.stats();
    const query = `query ($g: ID!) { tree(genome: $g, bootstrap: 10) { newick } }`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => app.gql(query, { g: genome })));
    expect(new Set(answers.map((a) => dataOf<any>(a).tree.newick)).size).toBe(1);
    const after = s.compute.stats();
    expect(after.similarity.runs - before.similarity.runs).toBe(1);
    expect(after.tree.runs - before.tree.runs).toBe(1);
  } finally {
    await app.stopAndClean();
  }
});

import { countAlleles } from '../../src/core/genetics/population';
import { neiSimilarityMatrix } from '../../src/core/genetics/nei';
import { createRandom } from '../../src/core/random';
import { populationsJson } from '../../src/core/tasks';
import { BLOCKED_MIN_MODELS, blockedSimilarity, worthBlocking } from '../../src/services/blocked-similarity';
import { inlineCompute, type Compute, type TaskName } from '../../src/services/compute';

const GENES = 9;
const random = createRandom(17);
const counts = Array.from({ length: 70 }, (_, m) =>
  countAlleles(
    GENES,
    Array.from({ length: GENES * 8 }, (_, k) => ({
      gene: (k + m) % (m % 5 === 0 ? GENES - 2 : GENES),
      text: random() < 0.85 ? `${Math.floor(random() * 4)}abc` : `rare${Math.floor(random() * 50)}`,
    })),
  ),
);
const populations = populationsJson(counts.map((c) => JSON.stringify(c)));

/** An inline compute that says it has `workers` threads and records the tasks run. */
function recording(workers: number): Compute & { runs: TaskName[] } {
  const inline = inlineCompute();
  const runs: TaskName[] = [];
  return { ...inline, workers, runs, run: (task, input) => (runs.push(task), inline.run(task, input)) };
}

it('blockedSimilarity equals the single-task matrix within 1e-12, in shared memory', async () => {
  const compute = recording(2);
  const s = await blockedSimilarity(compute, populations);
  const reference = neiSimilarityMatrix(counts);
  expect(s.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(s.length).toBe(reference.length);
  for (let k = 0; k < s.length; k++) expect(Math.abs(s[k] - reference[k])).toBeLessThanOrEqual(1e-12);
  // one layout, then row ranges for both threads to share
  expect(compute.runs[0]).toBe('similarityLayout');
  expect(compute.runs.filter((t) => t === 'similarityRows').length).toBeGreaterThanOrEqual(4);
});

it('blockedSimilarity keeps the known pairs exactly as given, filling shared known values in place', async () => {
  const n = counts.length;
  const known = new Float64Array(new SharedArrayBuffer(8 * n * n)).fill(NaN);
  known[1 * n + 2] = 0.25;
  known[2 * n + 1] = 0.25;
  const s = await blockedSimilarity(recording(1), populations, known);
  // no second n x n matrix: at 10,000 models that is 800 MB saved
  expect(s).toBe(known);
  expect(s[1 * n + 2]).toBe(0.25);
  expect(s[2 * n + 1]).toBe(0.25);
  expect(Math.abs(s[1 * n + 3] - neiSimilarityMatrix(counts)[1 * n + 3])).toBeLessThanOrEqual(1e-12);
  // a plain known array is copied from, not written
  const plain = Float64Array.from(known.fill(NaN));
  plain[3 * n + 4] = plain[4 * n + 3] = 0.5;
  const t = await blockedSimilarity(recording(1), populations, plain);
  expect(t).not.toBe(plain);
  expect([t[3 * n + 4], t[4 * n + 3], plain[1]]).toEqual([0.5, 0.5, NaN]);
  await expect(blockedSimilarity(recording(1), populations, new Float64Array(3))).rejects.toThrow(/n\*n/);
});

it('worthBlocking: only many models with most pairs unknown (one new row stays incremental)', () => {
  const n = BLOCKED_MIN_MODELS;
  expect(worthBlocking(n, (n * (n - 1)) / 2)).toBe(true);
  expect(worthBlocking(n - 1, ((n - 1) * (n - 2)) / 2)).toBe(false);
  expect(worthBlocking(n, n - 1)).toBe(false);
});

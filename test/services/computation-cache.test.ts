/**
 * The distance-matrix memory cache and one entry over its budget (issue 10): a 10,000-model
 * matrix (800 MB) is larger than the 256 MB kept in memory, so every request for it read it back
 * from the database. With room for one large entry (`PHYLOLM_LARGEST_MATRIX_BYTES`) it is served
 * from memory; without, from the store, as before. Scaled down: a budget of 1 KB.
 */
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { SqliteStore } from '../../src/db/sqlite-store';
import { float64Codec } from '../../src/services/codecs';
import { ComputationCache } from '../../src/services/computation-cache';
import { WriteBehind } from '../../src/services/write-behind';

async function askedTwice(largestBytes: number): Promise<{ reads: number; same: boolean }> {
  const database = openDatabase(':memory:');
  try {
    const store = new SqliteStore(database);
    const genome = await store.createGenome({ name: 'g', fingerprint: 'f', genes: ['a'] });
    const writes = new WriteBehind();
    const cache = new ComputationCache(store, 'm', float64Codec, writes, 1024, undefined, largestBytes);
    const matrix = Float64Array.from({ length: 512 }, (_, i) => Math.sqrt(i)); // 4 KB
    const made = { genomeId: genome.id, dependencies: [[1, 1]] as const, value: matrix, current: new Map() };
    await cache.getOrCompute('big', async () => made);
    await writes.flush();
    const reads = jest.spyOn(store, 'getComputation');
    const again = await cache.getOrCompute('big', () => Promise.reject(new Error('computed again')));
    return { reads: reads.mock.calls.length, same: again.every((v, i) => v === matrix[i]) };
  } finally {
    database.close();
  }
}

it('serves an entry over the memory budget from memory when one such entry is allowed', async () => {
  expect(await askedTwice(8 * 1024)).toEqual({ reads: 0, same: true });
});

it('reads it back from the store otherwise, or when it is larger than allowed', async () => {
  expect(await askedTwice(0)).toEqual({ reads: 1, same: true });
  expect(await askedTwice(2 * 1024)).toEqual({ reads: 1, same: true });
});

it('PHYLOLM_LARGEST_MATRIX_BYTES: 1 GiB unless set (a 10,000-model matrix is 800 MB), 0 for none', () => {
  expect(loadConfig({}).largestMatrixBytes).toBe(1024 ** 3);
  expect(loadConfig({ PHYLOLM_LARGEST_MATRIX_BYTES: '0' }).largestMatrixBytes).toBe(0);
  expect(() => loadConfig({ PHYLOLM_LARGEST_MATRIX_BYTES: '-1' })).toThrow(/PHYLOLM_LARGEST_MATRIX_BYTES/);
});

import { formatPhylipDistances, phylipNameTable } from '../../src/core';
import { distancesOf } from '../../src/core/tasks';
import type { SimilarityMatrix } from '../../src/services/distance.service';
import { binaryBlocks, phylipBlocks } from '../../src/services/matrix-files';

const n = 9;
const similarity = new Float64Array(n * n);
for (let i = 0; i < n; i++) {
  similarity[i * n + i] = 1;
  for (let j = i + 1; j < n; j++) similarity[i * n + j] = similarity[j * n + i] = ((i * 5 + j * 3) % 10) / 10;
}
const matrix = { modelIds: Array.from({ length: n }, (_, i) => 100 + i), similarity } as SimilarityMatrix;
const names = matrix.modelIds.map((id) => `model ${id} with a long name`);

it('phylipBlocks cut into small blocks joins up to the PHYLIP text of the whole matrix', () => {
  const blocks = [
    ...phylipBlocks(
      matrix,
      phylipNameTable(names).map((e) => e.short),
      7,
      200,
    ),
  ];
  expect(blocks.length).toBeGreaterThan(3);
  expect(blocks.join('')).toBe(formatPhylipDistances(names, distancesOf(similarity), 7));
});

it('binaryBlocks cut into small blocks join up to the header, the names and every value, little-endian', () => {
  const models = matrix.modelIds.map((id, i) => ({ id, name: names[i] }));
  const blocks = [...binaryBlocks(matrix, models, 'distance', 64, 100)];
  expect(blocks.length).toBeGreaterThan(3);
  const bytes = Buffer.concat(blocks);
  const start = 28 + bytes.readUInt32LE(24);
  expect(JSON.parse(bytes.subarray(28, start).toString())).toEqual(
    models.map((m) => ({ id: String(m.id), name: m.name })),
  );
  const d = distancesOf(similarity);
  for (let k = 0; k < n * n; k++) expect(bytes.readDoubleLE(start + 8 * k)).toBe(d[k] + 0);
  expect(bytes.byteLength).toBe(start + 8 * n * n);
});

import type { SimilarityMatrix } from '../../src/services/distance.service';
import { nearestNeighbors, thresholdPairs } from '../../src/services/matrix-pages';

/** 4 models; models 0 and 3 share no gene (S = 0 by convention, distance unknown). */
const S = [
  [1, 0.9, 0.5, 0],
  [0.9, 1, 0.5, 0.2],
  [0.5, 0.5, 1, 0.7],
  [0, 0.2, 0.7, 1],
];
const matrix = { modelIds: [10, 11, 12, 13], similarity: Float64Array.from(S.flat()) } as SimilarityMatrix;
const unknown: [number, number][] = [[0, 3]];

it('thresholdPairs leaves out pairs that share no gene, even when every distance is wanted', async () => {
  const page = await thresholdPairs(matrix, unknown, { maxDistance: 100 }, { first: 10 });
  expect(page.nodes.map((p) => [p.aIndex, p.bIndex])).toEqual([
    [0, 1],
    [0, 2],
    [1, 2],
    [1, 3],
    [2, 3],
  ]);
  expect(page.nodes[0]).toMatchObject({ aId: 10, bId: 11, similarity: 0.9, distance: -Math.log(0.9) });
});

it('nearestNeighbors leaves out pairs that share no gene and breaks ties by row order', () => {
  const [zero, , two] = nearestNeighbors(matrix, unknown, 3, 0, 4);
  expect(zero.neighbors.map((n) => n.index)).toEqual([1, 2]);
  // rows 0 and 1 are both at 0.5 from row 2: row order decides
  expect(nearestNeighbors(matrix, unknown, 2, 2, 1)[0].neighbors.map((n) => n.index)).toEqual([3, 0]);
  expect(two.neighbors.map((n) => n.modelId)).toEqual([13, 10, 11]);
});

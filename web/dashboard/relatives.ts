/** A model's nearest relatives: its row of the Nei distance matrix, smallest first (ties by name). */
export interface DistanceRows {
  models: { id: string; name: string }[];
  distance: number[][];
}

const RELATIVES = 5;

export function nearestRelatives(
  matrix: DistanceRows,
  modelId: string,
  count = RELATIVES,
): { id: string; name: string; distance: number }[] {
  const i = matrix.models.findIndex((m) => m.id === modelId);
  if (i < 0) return [];
  return matrix.models
    .map((m, j) => ({ id: m.id, name: m.name, distance: matrix.distance[i][j] }))
    .filter((m) => m.id !== modelId)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, count);
}

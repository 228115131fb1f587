/**
 * The Nei distance matrix as a heatmap, rows and columns in the tree's leaf order so that clades
 * show as dark blocks on the diagonal. Colours run through a d3-scale linear scale from pale to
 * dark blue over [0, the largest distance].
 */
import { scaleLinear } from 'd3-scale';
import { svg } from './dom';

export interface Matrix {
  models: { id: string; name: string }[];
  distance: number[][];
}

const CELL = 14;
const LABEL_ROOM = 190;

export function drawHeatmap(matrix: Matrix, order: readonly string[]): SVGSVGElement {
  const index = new Map(matrix.models.map((m, i) => [m.id, i]));
  const rows = order.filter((id) => index.has(id)).map((id) => index.get(id)!);
  const max = Math.max(1e-9, ...matrix.distance.flat().filter(Number.isFinite));
  const colour = scaleLinear<string>().domain([0, max]).range(['#f7fbff', '#08306b']).clamp(true);
  const n = rows.length;
  const root = svg('svg', {
    class: 'heatmap',
    viewBox: `0 0 ${LABEL_ROOM + n * CELL} ${n * CELL + 4}`,
    width: LABEL_ROOM + n * CELL,
    height: n * CELL + 4,
    role: 'img',
    'aria-label': 'distance heatmap in tree order',
  });
  rows.forEach((i, r) => {
    root.appendChild(
      svg(
        'text',
        { class: 'row-label', x: LABEL_ROOM - 4, y: r * CELL + CELL - 3, 'text-anchor': 'end' },
        matrix.models[i].name,
      ),
    );
    rows.forEach((j, c) => {
      const d = matrix.distance[i][j];
      root.appendChild(
        svg(
          'rect',
          { class: 'cell', x: LABEL_ROOM + c * CELL, y: r * CELL, width: CELL, height: CELL, fill: colour(d) },
          svg('title', {}, `${matrix.models[i].name} – ${matrix.models[j].name}: D = ${d.toFixed(4)}`),
        ),
      );
    });
  });
  return root;
}

/**
 * Draws a laid-out tree (tree-layout.ts) as SVG: rectangular (root at the left, elbow branches)
 * or radial (root at the centre, arcs then spokes). Leaves are coloured by family and carry
 * `data-model-id`; inner nodes show their bootstrap support in percent.
 */
import { svg } from './dom';
import type { PlacedNode, TreeLayout } from './tree-layout';

export type Shape = 'rectangular' | 'radial';

export interface TreeViewOptions {
  shape: Shape;
  colourOf: (family?: string | null) => string;
  onLeaf: (modelId: string) => void;
}

const ROW = 18;
const LABEL_ROOM = 200;

export function drawTree(layout: TreeLayout, options: TreeViewOptions): SVGSVGElement {
  return options.shape === 'radial' ? radial(layout, options) : rectangular(layout, options);
}

function rectangular(layout: TreeLayout, options: TreeViewOptions): SVGSVGElement {
  const width = 520;
  const height = Math.max(120, layout.leaves.length * ROW);
  const pad = 12;
  const x = (n: PlacedNode) => pad + n.depth * (width - pad * 2);
  const y = (n: PlacedNode) => pad + n.across * (height - pad * 2);
  const root = svg('svg', {
    class: 'tree',
    viewBox: `0 0 ${width + LABEL_ROOM} ${height}`,
    width: width + LABEL_ROOM,
    height,
    role: 'img',
    'aria-label': 'phylogenetic tree',
  });
  for (const node of layout.nodes) {
    if (!node.parent) continue;
    root.appendChild(svg('path', { class: 'branch', d: `M${x(node.parent)},${y(node.parent)}V${y(node)}H${x(node)}` }));
  }
  for (const node of layout.nodes) {
    if (node.data.model) root.appendChild(leaf(node, x(node), y(node), 'start', options));
    else if (node.data.support !== null && node.parent) {
      root.appendChild(
        svg(
          'text',
          { class: 'support', x: x(node) - 3, y: y(node) - 3, 'text-anchor': 'end' },
          Math.round(node.data.support * 100),
        ),
      );
    }
  }
  return root;
}

function radial(layout: TreeLayout, options: TreeViewOptions): SVGSVGElement {
  const radius = Math.max(160, layout.leaves.length * 7);
  const size = (radius + LABEL_ROOM) * 2;
  const c = size / 2;
  // leaves over 360° less one step, so the first and last do not touch
  const step = layout.leaves.length > 0 ? 1 / layout.leaves.length : 0;
  const angle = (n: PlacedNode) => n.across * (1 - step) * 2 * Math.PI;
  const r = (n: PlacedNode) => n.depth * radius;
  const point = (a: number, rr: number) => [c + rr * Math.cos(a), c + rr * Math.sin(a)];
  const root = svg('svg', {
    class: 'tree radial',
    viewBox: `0 0 ${size} ${size}`,
    width: size,
    height: size,
    role: 'img',
    'aria-label': 'phylogenetic tree (radial)',
  });
  for (const node of layout.nodes) {
    if (!node.parent) continue;
    const a0 = angle(node.parent);
    const a1 = angle(node);
    const rp = r(node.parent);
    const [sx, sy] = point(a0, rp);
    const [ex, ey] = point(a1, rp);
    const [lx, ly] = point(a1, r(node));
    const sweep = a1 > a0 ? 1 : 0;
    const large = Math.abs(a1 - a0) > Math.PI ? 1 : 0;
    root.appendChild(
      svg('path', { class: 'branch', d: `M${sx},${sy}A${rp},${rp} 0 ${large} ${sweep} ${ex},${ey}L${lx},${ly}` }),
    );
  }
  for (const node of layout.nodes) {
    const [px, py] = point(angle(node), r(node));
    if (node.data.model) {
      const a = angle(node);
      const flip = Math.cos(a) < 0;
      const g = leaf(node, px, py, flip ? 'end' : 'start', options);
      g.setAttribute('data-angle', String(a));
      root.appendChild(g);
    } else if (node.data.support !== null && node.parent) {
      root.appendChild(svg('text', { class: 'support', x: px + 3, y: py - 3 }, Math.round(node.data.support * 100)));
    }
  }
  return root;
}

function leaf(node: PlacedNode, x: number, y: number, anchor: 'start' | 'end', options: TreeViewOptions): SVGGElement {
  const model = node.data.model!;
  const dx = anchor === 'start' ? 7 : -7;
  const g = svg(
    'g',
    { class: 'leaf', 'data-model-id': model.id, tabindex: 0, role: 'button' },
    svg('title', {}, `${model.name}${model.family ? ` (${model.family})` : ''}`),
    svg('circle', { cx: x, cy: y, r: 4.5, fill: options.colourOf(model.family) }),
    svg('text', { x: x + dx, y: y + 4, 'text-anchor': anchor }, model.name),
  );
  g.addEventListener('click', () => options.onLeaf(model.id));
  g.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') options.onLeaf(model.id);
  });
  return g;
}

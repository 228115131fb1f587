/**
 * A tree drawn as a standalone SVG document (SVG 1.1), for `<img>`, for inlining in a page and
 * for other dashboards: rectangular or radial, phylogram (edge lengths to scale, with a scale
 * bar) or cladogram (topology only, leaves aligned). Layout: tree-layout.ts.
 *
 * What a page can rely on (docs/contract.md, "Tree SVG"):
 * - each leaf is `<g class="leaf family-<slug>" data-model-id="<id>" data-family="<family>"
 *   data-name="<model name>">` holding a circle and the name, so a script can make leaves clickable;
 * - leaves are coloured by family (a categorical palette, Tableau 10, in alphabetical order of the
 *   families present; grey without a family), with a legend (`class="legend"`);
 * - bootstrap supports, in percent, are written on the edge above each inner node
 *   (`class="support"`);
 * - neighbour joining can give negative branch lengths: they are drawn as 0 and a note says how
 *   many (`class="note"`).
 *
 * Everything from a model (names, families) is XML-escaped. Coordinates are rounded to 0.1 px.
 *
 * Complexity: O(nodes).
 */
import { type ExportTree, supportPercent } from './export-tree';
import { type BranchLengths, layoutTree, type NodePosition } from './tree-layout';

export type TreeShape = 'rectangular' | 'radial';

export interface TreeSvgOptions {
  shape?: TreeShape;
  lengths?: BranchLengths;
  /** width of a rectangular drawing, in px (its height follows the number of leaves) */
  width?: number;
  /** a title for the drawing (shown as a tooltip and read by screen readers) */
  title?: string;
}

/** Tableau 10 (Tableau Software; also d3.schemeTableau10): distinguishable, colour-blind aware. */
const PALETTE = [
  '#4e79a7',
  '#f28e2c',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc949',
  '#af7aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ab',
];
const NO_FAMILY_COLOUR = '#888888';
const ROW_HEIGHT = 18;
const MARGIN = 20;
/** a rough width of one character of the 12 px labels, to leave room for them */
const CHAR_WIDTH = 7;
const LEGEND_ROW = 16;
const STYLE =
  '.edge{fill:none;stroke:#555;stroke-width:1.2}' +
  '.leaf text,.legend text{font:12px sans-serif;fill:#222}' +
  '.leaf{cursor:pointer}' +
  '.support{font:10px sans-serif;fill:#666}' +
  '.note,.scale text{font:11px sans-serif;fill:#555}' +
  '.scale path{stroke:#555;fill:none}';

export function renderTreeSvg(exported: ExportTree, options: TreeSvgOptions = {}): string {
  const shape = options.shape ?? 'rectangular';
  const lengths = options.lengths ?? 'phylogram';
  const { tree, support, leaves } = exported;
  const layout = layoutTree(tree, lengths);
  const colours = familyColours(leaves.map((leaf) => leaf.family));
  const labelWidth = Math.max(...leaves.map((leaf) => [...leaf.name].length), 1) * CHAR_WIDTH + 12;
  const families = [...colours.keys()];
  const notes: string[] = [];
  if (layout.negativeLengths > 0) {
    const edges = layout.negativeLengths === 1 ? 'edge' : 'edges';
    notes.push(`${layout.negativeLengths} negative branch ${edges} (neighbour joining) drawn as 0`);
  }
  if (!tree.rooted) notes.push('unrooted tree: the root is only where the drawing starts');

  const geometry =
    shape === 'radial'
      ? radialGeometry(layout.leafCount, layout.maxDepth, labelWidth)
      : rectangularGeometry(layout.leafCount, layout.maxDepth, labelWidth, options.width ?? 960);
  const point = (p: NodePosition) => geometry.point(p.depth, p.order);

  const edges: string[] = [];
  const supports: string[] = [];
  for (const node of tree.nodes) {
    if (node.children.length > 0) {
      edges.push(
        `<path class="edge" d="${geometry.joint(
          layout.positions[node.id],
          node.children.map((c) => layout.positions[c]),
        )}"/>`,
      );
    }
    if (node.parent === null || node.id === tree.root) continue;
    const from = layout.positions[node.parent];
    const to = layout.positions[node.id];
    const [x1, y1] = geometry.point(from.depth, to.order);
    const [x2, y2] = point(to);
    edges.push(`<path class="edge" data-node="${node.id}" d="M${fmt(x1)},${fmt(y1)}L${fmt(x2)},${fmt(y2)}"/>`);
    const s = support[node.id];
    if (node.children.length > 0 && s !== null && s !== undefined) {
      supports.push(
        `<text class="support" x="${fmt((x1 + x2) / 2)}" y="${fmt((y1 + y2) / 2 - 3)}" text-anchor="middle">${supportPercent(s)}</text>`,
      );
    }
  }

  const leafMarks = tree.nodes
    .filter((node) => node.taxon !== null)
    .map((node) => {
      const leaf = leaves[node.taxon as number];
      const [x, y] = point(layout.positions[node.id]);
      const colour = colours.get(leaf.family ?? '') ?? NO_FAMILY_COLOUR;
      const label = geometry.label(x, y, layout.positions[node.id].order);
      const tooltip = leaf.family ? `${leaf.name} (${leaf.family})` : leaf.name;
      return (
        `<g class="leaf family-${slug(leaf.family)}" data-model-id="${leaf.modelId}" ` +
        `data-family="${escapeXml(leaf.family ?? '')}" data-name="${escapeXml(leaf.name)}">` +
        `<title>${escapeXml(tooltip)}</title>` +
        `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="3.5" fill="${colour}"/>` +
        `<text ${label} fill="${colour}">${escapeXml(leaf.name)}</text></g>`
      );
    });

  // below the drawing: the scale bar (phylograms), the legend, the notes
  let y = geometry.height + 4;
  const footer: string[] = [];
  if (lengths === 'phylogram' && layout.maxDepth > 0) {
    const unit = niceLength(layout.maxDepth / 5);
    const px = geometry.scale * unit;
    footer.push(
      `<g class="scale"><path d="M${MARGIN},${y + 6}h${fmt(px)}"/>` +
        `<text x="${fmt(MARGIN + px + 6)}" y="${y + 10}">${unit} (Nei distance)</text></g>`,
    );
    y += LEGEND_ROW;
  }
  const legend = families.map((family, k) => {
    const row = y + k * LEGEND_ROW;
    return (
      `<g class="family-${slug(family)}"><circle cx="${MARGIN + 4}" cy="${row + 6}" r="4" fill="${colours.get(family)}"/>` +
      `<text x="${MARGIN + 14}" y="${row + 10}">${escapeXml(family)}</text></g>`
    );
  });
  y += families.length * LEGEND_ROW;
  const noteMarks = notes.map(
    (note, k) => `<text class="note" x="${MARGIN}" y="${y + 10 + k * LEGEND_ROW}">${escapeXml(note)}</text>`,
  );
  y += notes.length * LEGEND_ROW + MARGIN / 2;

  const width = fmt(geometry.width);
  const height = fmt(y);
  const title = options.title ?? `${tree.rooted ? 'Rooted' : 'Unrooted'} tree of ${leaves.length} models`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `class="phylolm-tree" data-shape="${shape}" data-lengths="${lengths}" role="img">` +
    `<title>${escapeXml(title)}</title><style>${STYLE}</style>` +
    `<g class="edges">${edges.join('')}</g>` +
    `<g class="supports">${supports.join('')}</g>` +
    `<g class="leaves">${leafMarks.join('')}</g>` +
    footer.join('') +
    `<g class="legend">${legend.join('')}</g>` +
    `<g class="notes">${noteMarks.join('')}</g>` +
    '</svg>\n'
  );
}

/** Where things go for one shape: nodes, the joint of a node's children, a leaf's label. */
interface Geometry {
  width: number;
  /** bottom of the drawing, before the footer */
  height: number;
  /** px per unit of depth */
  scale: number;
  point(depth: number, order: number): [number, number];
  /** the path joining a node to the starts of its children's edges */
  joint(node: NodePosition, children: NodePosition[]): string;
  /** attributes of a leaf label at (x, y) */
  label(x: number, y: number, order: number): string;
}

function rectangularGeometry(leafCount: number, maxDepth: number, labelWidth: number, width: number): Geometry {
  const usable = Math.max(width - 2 * MARGIN - labelWidth, 100);
  const scale = maxDepth > 0 ? usable / maxDepth : 0;
  const point = (depth: number, order: number): [number, number] => [
    MARGIN + depth * scale,
    MARGIN + order * ROW_HEIGHT,
  ];
  return {
    width: Math.max(width, usable + 2 * MARGIN + labelWidth),
    height: MARGIN + Math.max(leafCount - 1, 0) * ROW_HEIGHT + MARGIN,
    scale,
    point,
    joint(node, children) {
      // the vertical line at the node's depth spanning its children
      const orders = children.map((c) => c.order);
      const [x, top] = point(node.depth, Math.min(...orders));
      const [, bottom] = point(node.depth, Math.max(...orders));
      return `M${fmt(x)},${fmt(top)}V${fmt(bottom)}`;
    },
    label: (x, y) => `x="${fmt(x + 7)}" y="${fmt(y + 4)}"`,
  };
}

function radialGeometry(leafCount: number, maxDepth: number, labelWidth: number): Geometry {
  const radius = Math.max(180, (leafCount * ROW_HEIGHT) / (2 * Math.PI));
  const centre = MARGIN + labelWidth + radius;
  const scale = maxDepth > 0 ? radius / maxDepth : 0;
  const angle = (order: number) => (2 * Math.PI * order) / Math.max(leafCount, 1);
  const point = (depth: number, order: number): [number, number] => [
    centre + depth * scale * Math.cos(angle(order)),
    centre + depth * scale * Math.sin(angle(order)),
  ];
  return {
    width: 2 * centre,
    height: 2 * centre,
    scale,
    point,
    joint(node, children) {
      // the arc at the node's radius spanning its children
      const orders = children.map((c) => c.order);
      const first = Math.min(...orders);
      const last = Math.max(...orders);
      const [x1, y1] = point(node.depth, first);
      const [x2, y2] = point(node.depth, last);
      const r = node.depth * scale;
      const large = angle(last) - angle(first) > Math.PI ? 1 : 0;
      return `M${fmt(x1)},${fmt(y1)}A${fmt(r)},${fmt(r)} 0 ${large} 1 ${fmt(x2)},${fmt(y2)}`;
    },
    label(x, y, order) {
      // outward along the radius, turned so that the text never reads upside down
      const degrees = (angle(order) * 180) / Math.PI;
      const flip = degrees > 90 && degrees < 270;
      const rotation = flip ? degrees - 180 : degrees;
      const dx = 7 * Math.cos(angle(order));
      const dy = 7 * Math.sin(angle(order));
      return (
        `x="${fmt(x + dx)}" y="${fmt(y + dy)}" dy="0.35em" text-anchor="${flip ? 'end' : 'start'}" ` +
        `transform="rotate(${fmt(rotation)} ${fmt(x + dx)} ${fmt(y + dy)})"`
      );
    },
  };
}

/** A colour per family present, in alphabetical order of the families. */
export function familyColours(families: readonly (string | null)[]): Map<string, string> {
  const present = [...new Set(families.filter((f): f is string => f !== null && f !== ''))].sort();
  return new Map(present.map((family, k) => [family, PALETTE[k % PALETTE.length]]));
}

/** A class-name-safe form of a family: lower case letters, digits and dashes ("none" for none). */
function slug(family: string | null): string {
  const s = (family ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return s || 'none';
}

/** 1, 2 or 5 times a power of ten, the largest not above `x`: a round scale-bar length. */
function niceLength(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  const step = [5, 2, 1].find((m) => m * power <= x) ?? 1;
  return Number((step * power).toPrecision(1));
}

/** Text safe in XML content and attributes; characters XML 1.0 forbids become U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The tree as the server draws it: the `Tree.svg` field (src/core/format/tree-svg.ts, the same
 * renderer as `/trees/<genome>.svg`), inserted as SVG and made clickable through its leaves'
 * `data-model-id`; and the leaf order, read from the `Tree.json` field (nested for d3-hierarchy,
 * children in drawing order), which the heatmap and the table follow.
 */
export interface D3TreeNode {
  name: string | null;
  length: number | null;
  support: number | null;
  modelId?: number;
  family?: string | null;
  children?: D3TreeNode[];
}

/** Model ids of the leaves in drawing order (depth first, children in order). */
export function leafOrder(root: D3TreeNode): string[] {
  const order: string[] = [];
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.modelId !== undefined) order.push(String(node.modelId));
    if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return order;
}

/** Edges with a negative length (neighbour joining can give them; the drawing shows them as 0). */
export function negativeLengths(root: D3TreeNode): number {
  let count = 0;
  const stack = [...(root.children ?? [])];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.length !== null && node.length < 0) count++;
    stack.push(...(node.children ?? []));
  }
  return count;
}

/** The server's SVG text as an element of this page, each leaf calling `onLeaf` when chosen. */
export function treeElement(svgText: string, onLeaf: (modelId: string) => void): SVGSVGElement {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = document.importNode(parsed.documentElement, true) as unknown as SVGSVGElement;
  root.classList.add('tree');
  for (const leaf of root.querySelectorAll<SVGGElement>('g.leaf[data-model-id]')) {
    const id = leaf.dataset.modelId!;
    leaf.setAttribute('tabindex', '0');
    leaf.setAttribute('role', 'button');
    leaf.addEventListener('click', () => onLeaf(id));
    leaf.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') onLeaf(id);
    });
  }
  return root;
}

/** Each leaf's colour in the drawing (by family), so the table and the panel use the same ones. */
export function leafColours(tree: SVGSVGElement): Map<string, string> {
  const colours = new Map<string, string>();
  for (const leaf of tree.querySelectorAll<SVGGElement>('g.leaf[data-model-id]')) {
    const fill = leaf.querySelector('circle')?.getAttribute('fill');
    if (fill) colours.set(leaf.dataset.modelId!, fill);
  }
  return colours;
}

/**
 * The tree as the server draws it: the `Tree.svg` field (src/core/format/tree-svg.ts, the same
 * renderer as `/trees/<genome>.svg`), inserted as SVG and made clickable through its leaves'
 * `data-model-id`.
 */
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

/**
 * What the dashboard reads from a tree's nested JSON (`Tree.json`, src/core/format/d3-json.ts:
 * children in drawing order): the leaves' order, which the heatmap and the table follow, and the
 * negative branch lengths the drawing shows as 0. No DOM here (unit-tested in node).
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

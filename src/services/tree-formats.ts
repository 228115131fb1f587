/**
 * A tree in the export formats (core/format): NEXUS, nested JSON for d3-hierarchy, SVG. Each is
 * written from the tree the tree service cached, in time linear in its size, so nothing is
 * recomputed; the Newick is on the view itself (`TreeView.newick`).
 */
import { d3Hierarchy, type D3TreeNode } from '../core/format/d3-json';
import { formatNexus } from '../core/format/nexus';
import type { BranchLengths } from '../core/format/tree-layout';
import { renderTreeSvg, type TreeShape } from '../core/format/tree-svg';
import type { TreeView } from './tree.service';

export type { BranchLengths, D3TreeNode, TreeShape };

export function treeNexus(view: TreeView): string {
  return formatNexus(view.exported);
}

export function treeJson(view: TreeView): D3TreeNode {
  return d3Hierarchy(view.exported);
}

export function treeSvg(view: TreeView, shape: TreeShape, lengths: BranchLengths): string {
  return renderTreeSvg(view.exported, { shape, lengths });
}

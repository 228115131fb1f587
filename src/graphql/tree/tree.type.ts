import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { TreeMethod as TreeMethodName, TreeNodeView, TreeView } from '../../services/tree.service';

export enum TreeMethod {
  NJ = 'NJ',
  UPGMA = 'UPGMA',
}
registerEnumType(TreeMethod, {
  name: 'TreeMethod',
  valuesConfig: {
    NJ: { description: 'neighbour joining (Saitou & Nei 1987), the reference; unrooted' },
    UPGMA: { description: 'average linkage (Sokal & Michener 1958); rooted, ultrametric' },
  },
});

export enum TreeRoot {
  NONE = 'NONE',
  MIDPOINT = 'MIDPOINT',
  OUTGROUP = 'OUTGROUP',
}
registerEnumType(TreeRoot, {
  name: 'TreeRoot',
  description: 'Where to draw the root of a tree: a choice for display, labelled as one (method.md, "Trees").',
  valuesConfig: {
    NONE: { description: "the method's own: none for NJ (unrooted), UPGMA's root" },
    MIDPOINT: { description: 'halfway along the longest leaf-to-leaf path (Farris 1972)' },
    OUTGROUP: { description: 'halfway along the edge above the `outgroup` model' },
  },
});

/** `model` is a field resolver (TreeNodeResolver) over `modelId`. */
@ObjectType()
export class TreeNode implements TreeNodeView {
  @Field(() => ID)
  id!: number;

  @Field(() => ID, { nullable: true })
  parent!: number | null;

  modelId!: number | null;

  @Field(() => Float, { nullable: true, description: 'length of the edge to the parent; null at the root' })
  branchLength!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'fraction of bootstrap trees with the split of this edge; null at leaves, at the root, or without bootstrap',
  })
  support!: number | null;
}

@ObjectType({ description: 'A phylogenetic tree of models.' })
export class Tree implements TreeView {
  @Field(() => TreeMethod)
  method!: TreeMethodName;

  @Field(() => Boolean, {
    description: 'false for NJ: the tree is unrooted and the root shown is only where it is drawn from',
  })
  rooted!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'what placed the root: "method" (UPGMA), "midpoint", "outgroup", or null when unrooted',
  })
  rootedBy!: TreeView['rootedBy'];

  @Field(() => String, {
    description:
      'Newick text, "[&R] " first when rooted; leaf names are model names made safe for ape::read.tree and ' +
      'Bio.Phylo (blanks, quotes and ( ) [ ] : ; , " become "_", a suffix keeps them unique), inner labels ' +
      'the bootstrap support in percent',
  })
  newick!: string;

  @Field(() => Int, { description: 'bootstrap replicates behind `support` (0: none)' })
  bootstrap!: number;

  @Field(() => [TreeNode])
  nodes!: TreeNode[];

  /** what `nexus`, `json` and `svg` are written from (TreeResolver) */
  exported!: TreeView['exported'];
}

export enum TreeShape {
  RECTANGULAR = 'rectangular',
  RADIAL = 'radial',
}
registerEnumType(TreeShape, {
  name: 'TreeShape',
  description: 'How a tree is drawn',
  valuesConfig: {
    RECTANGULAR: { description: 'root on the left, leaves in a column on the right' },
    RADIAL: { description: 'root in the centre, leaves on a circle' },
  },
});

export enum BranchLengths {
  PHYLOGRAM = 'phylogram',
  CLADOGRAM = 'cladogram',
}
registerEnumType(BranchLengths, {
  name: 'BranchLengths',
  description: 'What the edges of a drawn tree show',
  valuesConfig: {
    PHYLOGRAM: { description: 'edge lengths to scale (Nei distance), negative NJ lengths drawn as 0' },
    CLADOGRAM: { description: 'topology only, every leaf aligned' },
  },
});

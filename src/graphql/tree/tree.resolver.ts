import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { treeJson, treeNexus, treeSvg } from '../../services/tree-formats';
import type { Context } from '../context';
import { Model } from '../model/model.type';
import { TreeArgs } from './tree.args';
import { BranchLengths, Tree, TreeNode, TreeShape } from './tree.type';

@Resolver(() => Tree)
export class TreeResolver {
  @Query(() => Tree, { description: 'A tree over the Nei distances. Without `models`: every model with samples.' })
  tree(@Ctx() { services }: Context, @Args(() => TreeArgs) args: TreeArgs): Promise<Tree> {
    return services.trees.build(args);
  }

  @FieldResolver(() => String, {
    description: 'NEXUS text: a TAXA block and a TREES block whose TRANSLATE table names the taxa (as in `newick`)',
  })
  nexus(@Root() tree: Tree): string {
    return treeNexus(tree);
  }

  @FieldResolver(() => GraphQLJSONObject, {
    description:
      'the tree nested for d3.hierarchy: { name, length, support, modelId, family, children }; names as stored',
  })
  json(@Root() tree: Tree): object {
    return treeJson(tree);
  }

  @FieldResolver(() => String, {
    description:
      'the tree as an SVG document: leaves coloured by family with data-model-id attributes, bootstrap ' +
      'supports on edges, negative branch lengths drawn as 0 with a note',
  })
  svg(
    @Root() tree: Tree,
    @Arg('layout', () => TreeShape, { defaultValue: TreeShape.RECTANGULAR }) layout: TreeShape,
    @Arg('lengths', () => BranchLengths, { defaultValue: BranchLengths.PHYLOGRAM }) lengths: BranchLengths,
  ): string {
    return treeSvg(tree, layout, lengths);
  }
}

@Resolver(() => TreeNode)
export class TreeNodeResolver {
  @FieldResolver(() => Model, { nullable: true, description: 'the model at a leaf; null at inner nodes' })
  async model(@Root() node: TreeNode, @Ctx() { loaders }: Context): Promise<Model | null> {
    return node.modelId === null ? null : loaders.model.load(node.modelId);
  }
}

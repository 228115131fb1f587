import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Model } from '../model/model.type';
import { TreeArgs } from './tree.args';
import { Tree, TreeNode } from './tree.type';

@Resolver(() => Tree)
export class TreeResolver {
  @Query(() => Tree, { description: 'A tree over the Nei distances. Without `models`: every model with samples.' })
  tree(@Ctx() { services }: Context, @Args(() => TreeArgs) args: TreeArgs): Promise<Tree> {
    return services.trees.build(args);
  }
}

@Resolver(() => TreeNode)
export class TreeNodeResolver {
  @FieldResolver(() => Model, { nullable: true, description: 'the model at a leaf; null at inner nodes' })
  async model(@Root() node: TreeNode, @Ctx() { loaders }: Context): Promise<Model | null> {
    return node.modelId === null ? null : loaders.model.load(node.modelId);
  }
}

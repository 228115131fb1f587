import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Model } from '../model/model.type';
import { Tree, TreeMethod, TreeNode, TreeRoot } from './tree.type';

@Resolver(() => Tree)
export class TreeResolver {
  @Query(() => Tree, { description: 'A tree over the Nei distances. Without `models`: every model with samples.' })
  async tree(
    @Ctx() { services }: Context,
    @Arg('genome', () => ID) genomeId: string,
    @Arg('models', () => [ID], { nullable: true }) modelIds?: string[] | null,
    @Arg('method', () => TreeMethod, { defaultValue: TreeMethod.NJ }) method: TreeMethod = TreeMethod.NJ,
    @Arg('bootstrap', () => Int, {
      defaultValue: 0,
      description: 'replicates resampling genes with replacement (Felsenstein 1985); 0 for none, 100 is usual',
    })
    bootstrap: number = 0,
    @Arg('root', () => TreeRoot, { defaultValue: TreeRoot.NONE }) root: TreeRoot = TreeRoot.NONE,
    @Arg('outgroup', () => ID, { nullable: true, description: 'the model to root on, with root: OUTGROUP' })
    outgroup?: string | null,
    @Arg('alleleLength', () => Int, { defaultValue: 4, description: 'code points kept per allele (reference: 4)' })
    alleleLength: number = 4,
  ): Promise<Tree> {
    const genome = await services.genomes.get(genomeId);
    const models = modelIds ? await services.models.getMany(modelIds) : undefined;
    const rooting = await services.trees.rooting(root, outgroup);
    const result = await services.trees.tree(genome, models, method, bootstrap, rooting, alleleLength);
    return {
      method,
      rooted: result.rooted,
      rootedBy: result.rootedBy,
      newick: result.newick,
      bootstrap: result.bootstrap,
      nodes: result.tree.nodes.map((node) => ({
        id: node.id,
        parent: node.parent,
        branchLength: node.branchLength,
        support: result.support[node.id],
        modelId: node.taxon === null ? null : result.modelIds[node.taxon],
        model: null,
      })),
    };
  }
}

@Resolver(() => TreeNode)
export class TreeNodeResolver {
  @FieldResolver(() => Model, { nullable: true })
  async model(@Root() node: TreeNode, @Ctx() { loaders }: Context): Promise<Model | null> {
    return node.modelId === null ? null : ((await loaders.model.load(node.modelId)) as Model | null);
  }
}

import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection } from '../common/connection';
import type { Context } from '../context';
import { Model, ModelConnection, Score } from './model.type';
import { ModelFilter, RegisterModelInput } from './model.input';

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => ModelConnection, { description: 'Registered models, oldest first, with cursor pagination.' })
  async models(
    @Ctx() { services }: Context,
    @Arg('filter', () => ModelFilter, { nullable: true }) filter?: ModelFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'page size, default 100, at most 1000' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ModelConnection> {
    const genome = filter?.genome ? await services.genomes.get(filter.genome) : undefined;
    const page = await services.models.list(
      {
        provider: filter?.provider ?? undefined,
        family: filter?.family ?? undefined,
        mode: filter?.mode ?? undefined,
        nameContains: filter?.nameContains ?? undefined,
        genomeId: genome?.id,
      },
      first,
      after,
    );
    return { ...toConnection(page as typeof page & { nodes: Model[] }), totalCountOf: page.totalCount };
  }

  @Query(() => Model, { nullable: true, description: 'A model by id or by name (give one).' })
  model(
    @Ctx() { services }: Context,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('name', () => String, { nullable: true }) name?: string,
  ): Promise<Model | null> {
    return services.models.find({ id, name }) as Promise<Model | null>;
  }

  @Mutation(() => Model)
  registerModel(
    @Ctx() { services }: Context,
    @Arg('input', () => RegisterModelInput) input: RegisterModelInput,
  ): Promise<Model> {
    return services.models.register(input) as Promise<Model>;
  }

  @Mutation(() => Model, {
    description: 'Deletes a model with its samples, scores and probing jobs (running ones are stopped); returns it.',
  })
  deleteModel(@Ctx() { services }: Context, @Arg('id', () => ID) id: string): Promise<Model> {
    return services.removal.removeModel(id) as Promise<Model>;
  }

  @FieldResolver(() => [Score])
  scores(@Root() model: Model, @Ctx() { loaders }: Context): Promise<Score[]> {
    return loaders.scores.load(model.id);
  }
}

@Resolver(() => ModelConnection)
export class ModelConnectionResolver {
  @FieldResolver(() => Int, { description: 'models matching the filter, over all pages' })
  totalCount(@Root() connection: ModelConnection): Promise<number> {
    return connection.totalCountOf();
  }
}

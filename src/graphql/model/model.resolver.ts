import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { MODEL_PAGE, type PageRequest } from '../../services/page';
import { toConnection } from '../common/connection';
import { PageArgs } from '../common/page.args';
import type { Context } from '../context';
import { Model, ModelConnection, Score } from './model.type';
import { ModelFilter, RegisterModelInput } from './model.input';

const ModelPage = PageArgs(MODEL_PAGE);

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => ModelConnection, { description: 'Registered models, oldest first, with cursor pagination.' })
  async models(
    @Ctx() { services }: Context,
    @Arg('filter', () => ModelFilter, { nullable: true }) filter: ModelFilter | null | undefined,
    @Args(() => ModelPage) page: PageRequest,
  ): Promise<ModelConnection> {
    const found = await services.models.list(filter, page);
    return { ...toConnection(found), totalCountOf: found.totalCount };
  }

  @Query(() => Model, { nullable: true, description: 'A model by id or by name (give one).' })
  model(
    @Ctx() { services }: Context,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('name', () => String, { nullable: true }) name?: string,
  ): Promise<Model | null> {
    return services.models.find({ id, name });
  }

  @Mutation(() => Model)
  registerModel(
    @Ctx() { services }: Context,
    @Arg('input', () => RegisterModelInput) input: RegisterModelInput,
  ): Promise<Model> {
    return services.models.register(input);
  }

  @Mutation(() => Model, {
    description: 'Deletes a model with its samples, scores and probing jobs (running ones are stopped); returns it.',
  })
  deleteModel(@Ctx() { services }: Context, @Arg('id', () => ID) id: string): Promise<Model> {
    return services.removal.removeModel(id);
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

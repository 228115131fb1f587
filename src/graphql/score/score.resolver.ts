import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Model, Score } from '../model/model.type';
import { ScoreInput } from './score.input';

@Resolver(() => Score)
export class ScoreResolver {
  @Mutation(() => [Score], { description: 'Sets benchmark scores (all or none).' })
  setScores(@Ctx() { services }: Context, @Arg('input', () => [ScoreInput]) input: ScoreInput[]): Promise<Score[]> {
    return services.scores.set(input);
  }

  @FieldResolver(() => Model)
  async model(@Root() score: Score, @Ctx() { loaders }: Context): Promise<Model> {
    return (await loaders.model.load(score.modelId)) as Model;
  }
}

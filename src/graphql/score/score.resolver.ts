import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Model, Score } from '../model/model.type';
import { ImportScoresInput } from './score-import.input';
import { ScoreImportResult } from './score-import.type';
import { BenchmarkRangeInput, ScoreInput } from './score.input';

@Resolver(() => Score)
export class ScoreResolver {
  @Mutation(() => [Score], {
    description:
      "Sets benchmark scores (all or none); a value outside its benchmark's range ([0, 1] unless declared, here in `ranges` or by an earlier write) fails naming the entry. Declared ranges are stored with the scores; `input: []` with `ranges` only declares.",
  })
  setScores(
    @Ctx() { services }: Context,
    @Arg('input', () => [ScoreInput]) input: ScoreInput[],
    @Arg('ranges', () => [BenchmarkRangeInput], {
      nullable: true,
      description:
        "ranges of benchmarks whose scores are not in [0, 1], replacing each one's stored range (the stored scores must fit)",
    })
    ranges?: BenchmarkRangeInput[] | null,
  ): Promise<Score[]> {
    return services.scores.set(input, ranges);
  }

  @Query(() => [BenchmarkRangeInput], {
    description: 'The declared benchmark ranges; benchmarks not listed have [0, 1].',
  })
  benchmarkRanges(@Ctx() { services }: Context): Promise<BenchmarkRangeInput[]> {
    return services.scores.ranges();
  }

  @Mutation(() => ScoreImportResult, {
    description:
      'Imports a score table, matching rows to registered models by name; all values are checked before any is written.',
  })
  importScores(
    @Ctx() { services }: Context,
    @Arg('input', () => ImportScoresInput) input: ImportScoresInput,
  ): Promise<ScoreImportResult> {
    return services.scoreImports.importTable(input);
  }

  @Mutation(() => ScoreImportResult, {
    description:
      'Imports the bundled Open LLM Leaderboard v1 scores (ARC, HellaSwag, MMLU, TruthfulQA, Winogrande, GSM8K, scaled to [0, 1]) for these models, or for every registered model; matched by name or providerModel.',
  })
  importLeaderboardScores(
    @Ctx() { services }: Context,
    @Arg('models', () => [ID], { nullable: true }) models?: string[] | null,
  ): Promise<ScoreImportResult> {
    return services.scoreImports.importLeaderboardFor(models);
  }

  @FieldResolver(() => Model)
  model(@Root() score: Score, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(score.modelId);
  }
}

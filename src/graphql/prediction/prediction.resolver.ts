import { Arg, Ctx, FieldResolver, Float, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Model } from '../model/model.type';
import { EvaluationPoint, Prediction, PredictionEvaluation, PredictionNeighbor } from './prediction.type';
import { GENOME_REFERENCE, MODEL_REFERENCE } from '../common/reference';
import { MIN_GENE_COVERAGE, MIN_SAMPLES_PER_GENE } from '../evidence/thresholds';

@Resolver(() => Prediction)
export class PredictionResolver {
  @Query(() => Prediction, {
    description: "A model's predicted benchmark score from its Nei distances to the other scored models on the genome.",
  })
  prediction(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { description: MODEL_REFERENCE }) model: string,
    @Arg('benchmark', () => String) benchmark: string,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
    @Arg('method', () => String, {
      nullable: true,
      description: 'a name from `predictors`; default `defaultPredictor`',
    })
    method?: string | null,
    @Arg('level', () => Float, { nullable: true, description: 'interval coverage in (0, 1), default 0.8' })
    level?: number | null,
    @Arg('minSamplesPerGene', () => Float, { nullable: true, description: MIN_SAMPLES_PER_GENE })
    minSamplesPerGene?: number | null,
    @Arg('minGeneCoverage', () => Float, { nullable: true, description: MIN_GENE_COVERAGE })
    minGeneCoverage?: number | null,
  ): Promise<Prediction> {
    return services.predictions.predict({
      model,
      benchmark,
      genome,
      method,
      level,
      minSamplesPerGene,
      minGeneCoverage,
    });
  }

  @Query(() => PredictionEvaluation, {
    description:
      'Leave-one-family-out evaluation over the models with a score for the benchmark and samples on the genome.',
  })
  predictionEvaluation(
    @Ctx() { services }: Context,
    @Arg('benchmark', () => String) benchmark: string,
    @Arg('genome', () => ID) genome: string,
    @Arg('method', () => String, { nullable: true }) method?: string | null,
    @Arg('level', () => Float, { nullable: true }) level?: number | null,
  ): Promise<PredictionEvaluation> {
    return services.predictions.evaluate({ benchmark, genome, method, level });
  }

  @Query(() => [String], { description: 'Names of the benchmark predictors.' })
  predictors(@Ctx() { services }: Context): readonly string[] {
    return services.predictions.predictors();
  }

  @Query(() => String, { description: 'The predictor used when `method` is not given.' })
  defaultPredictor(@Ctx() { services }: Context): string {
    return services.predictions.defaultPredictor();
  }
}

@Resolver(() => PredictionNeighbor)
export class PredictionNeighborResolver {
  @FieldResolver(() => Model)
  model(@Root() neighbor: PredictionNeighbor, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(neighbor.modelId);
  }
}

@Resolver(() => EvaluationPoint)
export class EvaluationPointResolver {
  @FieldResolver(() => Model)
  model(@Root() point: EvaluationPoint, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(point.modelId);
  }
}

import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Exclusion } from '../evidence/evidence.type';

@ObjectType({ description: 'A scored model close to the predicted one.' })
export class PredictionNeighbor {
  modelId!: number;

  @Field(() => Float, { description: 'Nei distance D = -ln(max(S, 1e-10)) to the predicted model' })
  distance!: number;

  @Field(() => Float, { description: "the neighbour's score on the benchmark" })
  score!: number;
}

@ObjectType({ description: 'A hyperparameter a predictor chose by cross-validation inside its training models.' })
export class Hyperparameter {
  @Field(() => String, {
    description:
      'e.g. "k", "h", "ell", "lambda", "alleleLength"; an ensemble prefixes its members\' ("knn.k", "kernel-ridge.alleleLength")',
  })
  name!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: 'What the fit of one outer fold of an evaluation chose, without the held-out models.' })
export class EvaluationFold {
  @Field(() => String, {
    description: 'the family held out ("fold N" when families are grouped; a model without a family by its name)',
  })
  heldOut!: string;

  @Field(() => [Hyperparameter], { description: 'chosen on the models outside the fold only' })
  hyperparameters!: Hyperparameter[];
}

@ObjectType({ description: 'A predicted benchmark score with a conformal interval (README, "Predictions").' })
export class Prediction {
  @Field(() => Float, { description: 'the point prediction, in [0, 1]' })
  value!: number;

  @Field(() => Float, { description: 'lower end of the interval, clipped to [0, 1]' })
  low!: number;

  @Field(() => Float, { description: 'upper end of the interval, clipped to [0, 1]' })
  high!: number;

  @Field(() => Float, { description: 'nominal coverage of [low, high], calibrated by leave-one-family-out residuals' })
  level!: number;

  @Field(() => String, { description: 'the predictor used (see `predictors`)' })
  method!: string;

  @Field(() => [PredictionNeighbor], { description: 'the nearest scored models, nearest first' })
  neighbors!: PredictionNeighbor[];

  @Field(() => [String], {
    description:
      'what the answer rests on that needs saying: thin evidence, sampling-matched calibration, few shared genes, extrapolation, models left out',
  })
  warnings!: string[];

  @Field(() => Int, { description: 'genes this model has samples on that at least one training model has too' })
  sharedGenes!: number;

  @Field(() => Float, { description: 'Nei distance to the nearest training model' })
  nearestDistance!: number;

  @Field(() => Boolean, {
    description:
      'true when the model is farther from every training model than any calibration model was from the models it was predicted from',
  })
  extrapolation!: boolean;

  @Field(() => Boolean, {
    description:
      "true when the model has fewer samples per gene (or genes) than the training models' median and the interval was calibrated on them subsampled to its sampling",
  })
  samplingMatched!: boolean;

  @Field(() => [Exclusion], { description: 'models with samples left out of training, with why' })
  excluded!: Exclusion[];

  @Field(() => [Hyperparameter], {
    description:
      'what the fit chose (k, bandwidths, ridge strength, allele length), by cross-validation on the training models only',
  })
  hyperparameters!: Hyperparameter[];
}

@ObjectType({ description: 'One held-out model of a leave-one-family-out evaluation.' })
export class EvaluationPoint {
  modelId!: number;

  @Field(() => Float)
  actual!: number;

  @Field(() => Float, { description: 'predicted without any model of its family' })
  predicted!: number;

  @Field(() => Float, { description: 'interval calibrated without its family' })
  low!: number;

  @Field(() => Float)
  high!: number;
}

@ObjectType({ description: 'Leave-one-family-out evaluation of a predictor on the scored models of a genome.' })
export class PredictionEvaluation {
  @Field(() => String)
  method!: string;

  @Field(() => Int, { description: 'models evaluated' })
  n!: number;

  @Field(() => Float, { description: 'Pearson r between actual and predicted' })
  pearson!: number;

  @Field(() => Float, { description: 'mean absolute error' })
  mae!: number;

  @Field(() => Float, { description: 'share of actual scores inside [low, high]' })
  coverage!: number;

  @Field(() => Float, { description: 'nominal coverage of the intervals' })
  level!: number;

  @Field(() => Float, { description: 'mean interval width high - low' })
  meanWidth!: number;

  @Field(() => String, {
    description:
      'how intervals were calibrated: "nested" (an inner leave-one-family-out that never sees the held-out family) ' +
      'or "cross" (the other families\' outer residuals; used when nested would be too slow)',
  })
  calibration!: string;

  @Field(() => [EvaluationPoint])
  points!: EvaluationPoint[];

  @Field(() => [EvaluationFold], {
    description: 'per outer fold, the hyperparameters chosen inside its training models (nested selection)',
  })
  folds!: EvaluationFold[];
}

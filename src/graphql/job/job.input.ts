import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { GENOME_REFERENCE, MODEL_REFERENCE } from '../common/reference';

@InputType({
  description: 'Knobs of adaptive sampling (README "Adaptive sampling"); omitted ones take their defaults.',
})
export class AdaptiveOptionsInput {
  @Field(() => Int, {
    nullable: true,
    description:
      'samples per gene after the first round (default 8); each later round doubles it, up to samplesPerGene',
  })
  firstRound?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "stop when the bootstrap standard error (over the model's samples) of every Nei distance to the other models is at most this (default 0: off)",
  })
  targetStandardError?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'stop when at least this share of bootstrap replicates keeps the NJ tree topology (default 0.95; 0: off), in [0, 1]; left out past 300 other models',
  })
  placementConfidence?: number | null;

  @Field(() => Int, { nullable: true, description: 'bootstrap replicates per decision (default 100), 2 to 1000' })
  replicates?: number | null;
}

@InputType()
export class StartProbingInput {
  @Field(() => ID, { description: MODEL_REFERENCE })
  model!: string;

  @Field(() => ID, { description: GENOME_REFERENCE })
  genome!: string;

  @Field(() => Int, { nullable: true, description: 'N, default 32 (reference)' })
  samplesPerGene?: number | null;

  @Field(() => Int, { nullable: true, description: "default: the model's maxTokens (5, reference)" })
  maxTokens?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "through the provider's batch API (OpenAI Batch, Anthropic Message Batches): half price, answered within 24 h; " +
      'refused (BAD_USER_INPUT) for providers without one',
  })
  batch?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'sample in rounds and stop once more samples would no longer change the distances to the other models or the place in their tree (default false)',
  })
  adaptive?: boolean | null;

  @Field(() => AdaptiveOptionsInput, {
    nullable: true,
    description: 'only with adaptive: true; adaptive and batch cannot be combined',
  })
  adaptiveOptions?: AdaptiveOptionsInput | null;
}

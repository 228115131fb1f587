import { Field, ID, InputType, Int } from 'type-graphql';
import { GENOME_REFERENCE, MODEL_REFERENCE } from '../common/reference';

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
}

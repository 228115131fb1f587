import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class StartProbingInput {
  @Field(() => ID)
  model!: string;

  @Field(() => ID)
  genome!: string;

  @Field(() => Int, { nullable: true, description: 'N, default 32 (reference)' })
  samplesPerGene?: number | null;

  @Field(() => Int, { nullable: true, description: "default: the model's maxTokens (5, reference)" })
  maxTokens?: number | null;
}

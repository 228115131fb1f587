import { Field, Float, ID, InputType } from 'type-graphql';
import { MODEL_REFERENCE } from '../common/reference';

@InputType()
export class ScoreInput {
  @Field(() => ID, { description: MODEL_REFERENCE })
  model!: string;

  @Field(() => String, { description: 'e.g. ARC, HellaSwag, MMLU, TruthfulQA, Winogrande, GSM8K' })
  benchmark!: string;

  @Field(() => Float, { description: 'a finite number; Open LLM Leaderboard scores are scaled to [0, 1]' })
  value!: number;
}

import { Field, ID, InputType, Int } from 'type-graphql';
import { GENOME_REFERENCE, MODEL_REFERENCE } from '../common/reference';

@InputType()
export class CompletionInput {
  @Field(() => Int, { description: '0-based gene index in the genome' })
  gene!: number;

  @Field(() => String, { description: 'the completion as sampled (the allele is derived from it)' })
  text!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'optional 0-based sample index for this gene; given, re-importing the same sample is skipped',
  })
  sample?: number | null;
}

@InputType()
export class ImportCompletionsInput {
  @Field(() => ID, { description: MODEL_REFERENCE })
  model!: string;

  @Field(() => ID, { description: GENOME_REFERENCE })
  genome!: string;

  @Field(() => [CompletionInput])
  completions!: CompletionInput[];
}

import { Field, Float, InputType, registerEnumType } from 'type-graphql';
import { BenchmarkRangeInput } from './score.input';

export enum ScoreFormat {
  CSV = 'CSV',
  JSON = 'JSON',
}
registerEnumType(ScoreFormat, {
  name: 'ScoreFormat',
  description:
    'CSV: header `model,<benchmark>,...`, one row per model, empty cell = no score. JSON: `[{ model, benchmark, value }]` or `{ "<model>": { "<benchmark>": value } }`.',
});

@InputType()
export class ImportScoresInput {
  @Field(() => ScoreFormat)
  format!: ScoreFormat;

  @Field(() => String, { description: 'the table text' })
  data!: string;

  @Field(() => Float, { defaultValue: 1, description: 'every value is multiplied by it (0.01 for percentages)' })
  scale!: number;

  @Field(() => [BenchmarkRangeInput], {
    nullable: true,
    description: 'ranges of benchmarks whose scores are not in [0, 1]; values are checked after `scale`',
  })
  ranges?: BenchmarkRangeInput[] | null;
}

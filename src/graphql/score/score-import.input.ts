import { Field, Float, InputType, registerEnumType } from 'type-graphql';

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
}

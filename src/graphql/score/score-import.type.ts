import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What a score import matched and wrote.' })
export class ScoreImportResult {
  @Field(() => Int, { description: 'table models matched to registered models' })
  matched!: number;

  @Field(() => [String], { description: 'table model names that match no registered model' })
  unmatched!: string[];

  @Field(() => Int, { description: 'scores written' })
  written!: number;
}

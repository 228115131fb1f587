import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateGenomeInput {
  @Field(() => String)
  name!: string;

  @Field(() => [String], { description: 'gene texts in order, sent to models as-is' })
  genes!: string[];
}

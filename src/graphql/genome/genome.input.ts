import { Field, InputType } from 'type-graphql';
import { IfExists } from '../common/if-exists';

@InputType()
export class CreateGenomeInput {
  @Field(() => String)
  name!: string;

  @Field(() => [String], { description: 'gene texts in order, sent to models as-is' })
  genes!: string[];

  @Field(() => IfExists, {
    nullable: true,
    defaultValue: IfExists.FAIL,
    description: 'RETURN: answer the genome already created under this name when its genes are these',
  })
  ifExists?: IfExists | null;
}

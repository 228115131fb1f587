import { Field, ID, InputType, Int } from 'type-graphql';
import { GENOME_REFERENCE, MODEL_REFERENCE } from '../common/reference';
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

@InputType({ description: 'A smaller genome chosen from an existing one (README "Smaller genomes").' })
export class DesignGenomeInput {
  @Field(() => ID, { description: `the genome to choose from; ${GENOME_REFERENCE}` })
  from!: string;

  @Field(() => Int, { description: "number of genes, 1 to the genome's gene count" })
  size!: number;

  @Field(() => [ID], {
    description: `the models whose distances the genes must reproduce (at least 3 with samples on the genome); ${MODEL_REFERENCE}`,
  })
  models!: string[];

  @Field(() => String, { nullable: true, description: 'name of the new genome; default <from>-design-<size>' })
  name?: string | null;
}

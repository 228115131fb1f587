import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { ModelRow } from '../../services/identity.service';
import { Model } from '../model/model.type';

@ObjectType({
  description:
    'Two models on one genome (README, "Identity and relatedness"): Nei D with a bootstrap interval over genes, ' +
    'and the p-value of a permutation test of "a and b sample from the same distribution". ' +
    'Null numbers: the two share no gene, so nothing is known.',
})
export class ModelComparison {
  @Field(() => Model)
  a!: ModelRow;

  @Field(() => Model)
  b!: ModelRow;

  @Field(() => Float, { nullable: true, description: 'Nei distance D = -ln(max(S, 1e-10)) over the shared genes' })
  distance!: number | null;

  @Field(() => Float, { nullable: true, description: 'lower end of the 95% percentile bootstrap interval over genes' })
  low!: number | null;

  @Field(() => Float, { nullable: true, description: 'upper end of the 95% percentile bootstrap interval over genes' })
  high!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'permutation p-value, (1 + #permutations with D >= observed) / (1 + permutations); small: different',
  })
  pValue!: number | null;

  @Field(() => Int, { description: 'genes both models have samples for' })
  sharedGenes!: number;

  @Field(() => Int, { description: 'permutations drawn (at most 1,000; fewer when the test stopped early)' })
  permutations!: number;
}

@ObjectType({ description: 'A candidate for "which model is this?", ranked by distance.' })
export class Identification {
  @Field(() => Model)
  model!: ModelRow;

  @Field(() => Float, { nullable: true, description: 'Nei distance to the model identified; null: no shared gene' })
  distance!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'p-value of "both sample from the same distribution" (see ModelComparison.pValue)',
  })
  pValue!: number | null;

  @Field(() => Int, { description: 'genes both models have samples for' })
  sharedGenes!: number;
}

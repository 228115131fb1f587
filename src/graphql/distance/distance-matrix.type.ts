import { Field, Int, ObjectType } from 'type-graphql';
import type { DistanceMatrixView, SimilarityMatrix } from '../../services/distance.service';
import { Genome } from '../genome/genome.type';

@ObjectType({ description: 'Nei similarities and distances between models on one genome, rows in `models` order.' })
export class DistanceMatrix implements DistanceMatrixView {
  matrix!: SimilarityMatrix;

  @Field(() => Genome)
  genome!: Genome;

  @Field(() => String, { description: 'fingerprint of every input; changes exactly when the matrix does' })
  fingerprint!: string;

  @Field(() => Int, { description: 'code points per allele' })
  alleleLength!: number;
}

@ObjectType({
  description: 'A PHYLIP name (unique, at most 10 printable ASCII characters) and the model it stands for.',
})
export class PhylipName {
  @Field(() => String, { description: 'the name in the PHYLIP text' })
  short!: string;

  @Field(() => String, { description: "the model's name" })
  name!: string;

  modelId!: number;
}

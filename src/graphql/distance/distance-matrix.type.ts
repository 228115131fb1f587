import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { DistanceMatrixView, SimilarityMatrix } from '../../services/distance.service';
import type {
  MatrixNeighbor as MatrixNeighborView,
  MatrixPair,
  MatrixRow,
  ModelNeighbors,
} from '../../services/matrix-pages';
import { Connection } from '../common/connection';
import type { Exclusion, ModelEvidence } from '../../services/evidence.service';
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

  evidence!: ModelEvidence[];
  excluded!: Exclusion[];
  unknownPairs!: [number, number][];
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

@ObjectType({ description: 'One row of a distance matrix: a model and its S and D to every model, in `models` order.' })
export class DistanceRow implements MatrixRow {
  @Field(() => Int, { description: 'the row number, from 0, in `models` order' })
  index!: number;

  modelId!: number;

  @Field(() => [Float], { description: 'Nei identity S to each model' })
  similarity!: Float64Array;

  @Field(() => [Float], { description: 'Nei distance D = -ln(max(S, 1e-10)) to each model' })
  distance!: Float64Array;
}

@ObjectType({ description: 'Two models of a distance matrix (row a before row b) and their S and D.' })
export class DistancePair implements MatrixPair {
  @Field(() => Int, { description: "row a's number in `models` order" })
  aIndex!: number;

  @Field(() => Int, { description: "row b's number in `models` order" })
  bIndex!: number;

  aId!: number;
  bId!: number;

  @Field(() => Float)
  similarity!: number;

  @Field(() => Float)
  distance!: number;
}

@ObjectType()
export class DistancePairConnection extends Connection(DistancePair, 'DistancePair') {}

@ObjectType({ description: 'One model of a matrix near another, with S and D.' })
export class MatrixNeighbor implements MatrixNeighborView {
  @Field(() => Int, { description: "the neighbor's row number in `models` order" })
  index!: number;

  modelId!: number;

  @Field(() => Float)
  similarity!: number;

  @Field(() => Float)
  distance!: number;
}

@ObjectType({ description: 'A model of a matrix and its nearest other models, most similar first (ties: row order).' })
export class NearestModels implements ModelNeighbors {
  @Field(() => Int, { description: 'the row number in `models` order' })
  index!: number;

  modelId!: number;

  @Field(() => [MatrixNeighbor])
  neighbors!: MatrixNeighbor[];
}

import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';

@ObjectType({ description: 'One gene: a short text prefix, sent to models as-is.' })
export class Gene {
  @Field(() => Int, { description: '0-based position in the genome' })
  index!: number;

  @Field(() => String)
  text!: string;
}

@ObjectType()
export class GeneConnection extends Connection(Gene, 'Gene') {
  @Field(() => Int)
  totalCount!: number;
}

@ObjectType({ description: 'An ordered set of genes.' })
export class Genome {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  geneCount!: number;

  @Field(() => String, { description: 'SHA-256 of the gene texts in order: same genes, same fingerprint' })
  fingerprint!: string;

  @Field(() => String)
  createdAt!: string;
}

@ObjectType({ description: 'A genome shipped with the server, ready to install with installBuiltinGenome.' })
export class BuiltinGenome {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Int, { description: 'number of genes' })
  size!: number;

  @Field(() => String, { description: 'the 4,096-gene pool it is drawn from (assets/genomes/pools)' })
  pool!: string;

  @Field(() => Int, { description: 'seed of the draw' })
  seed!: number;
}

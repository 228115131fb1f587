import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../common/page-info.type';

@ObjectType({ description: 'One gene: a short text prefix, sent to models as-is.' })
export class Gene {
  @Field(() => Int, { description: '0-based position in the genome' })
  index!: number;

  @Field(() => String)
  text!: string;
}

@ObjectType()
export class GeneEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Gene)
  node!: Gene;
}

@ObjectType()
export class GeneConnection {
  @Field(() => [Gene])
  nodes!: Gene[];

  @Field(() => [GeneEdge])
  edges!: GeneEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

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

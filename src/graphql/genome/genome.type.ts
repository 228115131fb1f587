import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
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

  /** a designed genome's provenance as JSON (shown by the `design` field) */
  design!: string | null;
}

@ObjectType({ description: 'Where a designed genome (designGenome) came from.' })
export class GenomeDesign {
  @Field(() => ID)
  fromGenomeId!: number;

  @Field(() => String, { description: 'the name of the genome it was chosen from, when designed' })
  fromGenome!: string;

  @Field(() => [Int], { description: 'indices of its genes in that genome, in its own order' })
  genes!: number[];

  @Field(() => [String], { description: 'the design models' })
  models!: string[];

  @Field(() => String, { description: 'greedy-spearman: greedy forward selection maximising Spearman agreement' })
  method!: string;

  @Field(() => Float, {
    description: "Spearman correlation of its distances with the full genome's, over the design models' pairs",
  })
  spearman!: number;
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

import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { Coverage } from '../../services/evidence.service';

@ObjectType({
  description:
    'A model\'s evidence on a genome: genes with samples and samples per gene (README, "Evidence per model").',
})
export class ModelCoverage implements Coverage {
  modelId!: number;

  @Field(() => Int, { description: 'genes of the genome' })
  genes!: number;

  @Field(() => Int, { description: 'genes with at least one sample' })
  genesWithSamples!: number;

  @Field(() => Float, { description: 'genesWithSamples / genes' })
  geneCoverage!: number;

  @Field(() => Int, { description: 'samples in all' })
  samples!: number;

  @Field(() => Int, { description: 'fewest samples on a gene that has samples (0 when none has)' })
  minSamplesPerGene!: number;

  @Field(() => Float, { description: 'median samples over the genes that have samples' })
  medianSamplesPerGene!: number;

  @Field(() => String, {
    nullable: true,
    description: 'why the model falls short of the default thresholds (left out by default); null when it meets them',
  })
  shortfall!: string | null;
}

@ObjectType({ description: 'A model with samples left out of an answer, and why.' })
export class Exclusion {
  modelId!: number;

  @Field(() => String)
  reason!: string;
}

@ObjectType({ description: 'Two models of a distance matrix that share no gene: their distance is unknown.' })
export class ModelPair {
  aId!: number;
  bId!: number;
}

import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { GenomeRow, ModelRow } from '../../services/identity.service';
import { Genome } from '../genome/genome.type';
import { Model } from '../model/model.type';

@ObjectType({
  description:
    'Two successive probing rounds of one model on one genome (README, "Drift"): Nei D between their samples and ' +
    'the p-value of the identity permutation test.',
})
export class DriftStep {
  @Field(() => ID, { description: 'the earlier round (a probing job)' })
  fromJob!: string;

  @Field(() => ID, { description: 'the later round (a probing job)' })
  toJob!: string;

  @Field(() => String, { description: 'when the later round finished (ISO 8601)' })
  at!: string;

  @Field(() => Float, { nullable: true, description: 'Nei distance between the two rounds; null: no shared gene' })
  distance!: number | null;

  @Field(() => Float, { nullable: true, description: 'lower end of the 95% bootstrap interval over genes' })
  low!: number | null;

  @Field(() => Float, { nullable: true, description: 'upper end of the 95% bootstrap interval over genes' })
  high!: number | null;

  @Field(() => Float, { nullable: true, description: 'p-value of "both rounds sample the same distribution"' })
  pValue!: number | null;

  @Field(() => Int)
  sharedGenes!: number;

  @Field(() => Boolean, { description: 'pValue <= 0.01: the endpoint changed between the rounds' })
  changed!: boolean;
}

@ObjectType({ description: 'A standing order to re-probe a model on a genome every `every`.' })
export class ProbingSchedule {
  @Field(() => ID)
  id!: number;

  @Field(() => Model)
  model!: ModelRow;

  @Field(() => Genome)
  genome!: GenomeRow;

  @Field(() => String, { description: 'the period, an ISO 8601 duration (P1D, PT6H, ...)' })
  every!: string;

  @Field(() => Int, { description: 'fresh samples per gene each round' })
  samplesPerGene!: number;

  @Field(() => String, { description: 'when the next round starts (ISO 8601)' })
  nextAt!: string;
}

@ObjectType({ description: 'A change detected between two successive rounds of a scheduled model.' })
export class DriftAlert {
  @Field(() => ID)
  id!: number;

  modelId!: number;
  genomeId!: number;

  @Field(() => ID)
  fromJob!: string;

  @Field(() => ID)
  toJob!: string;

  @Field(() => Float)
  distance!: number;

  @Field(() => Float)
  pValue!: number;

  @Field(() => String)
  createdAt!: string;
}

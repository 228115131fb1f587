import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ImportSummary, SampleSource as SourceName, SampleView } from '../../services/sample.service';
import { Connection } from '../common/connection';

export enum SampleSource {
  IMPORTED = 'IMPORTED',
  PROBED = 'PROBED',
}
registerEnumType(SampleSource, { name: 'SampleSource' });

@ObjectType({ description: 'One probe: a completion of a gene sampled from a model, kept in full.' })
export class Sample implements Omit<SampleView, 'modelId' | 'genomeId'> {
  @Field(() => ID)
  id!: number;

  @Field(() => Int, { description: 'gene index in the genome' })
  geneIndex!: number;

  @Field(() => Int, { description: '0-based index among the samples of this gene' })
  sampleIndex!: number;

  @Field(() => String, { description: 'the full completion text' })
  text!: string;

  @Field(() => String, { description: 'the allele: the text cut down by the reference rule' })
  allele!: string;

  @Field(() => SampleSource)
  source!: SourceName;

  @Field(() => ID, { nullable: true })
  jobId!: number | null;

  @Field(() => String)
  createdAt!: string;
}

@ObjectType()
export class SampleConnection extends Connection(Sample, 'Sample') {}

@ObjectType()
export class ImportResult implements ImportSummary {
  @Field(() => Int, { description: 'samples stored' })
  accepted!: number;

  @Field(() => Int, { description: 'samples skipped because that (gene, sample) index was already stored' })
  rejected!: number;

  @Field(() => Int, { description: "the model's sample count on this genome after the import" })
  sampleCount!: number;
}

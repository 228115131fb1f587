import { ArgsType, Field, Float, ID, Int } from 'type-graphql';
import { MIN_GENE_COVERAGE, MIN_SAMPLES_PER_GENE } from '../evidence/thresholds';
import type { TreeRequest } from '../../services/tree.service';
import { TreeMethod, TreeRoot } from './tree.type';
import { GENOME_REFERENCE, MODEL_REFERENCES } from '../common/reference';

/** What a tree is built from and how; the tree service reads it as it is. */
@ArgsType()
export class TreeArgs implements TreeRequest {
  @Field(() => ID, { description: GENOME_REFERENCE })
  genome!: string;

  @Field(() => [ID], { nullable: true, description: MODEL_REFERENCES })
  models?: string[] | null;

  @Field(() => TreeMethod, { defaultValue: TreeMethod.NJ })
  method!: TreeMethod;

  @Field(() => Int, {
    defaultValue: 0,
    description: 'replicates resampling genes with replacement (Felsenstein 1985); 0 for none, 100 is usual',
  })
  bootstrap!: number;

  @Field(() => TreeRoot, { defaultValue: TreeRoot.NONE })
  root!: TreeRoot;

  @Field(() => ID, { nullable: true, description: 'the model to root on, with root: OUTGROUP' })
  outgroup?: string | null;

  @Field(() => Int, { defaultValue: 4, description: 'code points kept per allele (reference: 4)' })
  alleleLength!: number;

  @Field(() => Float, { nullable: true, description: MIN_SAMPLES_PER_GENE })
  minSamplesPerGene?: number | null;

  @Field(() => Float, { nullable: true, description: MIN_GENE_COVERAGE })
  minGeneCoverage?: number | null;
}

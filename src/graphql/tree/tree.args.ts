import { ArgsType, Field, ID, Int } from 'type-graphql';
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
}

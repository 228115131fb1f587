import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { GENOME_REFERENCE, MODEL_REFERENCE, MODEL_REFERENCES } from '../common/reference';
import { Identification, ModelComparison } from './identity.type';

@Resolver()
export class IdentityResolver {
  @Query(() => ModelComparison, {
    description: 'Is a the same model as b, or how far apart are they? (README, "Identity and relatedness")',
  })
  compareModels(
    @Ctx() { services }: Context,
    @Arg('a', () => ID, { description: MODEL_REFERENCE }) a: string,
    @Arg('b', () => ID, { description: MODEL_REFERENCE }) b: string,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
  ): Promise<ModelComparison> {
    return services.identity.compare({ a, b, genome });
  }

  @Query(() => [Identification], {
    description: 'Which model is this endpoint serving? The candidates ranked by distance, nearest first.',
  })
  identifyModel(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { description: MODEL_REFERENCE }) model: string,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
    @Arg('candidates', () => [ID], {
      nullable: true,
      description: `${MODEL_REFERENCES}; default every other model with samples on the genome`,
    })
    candidates: string[] | null | undefined,
  ): Promise<Identification[]> {
    return services.identity.identify({ model, genome, candidates });
  }
}

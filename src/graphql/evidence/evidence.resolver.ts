import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { coverageView } from '../../services/evidence.service';
import type { Context } from '../context';
import { GENOME_REFERENCE } from '../common/reference';
import { Model } from '../model/model.type';
import { Exclusion, ModelCoverage, ModelPair } from './evidence.type';

@Resolver(() => Model)
export class ModelCoverageResolver {
  @FieldResolver(() => ModelCoverage, {
    nullable: true,
    description: 'the evidence this model has on the genome; null when it has no samples there',
  })
  async coverage(
    @Root() model: Model,
    @Ctx() { services }: Context,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
  ): Promise<ModelCoverage | null> {
    const row = await services.genomes.get(genome);
    const coverage = await services.evidence.coverage(row, model.id);
    return coverage && coverageView(model.id, coverage);
  }
}

@Resolver(() => ModelCoverage)
export class CoverageModelResolver {
  @FieldResolver(() => Model)
  model(@Root() coverage: ModelCoverage, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(coverage.modelId);
  }
}

@Resolver(() => Exclusion)
export class ExclusionResolver {
  @FieldResolver(() => Model)
  model(@Root() exclusion: Exclusion, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(exclusion.modelId);
  }
}

@Resolver(() => ModelPair)
export class ModelPairResolver {
  @FieldResolver(() => Model)
  a(@Root() pair: ModelPair, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(pair.aId);
  }

  @FieldResolver(() => Model)
  b(@Root() pair: ModelPair, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(pair.bId);
  }
}

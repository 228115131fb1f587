import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { alleleOf } from '../../core/alleles/allele';
import { ALLELE_LENGTH } from '../../services/population.service';
import { toConnection } from '../common/connection';
import type { Context } from '../context';
import { ImportCompletionsInput } from './sample.input';
import { ImportResult, SampleConnection, type SampleSource } from './sample.type';

@Resolver()
export class SampleResolver {
  @Mutation(() => ImportResult, { description: 'Stores samples taken elsewhere; they count exactly like probes.' })
  async importCompletions(
    @Ctx() { services }: Context,
    @Arg('input', () => ImportCompletionsInput) input: ImportCompletionsInput,
  ): Promise<ImportResult> {
    const model = await services.models.get(input.model);
    const genome = await services.genomes.get(input.genome);
    const result = await services.samples.append(model, genome, input.completions, 'IMPORTED');
    return { accepted: result.accepted, rejected: result.rejected, sampleCount: result.population?.sampleCount ?? 0 };
  }

  @Query(() => SampleConnection, { description: "A model's samples on a genome, oldest first." })
  async samples(
    @Ctx() { services }: Context,
    @Arg('model', () => ID) modelId: string,
    @Arg('genome', () => ID) genomeId: string,
    @Arg('gene', () => Int, { nullable: true }) gene?: number,
    @Arg('first', () => Int, { nullable: true, description: 'page size, default 100, at most 10000' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<SampleConnection> {
    const model = await services.models.get(modelId);
    const genome = await services.genomes.get(genomeId);
    const page = await services.samples.list(model, genome, gene, first, after);
    const nodes = page.nodes.map((s) => ({
      ...s,
      source: s.source as SampleSource,
      allele: alleleOf(s.text, ALLELE_LENGTH),
    }));
    return toConnection({ ...page, nodes });
  }
}

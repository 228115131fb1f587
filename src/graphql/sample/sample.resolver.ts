import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { SAMPLE_PAGE, type PageRequest } from '../../services/page';
import { toConnection } from '../common/connection';
import { PageArgs } from '../common/page.args';
import type { Context } from '../context';
import { ImportCompletionsInput } from './sample.input';
import { ImportResult, SampleConnection } from './sample.type';
import { GENOME_REFERENCE, MODEL_REFERENCE } from '../common/reference';

const SamplePage = PageArgs(SAMPLE_PAGE);

@Resolver()
export class SampleResolver {
  @Mutation(() => ImportResult, { description: 'Stores samples taken elsewhere; they count exactly like probes.' })
  importCompletions(
    @Ctx() { services }: Context,
    @Arg('input', () => ImportCompletionsInput) input: ImportCompletionsInput,
  ): Promise<ImportResult> {
    return services.samples.importCompletions(input);
  }

  @Query(() => SampleConnection, { description: "A model's samples on a genome, oldest first." })
  async samples(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { description: MODEL_REFERENCE }) model: string,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
    @Arg('gene', () => Int, { nullable: true }) gene: number | null | undefined,
    @Args(() => SamplePage) page: PageRequest,
  ): Promise<SampleConnection> {
    return toConnection(await services.samples.list({ model, genome, gene }, page));
  }
}

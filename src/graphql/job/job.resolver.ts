import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { ProbeJobRow } from '../../db/store';
import { toConnection } from '../common/connection';
import type { Context } from '../context';
import { Genome } from '../genome/genome.type';
import { Model } from '../model/model.type';
import { StartProbingInput } from './job.input';
import { JobStatus, ProbeJob, ProbeJobConnection, ProbingEstimate } from './job.type';

const view = (row: ProbeJobRow): ProbeJob => ({
  ...row,
  status: row.status as JobStatus,
  warnings: JSON.parse(row.warnings) as string[],
});

@Resolver(() => ProbeJob)
export class JobResolver {
  @Query(() => ProbeJob, { nullable: true })
  async job(@Ctx() { services }: Context, @Arg('id', () => ID) id: string): Promise<ProbeJob | null> {
    const row = await services.jobs.get(id);
    return row && view(row);
  }

  @Query(() => ProbeJobConnection, { description: 'Probing jobs, oldest first.' })
  async jobs(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { nullable: true }) model?: string,
    @Arg('genome', () => ID, { nullable: true }) genome?: string,
    @Arg('status', () => JobStatus, { nullable: true }) status?: JobStatus,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ProbeJobConnection> {
    const page = await services.jobs.list({ model, genome, status }, first, after);
    return toConnection({ ...page, nodes: page.nodes.map(view) });
  }

  @Query(() => ProbingEstimate, { description: 'Requests, tokens and dollars a startProbing would spend.' })
  probingEstimate(
    @Ctx() { services }: Context,
    @Arg('input', () => StartProbingInput) input: StartProbingInput,
  ): Promise<ProbingEstimate> {
    return services.jobs.estimate(input);
  }

  @Mutation(() => ProbeJob, {
    description: 'Starts sampling in the background; an active job for the same model and genome is returned instead.',
  })
  async startProbing(
    @Ctx() { services }: Context,
    @Arg('input', () => StartProbingInput) input: StartProbingInput,
  ): Promise<ProbeJob> {
    return view(await services.jobs.start(input));
  }

  @Mutation(() => ProbeJob, { description: 'Stops a job; the samples it stored are kept.' })
  async cancelJob(@Ctx() { services }: Context, @Arg('id', () => ID) id: string): Promise<ProbeJob> {
    return view(await services.jobs.cancel(id));
  }

  @Subscription(() => ProbeJob, {
    description: 'The job now, then after every stored batch, until it finishes (graphql-ws at /graphql).',
    subscribe: ({ args, context }) => {
      const { services } = context as Context;
      return mapAsync(services.jobs.watch(String(args.id)), (row) => view(row));
    },
  })
  jobProgress(@Arg('id', () => ID) _id: string, @Root() job: ProbeJob): ProbeJob {
    return job;
  }

  @FieldResolver(() => Model)
  async model(@Root() job: ProbeJob, @Ctx() { loaders }: Context): Promise<Model> {
    return (await loaders.model.load(job.modelId)) as Model;
  }

  @FieldResolver(() => Genome)
  async genome(@Root() job: ProbeJob, @Ctx() { services }: Context): Promise<Genome> {
    return services.genomes.get(String(job.genomeId));
  }
}

async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (value: T) => U): AsyncGenerator<U> {
  for await (const value of source) yield map(value);
}

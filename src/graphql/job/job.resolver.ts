import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { PageRequest } from '../../services/page';
import { toConnection } from '../common/connection';
import { PageArgs } from '../common/page.args';
import type { Context } from '../context';
import { Genome } from '../genome/genome.type';
import { Model } from '../model/model.type';
import { StartProbingInput } from './job.input';
import { JobStatus, ProbeJob, ProbeJobConnection, ProbingEstimate } from './job.type';

// `first` here has never had a description (the schema only grows), so none is given.
const JobPage = PageArgs();

@Resolver(() => ProbeJob)
export class JobResolver {
  @Query(() => ProbeJob, { nullable: true })
  job(@Ctx() { services }: Context, @Arg('id', () => ID) id: string): Promise<ProbeJob | null> {
    return services.jobs.get(id);
  }

  @Query(() => ProbeJobConnection, { description: 'Probing jobs, oldest first.' })
  async jobs(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { nullable: true }) model: string | null | undefined,
    @Arg('genome', () => ID, { nullable: true }) genome: string | null | undefined,
    @Arg('status', () => JobStatus, { nullable: true }) status: JobStatus | null | undefined,
    @Args(() => JobPage) page: PageRequest,
  ): Promise<ProbeJobConnection> {
    return toConnection(await services.jobs.list({ model, genome, status }, page));
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
  startProbing(
    @Ctx() { services }: Context,
    @Arg('input', () => StartProbingInput) input: StartProbingInput,
  ): Promise<ProbeJob> {
    return services.jobs.start(input);
  }

  @Mutation(() => ProbeJob, { description: 'Stops a job; the samples it stored are kept.' })
  cancelJob(@Ctx() { services }: Context, @Arg('id', () => ID) id: string): Promise<ProbeJob> {
    return services.jobs.cancel(id);
  }

  @Subscription(() => ProbeJob, {
    description: 'The job now, then after every stored batch, until it finishes (graphql-ws at /graphql).',
    subscribe: ({ args, context }) => (context as Context).services.jobs.watch(String(args.id)),
  })
  jobProgress(@Arg('id', () => ID) _id: string, @Root() job: ProbeJob): ProbeJob {
    return job;
  }

  @FieldResolver(() => Model)
  model(@Root() job: ProbeJob, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(job.modelId);
  }

  @FieldResolver(() => Genome)
  genome(@Root() job: ProbeJob, @Ctx() { loaders }: Context): Promise<Genome> {
    return loaders.genome.load(job.genomeId);
  }
}

import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { GENOME_REFERENCE, MODEL_REFERENCE } from '../common/reference';
import { Genome } from '../genome/genome.type';
import { Model } from '../model/model.type';
import { DriftAlert, DriftStep, ProbingSchedule } from './drift.type';

@Resolver()
export class DriftResolver {
  @Query(() => [DriftStep], { description: 'Distance and p-value between successive probing rounds, oldest first.' })
  async drift(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { description: MODEL_REFERENCE }) model: string,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
  ): Promise<DriftStep[]> {
    const steps = await services.drift.drift({ model, genome });
    return steps.map((s) => ({ ...s, fromJob: String(s.fromJobId), toJob: String(s.toJobId) }));
  }

  @Query(() => [ProbingSchedule], { description: 'Every re-probing schedule.' })
  probingSchedules(@Ctx() { services }: Context): Promise<ProbingSchedule[]> {
    return services.drift.schedules();
  }

  @Mutation(() => ProbingSchedule, {
    description:
      'Re-probes the model on the genome every `every` (ISO 8601 duration, at least PT1S), starting now; each round ' +
      'is compared with the one before and a change is listed in `driftAlerts` (and POSTed to PHYLOLM_WEBHOOK_URL). ' +
      'Replaces the schedule the model may have on the genome.',
  })
  scheduleProbing(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { description: MODEL_REFERENCE }) model: string,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
    @Arg('every', () => String) every: string,
    @Arg('samplesPerGene', () => Int, { nullable: true, description: 'fresh samples per gene each round; default 32' })
    samplesPerGene: number | null | undefined,
  ): Promise<ProbingSchedule> {
    return services.drift.schedule({ model, genome, every, samplesPerGene });
  }

  @Mutation(() => Boolean, { description: 'Stops re-probing the model on the genome; false when it had no schedule.' })
  unscheduleProbing(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { description: MODEL_REFERENCE }) model: string,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
  ): Promise<boolean> {
    return services.drift.unschedule({ model, genome });
  }

  @Query(() => [DriftAlert], { description: 'Changes detected by scheduled re-probing, newest first.' })
  async driftAlerts(
    @Ctx() { services }: Context,
    @Arg('model', () => ID, { nullable: true, description: MODEL_REFERENCE }) model: string | null | undefined,
    @Arg('genome', () => ID, { nullable: true, description: GENOME_REFERENCE }) genome: string | null | undefined,
    @Arg('first', () => Int, { defaultValue: 100, description: 'at most this many, 1 to 1,000' }) first: number,
  ): Promise<DriftAlert[]> {
    const rows = await services.drift.alerts({ model, genome }, first);
    return rows.map((r) => ({ ...r, fromJob: String(r.fromJobId), toJob: String(r.toJobId) }));
  }
}

@Resolver(() => DriftAlert)
export class DriftAlertResolver {
  @FieldResolver(() => Model)
  model(@Root() alert: DriftAlert, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(alert.modelId);
  }

  @FieldResolver(() => Genome)
  genome(@Root() alert: DriftAlert, @Ctx() { loaders }: Context): Promise<Genome> {
    return loaders.genome.load(alert.genomeId);
  }
}

import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  JobStatus as StatusName,
  ProbeJobView,
  ProbingEstimate as Estimate,
} from '../../services/probing/job.service';
import { Connection } from '../common/connection';

export enum JobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(JobStatus, { name: 'JobStatus' });

/** The job view without the claim on it (`owner`, `leaseUntil`), which the API does not show. */
@ObjectType({ description: 'A probing job: sampling one model on one genome until every gene has N samples.' })
export class ProbeJob implements Omit<ProbeJobView, 'owner' | 'leaseUntil'> {
  @Field(() => ID)
  id!: number;

  @Field(() => JobStatus)
  status!: StatusName;

  @Field(() => Int, { description: 'samples stored toward the target' })
  completed!: number;

  @Field(() => Int, { description: 'genes x samplesPerGene' })
  total!: number;

  @Field(() => String, { nullable: true, description: "why it failed: the provider's last message" })
  error!: string | null;

  @Field(() => [String], { description: 'warnings from the provider or about the data (e.g. collapsed samples)' })
  warnings!: string[];

  @Field(() => Boolean, {
    description: 'almost every gene has a single allele at temperature > 0: the endpoint may be ignoring temperature',
  })
  collapsed!: boolean;

  modelId!: number;
  genomeId!: number;

  @Field(() => Int)
  samplesPerGene!: number;

  @Field(() => Boolean, { description: "sent through the provider's batch API (startProbing batch: true)" })
  batch!: boolean;

  @Field(() => String, { nullable: true, description: "the provider's id of the batch in flight, if any" })
  batchId!: string | null;

  @Field(() => Int)
  maxTokens!: number;

  @Field(() => Int, { description: 'provider requests made' })
  requests!: number;

  @Field(() => Int)
  promptTokens!: number;

  @Field(() => Int)
  completionTokens!: number;

  @Field(() => Float, { description: 'from the price table; 0 when the model is not priced' })
  costUsd!: number;

  @Field(() => Boolean, { description: 'sampled in rounds, stopping early when more samples would change nothing' })
  adaptive!: boolean;

  @Field(() => Int, { nullable: true, description: 'adaptive, finished: samples per gene where sampling stopped' })
  stoppedAtSamplesPerGene!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'adaptive, finished: PRECISION, PLACEMENT (the stopping rule) or FULL_PLAN',
  })
  stopReason!: string | null;

  @Field(() => Int, { nullable: true, description: 'adaptive, finished: samples of the full plan not taken' })
  samplesSaved!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "adaptive, finished: tokens the full plan would have cost beyond this job's, from its own tokens per request and per sample",
  })
  tokensSaved!: number | null;

  @Field(() => String)
  createdAt!: string;

  @Field(() => String, { nullable: true })
  startedAt!: string | null;

  @Field(() => String, { nullable: true })
  finishedAt!: string | null;
}

@ObjectType()
export class ProbeJobConnection extends Connection(ProbeJob, 'ProbeJob') {}

@ObjectType({ description: 'What a probing would cost before it runs, counting only the missing samples.' })
export class ProbingEstimate implements Estimate {
  @Field(() => Int)
  samplesNeeded!: number;

  @Field(() => Int)
  requests!: number;

  @Field(() => Int, { description: 'estimated at about 4 characters per token' })
  promptTokens!: number;

  @Field(() => Int, { description: 'at most maxTokens per sample' })
  completionTokens!: number;

  @Field(() => Float, { description: 'with the batch discount taken off when batch: true' })
  costUsd!: number;

  @Field(() => Float, { description: 'what batch: true saves against direct requests (0 without batch)' })
  batchDiscountUsd!: number;

  @Field(() => Boolean, { description: 'false when the price table does not know the model' })
  priced!: boolean;
}

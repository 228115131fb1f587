/** Builds the executable GraphQL schema from the resolvers (type-graphql). */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import {
  DistancePairResolver,
  DistanceResolver,
  DistanceRowResolver,
  MatrixNeighborResolver,
  NearestModelsResolver,
  PhylipNameResolver,
} from './distance/distance.resolver';
import { DriftAlertResolver, DriftResolver } from './drift/drift.resolver';
import { IdentityResolver } from './identity/identity.resolver';
import {
  CoverageModelResolver,
  ExclusionResolver,
  ModelCoverageResolver,
  ModelPairResolver,
} from './evidence/evidence.resolver';
import { GenomeResolver } from './genome/genome.resolver';
import { ModelConnectionResolver, ModelResolver } from './model/model.resolver';
import {
  EvaluationPointResolver,
  PredictionNeighborResolver,
  PredictionResolver,
} from './prediction/prediction.resolver';
import { SampleResolver } from './sample/sample.resolver';
import { ScoreResolver } from './score/score.resolver';
import { TreeNodeResolver, TreeResolver } from './tree/tree.resolver';
import { JobResolver } from './job/job.resolver';
import { ProviderResolver } from './provider/provider.resolver';
import { refuseIllFormedArguments } from './well-formed-arguments';

export const resolvers = [
  ModelResolver,
  ModelConnectionResolver,
  GenomeResolver,
  SampleResolver,
  DistanceResolver,
  PhylipNameResolver,
  DistanceRowResolver,
  DistancePairResolver,
  MatrixNeighborResolver,
  NearestModelsResolver,
  IdentityResolver,
  DriftResolver,
  DriftAlertResolver,
  TreeResolver,
  TreeNodeResolver,
  ScoreResolver,
  PredictionResolver,
  PredictionNeighborResolver,
  EvaluationPointResolver,
  ProviderResolver,
  JobResolver,
  ModelCoverageResolver,
  CoverageModelResolver,
  ExclusionResolver,
  ModelPairResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/**
 * type-graphql insists on a PubSub as soon as there is a subscription, even when every
 * subscription brings its own `subscribe` function (ours read the services in the request
 * context, so each server instance streams its own jobs). This one refuses topic-based use.
 */
const noTopics = {
  publish(): void {
    throw new Error('subscriptions here use their own subscribe functions, not topics');
  },
  subscribe(): never {
    throw new Error('subscriptions here use their own subscribe functions, not topics');
  },
};

/**
 * The schema is the same for every server in a process, so it is built once. Input checks live
 * in the services (they serve the demo and scripts too), hence `validate: false`; the one check
 * every argument gets, whatever the field, is that its text is well-formed Unicode.
 */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: false, pubSub: noTopics }).then(refuseIllFormedArguments);
  return built;
}

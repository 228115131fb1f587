/** Builds the executable GraphQL schema from the resolvers (type-graphql). */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { DistanceResolver } from './distance/distance.resolver';
import { GenomeResolver } from './genome/genome.resolver';
import { ModelConnectionResolver, ModelResolver } from './model/model.resolver';
import { SampleResolver } from './sample/sample.resolver';
import { ScoreResolver } from './score/score.resolver';
import { TreeNodeResolver, TreeResolver } from './tree/tree.resolver';

export const resolvers = [
  ModelResolver,
  ModelConnectionResolver,
  GenomeResolver,
  SampleResolver,
  DistanceResolver,
  TreeResolver,
  TreeNodeResolver,
  ScoreResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/**
 * The schema is the same for every server in a process, so it is built once. Input checks live
 * in the services (they serve the demo and scripts too), hence `validate: false`.
 */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: false });
  return built;
}

/**
 * Relay-style connections (`nodes`, `edges { cursor node }`, `pageInfo`), made once for every
 * paginated type instead of written out per type.
 */
import { Field, ObjectType, type ClassType } from 'type-graphql';
import { PageInfo } from './page-info.type';

export interface ConnectionShape<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** The base class of `<Name>Connection`, with its `<Name>Edge` type. */
export function Connection<T extends object>(Node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => Node)
    node!: T;
  }

  @ObjectType()
  abstract class ConnectionBase implements ConnectionShape<T> {
    @Field(() => [Node])
    nodes!: T[];

    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionBase;
}

/** A service's page (nodes with their cursors) as a connection. */
export function toConnection<T>(page: {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
}): ConnectionShape<T> {
  return {
    nodes: page.nodes,
    edges: page.nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  };
}

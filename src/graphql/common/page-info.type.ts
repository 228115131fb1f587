import { Field, ObjectType } from 'type-graphql';

/** Relay-style page information, shared by every connection. */
@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'pass as `after` to get the next page' })
  endCursor!: string | null;
}

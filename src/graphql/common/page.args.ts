/**
 * The `first` / `after` arguments of every paginated field, declared once. The limits come from
 * the service that applies them, so the description cannot drift from the behaviour.
 */
import { ArgsType, Field, Int, type ClassType } from 'type-graphql';
import type { PageLimits, PageRequest } from '../../services/page';

/** The arguments class of a paginated field; `limits` (when given) are described on `first`. */
export function PageArgs(limits?: PageLimits): ClassType<PageRequest> {
  @ArgsType()
  class Page implements PageRequest {
    @Field(() => Int, {
      nullable: true,
      description: limits && `page size, default ${limits.default}, at most ${limits.max}`,
    })
    first?: number | null;

    @Field(() => String, { nullable: true })
    after?: string | null;
  }
  return Page;
}

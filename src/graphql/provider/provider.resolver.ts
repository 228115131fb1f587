import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Provider, ProviderModel } from './provider.type';

@Resolver(() => Provider)
export class ProviderResolver {
  @Query(() => [Provider], { description: 'Loaded provider plugins (built-in and configured modules).' })
  providers(@Ctx() { services }: Context): Provider[] {
    return services.providers.list();
  }

  @FieldResolver(() => [ProviderModel], {
    description: 'models the provider offers; empty when it is not configured or cannot list them',
  })
  models(@Root() provider: Provider, @Ctx() { services }: Context): Promise<ProviderModel[]> {
    return services.providers.models(provider.id);
  }
}

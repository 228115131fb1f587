import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Provider as ProviderPlugin } from '../../providers/provider';
import type { Context } from '../context';
import type { ModelMode } from '../model/model.type';
import { Provider, ProviderCapabilities, ProviderModel } from './provider.type';

function view(plugin: ProviderPlugin): Provider {
  const c = plugin.capabilities;
  const capabilities: ProviderCapabilities = {
    maxSamplesPerRequest: c.maxSamplesPerRequest,
    modes: c.modes as ModelMode[],
    maxConcurrency: Number.isFinite(c.maxConcurrency) ? c.maxConcurrency : 2 ** 31 - 1,
    requestsPerMinute: c.requestsPerMinute ?? null,
    tokensPerMinute: c.tokensPerMinute ?? null,
    supportsSeed: c.supportsSeed,
  };
  return { id: plugin.id, name: plugin.name, configured: plugin.configured, capabilities };
}

@Resolver(() => Provider)
export class ProviderResolver {
  @Query(() => [Provider], { description: 'Loaded provider plugins (built-in and configured modules).' })
  providers(@Ctx() { services }: Context): Provider[] {
    return services.registry.list().map(view);
  }

  @FieldResolver(() => [ProviderModel], {
    description: 'models the provider offers; empty when it is not configured or cannot list them',
  })
  async models(@Root() provider: Provider, @Ctx() { services, logger }: Context): Promise<ProviderModel[]> {
    const plugin = services.registry.get(provider.id);
    if (!plugin.configured) return [];
    try {
      return (await plugin.listModels()) as ProviderModel[];
    } catch (error) {
      logger?.log('warn', 'could not list provider models', { provider: provider.id, error });
      return [];
    }
  }
}

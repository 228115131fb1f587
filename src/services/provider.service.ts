/**
 * The loaded provider plugins as the API shows them: identity and declared capabilities, never
 * credentials or prices.
 */
import type { Logger } from '../logger';
import type { Mode, Provider, ProviderModelInfo } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';

/** A model a provider offers, as the plugin describes it. */
export type ProviderModelView = ProviderModelInfo;

export interface ProviderCapabilitiesView {
  maxSamplesPerRequest: number;
  modes: Mode[];
  /** a plugin's unbounded concurrency (Infinity) shown as the largest GraphQL Int */
  maxConcurrency: number;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  supportsSeed: boolean;
}

export interface ProviderView {
  id: string;
  name: string;
  configured: boolean;
  capabilities: ProviderCapabilitiesView;
}

const MAX_GRAPHQL_INT = 2 ** 31 - 1;

export class ProviderService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly logger?: Logger,
  ) {}

  list(): ProviderView[] {
    return this.registry.list().map(providerView);
  }

  /** The models a provider offers; none when it is not configured or cannot list them (logged). */
  async models(id: string): Promise<ProviderModelView[]> {
    const plugin = this.registry.get(id);
    if (!plugin.configured) return [];
    try {
      return await plugin.listModels();
    } catch (error) {
      this.logger?.log('warn', 'could not list provider models', { provider: id, error });
      return [];
    }
  }
}

function providerView(plugin: Provider): ProviderView {
  const c = plugin.capabilities;
  const capabilities: ProviderCapabilitiesView = {
    maxSamplesPerRequest: c.maxSamplesPerRequest,
    modes: c.modes,
    maxConcurrency: Number.isFinite(c.maxConcurrency) ? c.maxConcurrency : MAX_GRAPHQL_INT,
    requestsPerMinute: c.requestsPerMinute ?? null,
    tokensPerMinute: c.tokensPerMinute ?? null,
    supportsSeed: c.supportsSeed,
  };
  return { id: plugin.id, name: plugin.name, configured: plugin.configured, capabilities };
}

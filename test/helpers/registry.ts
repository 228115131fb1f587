/**
 * A provider registry the way the application builds one (`src/app.ts`): the built-in plugins
 * for `config` plus its modules. For tests that call `createServices` or the registry directly.
 */
import { providersFromConfig, type ProvidersConfig } from '../../plugins';
import { createProviderRegistry, type ProviderRegistry } from '../../src/providers/registry';

export function builtinRegistry(config: ProvidersConfig = {}): ProviderRegistry {
  return createProviderRegistry(providersFromConfig(config));
}

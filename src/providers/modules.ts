/**
 * Providers from npm modules (or paths) named in configuration (`PHYLOLM_PROVIDER_MODULES`): each
 * module exports `createProvider(options)` returning a v1 Provider or an array of them. Modules
 * are loaded with `require`, so a package name or an absolute path both work.
 */
import type { Provider } from './provider';
import { assertProvider } from './registry';

export interface ProviderModuleConfig {
  module: string;
  options?: unknown;
}

/** The providers of every module in `entries`, in order; a module that breaks the contract throws. */
export function loadProviderModules(
  entries: ReadonlyArray<string | ProviderModuleConfig>,
  requireModule: (name: string) => unknown = require,
): Provider[] {
  return entries.flatMap((entry) => {
    const { module, options } = typeof entry === 'string' ? { module: entry, options: undefined } : entry;
    const exported = requireModule(module) as { createProvider?: unknown; default?: { createProvider?: unknown } };
    const factory = exported?.createProvider ?? exported?.default?.createProvider;
    if (typeof factory !== 'function') {
      throw new TypeError(`provider module ${module} must export createProvider(options)`);
    }
    const made = (factory as (options: unknown) => Provider | Provider[])(options);
    const providers = Array.isArray(made) ? made : [made];
    for (const provider of providers) assertProvider(provider, `provider from module ${module}`);
    return providers;
  });
}

/**
 * The provider registry: provider instances keyed by id, in the shape of the Vercel AI SDK's
 * `createProviderRegistry`, which is handed providers and knows none of them; its errors list
 * the valid ids. Which providers exist is decided by the caller (`plugins/index.ts` holds the
 * built-ins and reads their settings; `src/app.ts` wires them in).
 */
import type { Provider } from './provider';
import { SPECIFICATION_VERSION } from './provider';
import { NoSuchProviderError } from './errors';

export interface ProviderRegistry {
  /** throws NoSuchProviderError listing the available ids */
  get(id: string): Provider;
  has(id: string): boolean;
  list(): Provider[];
}

/** A registry of `providers`, in their order; each is checked, and ids must be unique. */
export function createProviderRegistry(providers: Iterable<Provider>): ProviderRegistry {
  const byId = new Map<string, Provider>();
  for (const provider of providers) {
    assertProvider(provider, provider?.id ? `provider ${provider.id}` : 'a provider');
    if (byId.has(provider.id)) throw new TypeError(`duplicate provider id: ${provider.id}`);
    byId.set(provider.id, provider);
  }
  return {
    get(id) {
      const provider = byId.get(id);
      if (!provider) throw new NoSuchProviderError(id, [...byId.keys()]);
      return provider;
    },
    has: (id) => byId.has(id),
    list: () => [...byId.values()],
  };
}

/** Throws a TypeError naming `source` unless `provider` implements the v1 interface. */
export function assertProvider(provider: Provider, source: string): void {
  if (!provider || provider.specificationVersion !== SPECIFICATION_VERSION) {
    throw new TypeError(
      `${source} must implement specificationVersion '${SPECIFICATION_VERSION}' (got ${String(provider?.specificationVersion)})`,
    );
  }
  if (typeof provider.id !== 'string' || provider.id === '' || typeof provider.doSample !== 'function') {
    throw new TypeError(`${source} must have a non-empty id and a doSample method`);
  }
}

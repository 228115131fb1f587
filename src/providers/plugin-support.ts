/**
 * Small pieces every HTTP plugin needs the same way: checking a request against what the plugin
 * declared, and an SDK client that is rebuilt only when the key it was made with changes (keys
 * are read lazily, so one set after start-up is picked up; the client, which holds the key,
 * never leaves the plugin's closure).
 */
import { UnsupportedCapabilityError } from './errors';
import { assertValidSampleRequest, type ProviderCapabilities, type SampleRequest } from './provider';

/** Valid settings (TypeError/RangeError otherwise) in a mode the provider declared. */
export function checkSampleRequest(
  providerId: string,
  capabilities: ProviderCapabilities,
  request: SampleRequest,
): void {
  assertValidSampleRequest(request);
  if (!capabilities.modes.includes(request.mode)) {
    throw UnsupportedCapabilityError.forMode(providerId, request.mode, capabilities.modes);
  }
}

/** The client for the current key, made again only when the key differs from the last one. */
export function keyedClient<C, K extends string | undefined>(make: (key: K) => C): (key: K) => C {
  let client: C | undefined;
  let madeWith: K | undefined;
  return (key) => {
    if (client === undefined || madeWith !== key) {
      client = make(key);
      madeWith = key;
    }
    return client;
  };
}

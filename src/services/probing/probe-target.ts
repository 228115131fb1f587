/**
 * What a probing request names, checked: the model and genome exist, the model is not external,
 * its provider is loaded, configured and can sample in the model's mode, and the sample count
 * and token budget are in range.
 */
import type { GenomeRow, ModelRow, Store } from '../../db/store';
import type { Provider } from '../../providers/provider';
import type { ProviderRegistry } from '../../providers/registry';
import { badInput } from '../errors';
import { EXTERNAL_PROVIDER, MAX_TOKENS } from '../model.service';
import { lookUpGenome, lookUpModel } from '../reference';
import { requireIntIn } from '../validate';
import { adaptiveSettings, type AdaptiveOptions } from './adaptive';

export const REFERENCE_SAMPLES_PER_GENE = 32;
const MAX_SAMPLES_PER_GENE = 1024;

export interface StartProbingInput {
  model: string;
  genome: string;
  samplesPerGene?: number | null;
  maxTokens?: number | null;
  /** through the provider's batch API (batch-runner.ts); refused for providers without one */
  batch?: boolean | null;
  /** sample in rounds and stop when more samples would change nothing that matters (adaptive.ts) */
  adaptive?: boolean | null;
  adaptiveOptions?: AdaptiveOptions | null;
}

export interface Target {
  model: ModelRow;
  genome: GenomeRow;
  provider: Provider;
  samplesPerGene: number;
  maxTokens: number;
  batch: boolean;
  adaptive: boolean;
  adaptiveOptions: AdaptiveOptions | null;
}

export async function resolveTarget(
  store: Store,
  registry: ProviderRegistry,
  input: StartProbingInput,
): Promise<Target> {
  // the numbers the request gives are checked first, so a bad one is named whatever the model
  if (input.samplesPerGene != null) requireIntIn('samplesPerGene', input.samplesPerGene, 1, MAX_SAMPLES_PER_GENE);
  if (input.maxTokens != null) requireIntIn('maxTokens', input.maxTokens, 1, MAX_TOKENS);
  const model = await lookUpModel(store, input.model);
  const genome = await lookUpGenome(store, input.genome);
  if (model.provider === EXTERNAL_PROVIDER) {
    throw badInput(`model "${model.name}" is external: its samples can only be imported`);
  }
  if (!registry.has(model.provider)) {
    throw badInput(`model "${model.name}" names provider "${model.provider}", which is not loaded`);
  }
  const provider = registry.get(model.provider);
  if (!provider.configured) {
    throw badInput(`provider "${provider.id}" is not configured (missing API key or endpoint)`);
  }
  if (!provider.capabilities.modes.includes(model.mode)) {
    throw badInput(`provider "${provider.id}" cannot sample in ${model.mode} mode`);
  }
  // a batch answers within 24 h and all at once: rounds that decide from the previous one's answers cannot ride on it
  if (input.adaptive === true && input.batch === true) {
    throw badInput('batch: true and adaptive: true cannot be combined; choose one');
  }
  if (input.batch && !provider.batch) {
    const offering = registry
      .list()
      .filter((p) => p.batch)
      .map((p) => p.id);
    throw badInput(
      `provider "${provider.id}" has no batch API; batch: true works with ${offering.join(', ') || 'no loaded provider'}`,
    );
  }
  const samplesPerGene = input.samplesPerGene ?? REFERENCE_SAMPLES_PER_GENE;
  const maxTokens = requireIntIn('maxTokens', input.maxTokens ?? model.maxTokens, 1, MAX_TOKENS);
  const adaptive = input.adaptive === true;
  const batch = input.batch === true;
  // checked here too, so a bad knob is refused before anything is stored
  if (adaptive) adaptiveSettings(input.adaptiveOptions, samplesPerGene);
  else if (input.adaptiveOptions != null) throw badInput('adaptiveOptions needs adaptive: true');
  return {
    model,
    genome,
    provider,
    samplesPerGene,
    maxTokens,
    batch,
    adaptive,
    adaptiveOptions: input.adaptiveOptions ?? null,
  };
}

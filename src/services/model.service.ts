/** Registering, finding and listing models (taxa: an endpoint with its sampling settings). */
import type { ModelFilter, ModelRow, Mode, Store } from '../db/store';
import { DuplicateError } from '../db/store';
import { badInput, notFound, parseId } from './errors';
import type { GenomeService } from './genome.service';
import { MODEL_PAGE, paginate, type Page, type PageRequest } from './page';
import {
  findByIdOrName,
  MAX_MODELS_PER_REQUEST,
  requireIntIn,
  requireListLength,
  requireNumberIn,
  requireText,
} from './validate';

/** A model as the API shows it: the stored row. */
export type ModelView = ModelRow;
export type ModelMode = Mode;

/** Provider id for models whose samples only ever come from `importCompletions`. */
export const EXTERNAL_PROVIDER = 'external';

/** Reference sampling settings (method.md, "Probing"). */
export const REFERENCE_SETTINGS = { temperature: 0.7, topP: 1, maxTokens: 5 } as const;
/** The largest maxTokens a model or a probing may ask for. */
export const MAX_TOKENS = 4096;

export interface RegisterModelInput {
  name: string;
  provider: string;
  providerModel?: string | null;
  family?: string | null;
  mode?: Mode | null;
  temperature?: number | null;
  topP?: number | null;
  maxTokens?: number | null;
}

/** What `models` may be filtered by; `genome` is a genome id (only models with samples on it). */
export interface ModelSearch {
  provider?: string | null;
  family?: string | null;
  mode?: Mode | null;
  nameContains?: string | null;
  genome?: string | null;
}

export interface ModelPage extends Page<ModelRow> {
  /** models matching the filter over all pages, counted only when asked for */
  totalCount: () => Promise<number>;
}

export class ModelService {
  constructor(
    private readonly store: Store,
    /** Provider ids a model may name; `external` is always allowed. */
    private readonly providerIds: () => readonly string[],
    private readonly genomes: GenomeService,
  ) {}

  async register(input: RegisterModelInput): Promise<ModelRow> {
    const name = requireText('name', input.name, 200);
    const provider = requireText('provider', input.provider, 200);
    const known = [EXTERNAL_PROVIDER, ...this.providerIds()];
    if (!known.includes(provider)) {
      throw badInput(`unknown provider "${provider}"; available: ${known.join(', ')}`);
    }
    const providerModel = optionalText('providerModel', input.providerModel, 200);
    if (provider !== EXTERNAL_PROVIDER && providerModel === null) {
      throw badInput(`providerModel is required for provider "${provider}"`);
    }
    if (await this.store.getModelByName(name)) throw badInput(`a model named "${name}" already exists`);
    const row = {
      name,
      provider,
      providerModel,
      family: optionalText('family', input.family, 200),
      mode: input.mode ?? 'CHAT',
      temperature: requireNumberIn('temperature', input.temperature ?? REFERENCE_SETTINGS.temperature, 0, 2),
      topP: requireNumberIn('topP', input.topP ?? REFERENCE_SETTINGS.topP, 0, 1),
      maxTokens: requireIntIn('maxTokens', input.maxTokens ?? REFERENCE_SETTINGS.maxTokens, 1, MAX_TOKENS),
    };
    try {
      return await this.store.createModel(row);
    } catch (error) {
      if (error instanceof DuplicateError) throw badInput(error.message);
      throw error;
    }
  }

  async get(id: string): Promise<ModelRow> {
    const model = await this.store.getModel(parseId('model', id));
    if (!model) throw notFound(`no model with id "${id}"`);
    return model;
  }

  find(ref: { id?: string | null; name?: string | null }): Promise<ModelRow | null> {
    return findByIdOrName(
      ref,
      (id) => this.store.getModel(id),
      (name) => this.store.getModelByName(name),
    );
  }

  /** Resolves GraphQL ids to models in the given order; unknown or repeated ids are errors. */
  async getMany(ids: readonly string[]): Promise<ModelRow[]> {
    requireListLength('models', ids, MAX_MODELS_PER_REQUEST);
    const numeric = ids.map((id) => parseId('model', id));
    if (new Set(numeric).size !== numeric.length) throw badInput('the models list names a model more than once');
    const byId = await this.byId(numeric);
    return numeric.map((id, i) => {
      const model = byId.get(id);
      if (!model) throw notFound(`no model with id "${ids[i]}"`);
      return model;
    });
  }

  /** Models by row id in key order, a NOT_FOUND error for each unknown id (a DataLoader batch). */
  async byIds(ids: readonly number[]): Promise<(ModelRow | Error)[]> {
    const byId = await this.byId(ids);
    return ids.map((id) => byId.get(id) ?? notFound(`no model with id "${id}"`));
  }

  /** Model names by row id in key order; an id no longer known stands for itself. */
  async names(ids: readonly number[]): Promise<string[]> {
    const byId = await this.byId(ids);
    return ids.map((id) => byId.get(id)?.name ?? String(id));
  }

  /** The models a request lists, or undefined when it lists none (meaning every model with samples). */
  async selected(ids: readonly string[] | null | undefined): Promise<ModelRow[] | undefined> {
    return ids ? this.getMany(ids) : undefined;
  }

  /** How many models are registered. */
  count(): Promise<number> {
    return this.store.countModels({});
  }

  /** One page of the models matching `search`, oldest first. */
  async list(search: ModelSearch | null | undefined, page: PageRequest): Promise<ModelPage> {
    const filter = await this.filterOf(search ?? {});
    const found = await paginate(
      'model',
      page,
      MODEL_PAGE,
      (afterId, limit) => this.store.listModels(filter, afterId, limit),
      (model) => model.id,
    );
    return { ...found, totalCount: () => this.store.countModels(filter) };
  }

  private async filterOf(search: ModelSearch): Promise<ModelFilter> {
    const genome = search.genome ? await this.genomes.get(search.genome) : undefined;
    return {
      provider: search.provider ?? undefined,
      family: search.family ?? undefined,
      mode: search.mode ?? undefined,
      nameContains: search.nameContains ?? undefined,
      genomeId: genome?.id,
    };
  }

  private async byId(ids: readonly number[]): Promise<Map<number, ModelRow>> {
    return new Map((await this.store.getModels(ids)).map((m) => [m.id, m]));
  }
}

/** An optional text setting: blank means none; otherwise trimmed and at most `maxLength` long. */
function optionalText(field: string, value: string | null | undefined, maxLength: number): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if (trimmed.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters`);
  return trimmed;
}

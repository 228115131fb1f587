/** Registering, finding and listing models (taxa: an endpoint with its sampling settings). */
import type { ModelFilter, ModelRow, Mode, Store } from '../db/store';
import { DuplicateError } from '../db/store';
import { badInput, notFound, parseId } from './errors';
import {
  decodeCursor,
  encodeCursor,
  findByIdOrName,
  MAX_MODELS_PER_REQUEST,
  pageSize,
  requireListLength,
  requireIntIn,
  requireNumberIn,
  requireText,
} from './validate';

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

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: () => Promise<number>;
}

export class ModelService {
  constructor(
    private readonly store: Store,
    /** Provider ids a model may name; `external` is always allowed. */
    private readonly providerIds: () => readonly string[],
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
    const byId = new Map((await this.store.getModels(numeric)).map((m) => [m.id, m]));
    return numeric.map((id, i) => {
      const model = byId.get(id);
      if (!model) throw notFound(`no model with id "${ids[i]}"`);
      return model;
    });
  }

  async list(filter: ModelFilter, first: number | null | undefined, after: string | null | undefined) {
    const limit = pageSize(first, 100, 1000);
    const afterId = decodeCursor('model', after);
    const rows = await this.store.listModels(filter, afterId, limit + 1);
    const nodes = rows.slice(0, limit);
    const cursors = nodes.map((m) => encodeCursor('model', m.id));
    const page: Page<ModelRow> = {
      nodes,
      cursors,
      hasNextPage: rows.length > limit,
      endCursor: cursors.at(-1) ?? null,
      totalCount: () => this.store.countModels(filter),
    };
    return page;
  }
}

/** An optional text setting: blank means none; otherwise trimmed and at most `maxLength` long. */
function optionalText(field: string, value: string | null | undefined, maxLength: number): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if (trimmed.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters`);
  return trimmed;
}

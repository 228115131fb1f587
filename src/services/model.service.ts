/** Registering, finding and listing models (taxa: an endpoint with its sampling settings). */
import type { ModelFilter, ModelRow, Mode, Store } from '../db/store';
import { DuplicateError } from '../db/store';
import { badInput, conflict, notFound } from './errors';
import type { GenomeService } from './genome.service';
import { MODEL_PAGE, paginate, type Page, type PageRequest } from './page';
import { findByIdOrName, lookUpMany, lookUpModel, modelLookups } from './reference';
import { MAX_MODELS_PER_REQUEST, requireIntIn, requireListLength, requireNumberIn, requireText } from './validate';

/** A model as the API shows it: the stored row. */
export type ModelView = ModelRow;
export type ModelMode = Mode;

/** Provider id for models whose samples only ever come from `importCompletions`. */
export const EXTERNAL_PROVIDER = 'external';

/** Reference sampling settings (method.md, "Probing"). */
export const REFERENCE_SETTINGS = { temperature: 0.7, topP: 1, maxTokens: 5 } as const;
/** The largest maxTokens a model or a probing may ask for. */
export const MAX_TOKENS = 4096;

/**
 * What a create does when the name is taken: FAIL refuses it (BAD_USER_INPUT, as the contract
 * has it); RETURN answers the existing row when it is the same, and CONFLICT when it is not, so a
 * service can register what it needs at every start.
 */
export type IfExists = 'FAIL' | 'RETURN';

/** The settings that make a model what it is; RETURN compares them all. */
const MODEL_SETTINGS = ['provider', 'providerModel', 'family', 'mode', 'temperature', 'topP', 'maxTokens'] as const;

export interface RegisterModelInput {
  name: string;
  ifExists?: IfExists | null;
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
    const ifExists = input.ifExists ?? 'FAIL';
    const taken = await this.store.getModelByName(name);
    if (taken && ifExists === 'FAIL') throw badInput(`a model named "${name}" already exists`);
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
    if (taken) return sameOrConflict(taken, row);
    try {
      return await this.store.createModel(row);
    } catch (error) {
      if (!(error instanceof DuplicateError)) throw error;
      // another request registered the name between our read and this write
      const winner = ifExists === 'RETURN' ? await this.store.getModelByName(name) : undefined;
      if (winner) return sameOrConflict(winner, row);
      throw badInput(error.message);
    }
  }

  /** The model a reference names: an id, a name, or `name:<name>` (reference.ts). */
  get(reference: string): Promise<ModelRow> {
    return lookUpModel(this.store, reference);
  }

  find(ref: { id?: string | null; name?: string | null }): Promise<ModelRow | null> {
    return findByIdOrName(ref, modelLookups(this.store));
  }

  /** Resolves model references (ids or names, reference.ts) in the given order; unknown or repeated ones are errors. */
  async getMany(references: readonly string[]): Promise<ModelRow[]> {
    requireListLength('models', references, MAX_MODELS_PER_REQUEST);
    const twice = () => badInput('the models list names a model more than once');
    if (new Set(references).size !== references.length) throw twice();
    const models = await lookUpMany('model', references, {
      byIds: (ids) => this.store.getModels(ids),
      byNames: (names) => this.store.getModelsByNames(names),
    });
    // one model may be named by its id and by its name
    if (new Set(models.map((m) => m.id)).size !== models.length) throw twice();
    return models;
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

/** `existing` when it has every setting of `wanted`; otherwise CONFLICT naming each that differs. */
function sameOrConflict(existing: ModelRow, wanted: Pick<ModelRow, (typeof MODEL_SETTINGS)[number]>): ModelRow {
  const differing = MODEL_SETTINGS.filter((key) => existing[key] !== wanted[key]);
  if (differing.length === 0) return existing;
  const details = differing.map(
    (key) => `${key} is ${JSON.stringify(existing[key])}, not ${JSON.stringify(wanted[key])}`,
  );
  throw conflict(
    `a model named "${existing.name}" already exists with other settings: ${details.join('; ')}; ` +
      'register under another name, or delete the model first',
  );
}

/** An optional text setting: blank means none; otherwise trimmed and at most `maxLength` long. */
function optionalText(field: string, value: string | null | undefined, maxLength: number): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if (trimmed.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters`);
  return trimmed;
}

/**
 * How an argument names a model or a genome: by id or by name, with one rule for every argument
 * (README, "Ids or names"), so a service can pass the names it already knows
 * (`prediction(model: "gpt-4o-mini", genome: "math-owm-128")`) and ids keep working unchanged.
 *
 * 1. `name:<text>` is always the row named <text>, never an id: the escape that keeps a model
 *    literally named "12" reachable while another row has id 12.
 * 2. A value in the canonical form of a row id (`12`, not `012` or `12.0`) that is the id of an
 *    existing row is that row. Ids come first, so no registration can change what an id means.
 * 3. Otherwise the value is a name.
 *
 * Every lookup by a reference goes through `lookUp`/`lookUpMany`; `ModelService.get` and
 * `GenomeService.get` are the entry points, and the gate's cost model resolves its genome
 * arguments through `GenomeService.get`, so it prices what the resolver will compute.
 */
import type { GenomeRow, ModelRow, Store } from '../db/store';
import { badInput, notFound } from './errors';
import { pace } from './time-slice';

export const NAME_PREFIX = 'name:';
const ROW_ID = /^[1-9][0-9]{0,15}$/;

/** What a reference may mean: an id to try first (null when it cannot be one), then a name. */
export interface ParsedReference {
  id: number | null;
  name: string;
}

export function parseReference(reference: string): ParsedReference {
  if (reference.startsWith(NAME_PREFIX)) return { id: null, name: reference.slice(NAME_PREFIX.length) };
  return { id: ROW_ID.test(reference) ? Number(reference) : null, name: reference };
}

/**
 * `model(id, name)` and `genome(id, name)`: exactly one of the two, each meaning only what it says
 * (the explicit form needs no rule); an id that cannot be ours finds nothing.
 */
export async function findByIdOrName<T>(
  ref: { id?: string | null; name?: string | null },
  lookups: Lookups<T>,
): Promise<T | null> {
  if ((ref.id == null) === (ref.name == null)) throw badInput('give exactly one of id or name');
  if (ref.id != null) return ROW_ID.test(ref.id) ? ((await lookups.byId(Number(ref.id))) ?? null) : null;
  return (await lookups.byName(ref.name!)) ?? null;
}

export function notFoundByReference(kind: string, reference: string): Error {
  const { id, name } = parseReference(reference);
  return id === null
    ? notFound(`no ${kind} named "${name}"`)
    : notFound(`no ${kind} with id "${reference}" nor named "${name}"`);
}

export interface Lookups<T> {
  byId(id: number): Promise<T | undefined>;
  byName(name: string): Promise<T | undefined>;
}

export interface ManyLookups<T> {
  byIds(ids: readonly number[]): Promise<T[]>;
  byNames(names: readonly string[]): Promise<T[]>;
}

/** The row a reference names by the rule above, or a NOT_FOUND error naming the reference. */
export async function lookUp<T>(kind: string, reference: string, lookups: Lookups<T>): Promise<T> {
  const { id, name } = parseReference(reference);
  const row = (id !== null ? await lookups.byId(id) : undefined) ?? (await lookups.byName(name));
  if (!row) throw notFoundByReference(kind, reference);
  return row;
}

/**
 * The rows a list of references names, in its order, by the same rule: one read by ids, then
 * one read by names for what the ids did not find (a list may hold thousands).
 */
export async function lookUpMany<T extends { id: number; name: string }>(
  kind: string,
  references: readonly string[],
  lookups: ManyLookups<T>,
): Promise<T[]> {
  const parsed = references.map(parseReference);
  const ids = parsed.flatMap((p) => (p.id === null ? [] : [p.id]));
  const byId = new Map((await inSlices(ids, lookups.byIds)).map((row) => [row.id, row]));
  const names = parsed.filter((p) => p.id === null || !byId.has(p.id)).map((p) => p.name);
  const byName = new Map((await inSlices(names, lookups.byNames)).map((row) => [row.name, row]));
  return parsed.map((p, i) => {
    const row = (p.id !== null ? byId.get(p.id) : undefined) ?? byName.get(p.name);
    if (!row) throw notFoundByReference(kind, references[i]);
    return row;
  });
}

/** keys read at once: 2,000 model ids read in one go held the event loop for 20 to 50 ms */
const LOOKUP_SLICE = 250;

/** Rows for many keys, a slice at a time, the event loop served between slices. */
async function inSlices<K, T>(keys: readonly K[], read: (slice: readonly K[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let at = 0; at < keys.length; at += LOOKUP_SLICE) {
    if (at > 0) await pace();
    rows.push(...(await read(keys.slice(at, at + LOOKUP_SLICE))));
  }
  return rows;
}

/** How the store finds one model by id or by name. */
export function modelLookups(store: Store): Lookups<ModelRow> {
  return { byId: (id) => store.getModel(id), byName: (name) => store.getModelByName(name) };
}

/** How the store finds one genome by id or by name. */
export function genomeLookups(store: Store): Lookups<GenomeRow> {
  return { byId: (id) => store.getGenome(id), byName: (name) => store.getGenomeByName(name) };
}

/** The model a reference names (README, "Ids or names"). */
export function lookUpModel(store: Store, reference: string): Promise<ModelRow> {
  return lookUp('model', reference, modelLookups(store));
}

/** The genome a reference names (README, "Ids or names"). */
export function lookUpGenome(store: Store, reference: string): Promise<GenomeRow> {
  return lookUp('genome', reference, genomeLookups(store));
}

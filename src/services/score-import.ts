/**
 * Bulk benchmark-score import: parse a CSV or JSON table, match its rows to registered models,
 * check every value, then write all scores in one transaction (or nothing).
 *
 * Formats (the `format` argument says which):
 * - CSV: a header `model,<benchmark>,<benchmark>,...`, then one row per model. An empty cell
 *   means "no score"; fields may be double-quoted (RFC 4180), a leading BOM is ignored.
 * - JSON: either a list of `{ "model": name, "benchmark": name, "value": number }` or an object
 *   `{ "<model>": { "<benchmark>": number, ... }, ... }`.
 * Every value is multiplied by `scale` (e.g. 0.01 for percentages).
 *
 * The Open LLM Leaderboard v1 table bundled in assets/benchmarks/ imports the same way, matched
 * by model name or providerModel (leaderboard rows are Hugging Face ids).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRow, ScoreEntry, Store } from '../db/store';
import { assetsFolder } from '../paths';
import { badInput } from './errors';
import type { ModelService } from './model.service';
import {
  type BenchmarkRange,
  type RangeOf,
  rangesForWrite,
  rangesOf,
  requireInRange,
  requireStoredScoresFit,
} from './score-range';
import { requireWellFormed } from './validate';

export type ScoreFormat = 'CSV' | 'JSON';

export interface ScoreImportResult {
  /** distinct table models that matched a registered model */
  matched: number;
  /** table model names that matched nothing, in table order */
  unmatched: string[];
  /** scores written */
  written: number;
}

/** One value of the table, before matching. `where` names it in error messages. */
export interface TableCell {
  model: string;
  benchmark: string;
  value: number;
  where: string;
}

/** Largest table accepted, in characters (the HTTP body limit applies first). */
export const MAX_SCORE_TABLE_CHARS = 16 * 1024 * 1024;

export function parseScoreTable(format: ScoreFormat, data: string): TableCell[] {
  if (data.length > MAX_SCORE_TABLE_CHARS)
    throw badInput(`score table is longer than ${MAX_SCORE_TABLE_CHARS} characters`);
  if (format === 'CSV') return parseCsvTable(data);
  if (format === 'JSON') return parseJsonTable(data);
  throw badInput(`unknown score format "${String(format)}"; available: CSV, JSON`);
}

/** `model,<benchmark>,...` rows; empty cells are skipped. */
function parseCsvTable(data: string): TableCell[] {
  const [header, ...rows] = parseCsv(data.replace(/^\uFEFF/, ''));
  if (!header || header[0]?.trim().toLowerCase() !== 'model' || header.length < 2) {
    throw badInput('CSV header must be "model,<benchmark>,..." with at least one benchmark column');
  }
  const benchmarks = header.slice(1).map((b, i) => {
    const name = b.trim();
    if (name === '') throw badInput(`CSV header column ${i + 2} has no benchmark name`);
    return name;
  });
  const cells: TableCell[] = [];
  rows.forEach((row, r) => {
    if (row.length === 1 && row[0].trim() === '') return;
    const line = r + 2;
    const model = (row[0] ?? '').trim();
    if (model === '') throw badInput(`CSV row ${line} has no model name`);
    if (row.length > header.length)
      throw badInput(`CSV row ${line} (model "${model}") has ${row.length} fields, the header ${header.length}`);
    benchmarks.forEach((benchmark, b) => {
      const text = (row[b + 1] ?? '').trim();
      if (text === '') return;
      const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
      cells.push({ model, benchmark, value, where: `CSV row ${line} (model "${model}", ${benchmark}: "${text}")` });
    });
  });
  return cells;
}

function parseJsonTable(data: string): TableCell[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw badInput(`score table is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) {
    return parsed.map((entry: unknown, i) => {
      const e = (entry ?? {}) as Record<string, unknown>;
      if (
        typeof e.model !== 'string' ||
        typeof e.benchmark !== 'string' ||
        e.model.trim() === '' ||
        e.benchmark.trim() === ''
      ) {
        throw badInput(`JSON entry ${i} must be { "model": string, "benchmark": string, "value": number }`);
      }
      const value = typeof e.value === 'number' ? e.value : NaN;
      return {
        model: requireWellFormed(`JSON entry ${i} model`, e.model.trim()),
        benchmark: requireWellFormed(`JSON entry ${i} benchmark`, e.benchmark.trim()),
        value,
        where: `JSON entry ${i} (model "${e.model}", ${e.benchmark}: ${JSON.stringify(e.value)})`,
      };
    });
  }
  if (parsed === null || typeof parsed !== 'object') {
    throw badInput(
      'JSON score table must be a list of { model, benchmark, value } or an object { model: { benchmark: value } }',
    );
  }
  const cells: TableCell[] = [];
  for (const [model, row] of Object.entries(parsed as Record<string, unknown>)) {
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw badInput(`JSON model "${model}" must map benchmark names to numbers`);
    for (const [benchmark, v] of Object.entries(row as Record<string, unknown>)) {
      const value = typeof v === 'number' ? v : NaN;
      cells.push({
        model: requireWellFormed(`JSON model name`, model.trim()),
        benchmark: requireWellFormed(`JSON benchmark name of model "${model}"`, benchmark.trim()),
        value,
        where: `JSON model "${model}", ${benchmark}: ${JSON.stringify(v)}`,
      });
    }
  }
  return cells;
}

/** RFC 4180 fields: commas and newlines inside double quotes, "" for a quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw badInput('CSV has an unterminated quoted field');
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/**
 * Scales and checks every cell (a non-finite value names its row), matches table models to
 * registered ones with `lookup`, rejects a (model, benchmark) given twice, and returns the
 * entries to write with the import summary. Writes nothing.
 */
export function matchScoreTable(
  cells: readonly TableCell[],
  scale: number,
  lookup: (tableModel: string) => ModelRow | undefined,
  rangeOf: RangeOf = rangesOf(null),
): { entries: ScoreEntry[]; result: Omit<ScoreImportResult, 'written'> } {
  if (!Number.isFinite(scale) || scale === 0) throw badInput(`scale must be a finite non-zero number, got ${scale}`);
  if (cells.length === 0) throw badInput('the score table has no values');
  const entries: ScoreEntry[] = [];
  const matched = new Set<string>();
  const unmatched = new Set<string>();
  const seen = new Map<string, string>();
  for (const cell of cells) {
    const value = cell.value * scale;
    if (!Number.isFinite(value)) throw badInput(`${cell.where}: value must be a finite number`);
    if (cell.benchmark.length > 100) throw badInput(`${cell.where}: benchmark name is longer than 100 characters`);
    requireInRange(rangeOf, cell.benchmark, value, cell.where);
    const model = lookup(cell.model);
    if (!model) {
      unmatched.add(cell.model);
      continue;
    }
    const pair = `${model.id}\u0000${cell.benchmark}`;
    const earlier = seen.get(pair);
    if (earlier !== undefined)
      throw badInput(
        `${cell.where}: model "${model.name}" already has a ${cell.benchmark} score in this table (${earlier})`,
      );
    seen.set(pair, cell.where);
    matched.add(cell.model);
    entries.push({ modelId: model.id, benchmark: cell.benchmark, value });
  }
  return { entries, result: { matched: matched.size, unmatched: [...unmatched] } };
}

/** Open LLM Leaderboard v1 columns of the bundled table, with the benchmark names we store. */
export const LEADERBOARD_COLUMNS: Readonly<Record<string, string>> = {
  HFV1_ARC: 'ARC',
  HFV1_HellaSwag: 'HellaSwag',
  HFV1_MMLU: 'MMLU',
  HFV1_TruthfulQA: 'TruthfulQA',
  HFV1_Winogrande: 'Winogrande',
  HFV1_GSM8K: 'GSM8K',
};

export const LEADERBOARD_FILE = join(assetsFolder, 'benchmarks', 'open-llm-leaderboard-v1.csv');

/**
 * The bundled leaderboard as Hugging Face id -> benchmark -> score in [0, 1] (the file is in
 * percent). A few ids appear twice in the source; the first row (the file's order) wins.
 */
export function loadLeaderboard(file = LEADERBOARD_FILE): Map<string, Record<string, number>> {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const columns = Object.entries(LEADERBOARD_COLUMNS).map(([column, benchmark]) => ({
    at: header.indexOf(column),
    benchmark,
  }));
  const table = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const id = row[0]?.trim();
    if (!id || table.has(id.toLowerCase())) continue;
    const scores: Record<string, number> = {};
    for (const { at, benchmark } of columns) {
      const text = row[at]?.trim();
      if (text) scores[benchmark] = Number(text) / 100;
    }
    table.set(id.toLowerCase(), scores);
  }
  return table;
}

/** Score imports over the store; both mutations are all-or-nothing. */
export class ScoreImportService {
  private leaderboard?: Map<string, Record<string, number>>;

  constructor(
    private readonly store: Store,
    private readonly models: ModelService,
  ) {}

  /** `importLeaderboard` for the models with these ids, or for every registered model. */
  async importLeaderboardFor(ids?: readonly string[] | null): Promise<ScoreImportResult> {
    if (ids) return this.importLeaderboard(await this.models.getMany(ids));
    const all: ModelRow[] = [];
    for (let after: number | null = null; ;) {
      const page = await this.store.listModels({}, after, 1000);
      all.push(...page);
      if (page.length < 1000) break;
      after = page[page.length - 1].id;
    }
    return this.importLeaderboard(all);
  }

  async importTable(input: {
    format: ScoreFormat;
    data: string;
    scale?: number | null;
    ranges?: readonly BenchmarkRange[] | null;
  }): Promise<ScoreImportResult> {
    const cells = parseScoreTable(input.format, input.data);
    const names = [...new Set(cells.map((c) => c.model))];
    const byName = new Map<string, ModelRow>();
    for (const name of names) {
      const model = await this.store.getModelByName(name);
      if (model) byName.set(name, model);
    }
    const rangeOf = await rangesForWrite(this.store, input.ranges);
    const { entries, result } = matchScoreTable(cells, input.scale ?? 1, (name) => byName.get(name), rangeOf);
    await requireStoredScoresFit(this.store, input.ranges, entries);
    return this.write(entries, result, input.ranges ?? []);
  }

  /**
   * Leaderboard scores for the given models (all registered models when omitted), matched by
   * name or providerModel, case-insensitively. Models with no leaderboard row are listed in
   * `unmatched` by name.
   */
  async importLeaderboard(models: readonly ModelRow[]): Promise<ScoreImportResult> {
    this.leaderboard ??= loadLeaderboard();
    const entries: ScoreEntry[] = [];
    const unmatched: string[] = [];
    let matched = 0;
    for (const model of models) {
      const row = [model.name, model.providerModel]
        .filter((k): k is string => !!k)
        .map((k) => this.leaderboard!.get(k.toLowerCase()))
        .find((r) => r !== undefined);
      if (!row) {
        unmatched.push(model.name);
        continue;
      }
      matched++;
      for (const [benchmark, value] of Object.entries(row)) entries.push({ modelId: model.id, benchmark, value });
    }
    return this.write(entries, { matched, unmatched });
  }

  private async write(
    entries: ScoreEntry[],
    result: Omit<ScoreImportResult, 'written'>,
    ranges: readonly BenchmarkRange[] = [],
  ): Promise<ScoreImportResult> {
    if (entries.length === 0) return { ...result, written: 0 };
    const rows = await this.store.setScores(entries, ranges);
    return { ...result, written: rows.length };
  }
}

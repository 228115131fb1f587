/**
 * Completions taken elsewhere, read from a file for `phylolm import`: JSON Lines (one object per
 * line) or CSV (RFC 4180, a header row), each row a model, a genome, a gene index and a text —
 * what the `importCompletions` mutation takes. The whole file is checked before anything is
 * sent, so a malformed file changes nothing; each problem names its line.
 */
import { CliError } from './client';

export interface CompletionRow {
  model: string;
  genome: string;
  gene: number;
  text: string;
}

/** Values for rows that leave out their model or genome (`--model`, `--genome`). */
export interface RowDefaults {
  model?: string;
  genome?: string;
}

export function parseCompletions(file: string, content: string, defaults: RowDefaults = {}): CompletionRow[] {
  const records = /\.csv$/i.test(file) ? csvRecords(file, content) : jsonlRecords(file, content);
  if (records.length === 0) throw new CliError(`${file} has no completions`);
  return records.map(({ line, value }) => completionOf(file, line, value, defaults));
}

interface NumberedRecord {
  line: number;
  value: Record<string, unknown>;
}

function jsonlRecords(file: string, content: string): NumberedRecord[] {
  const records: NumberedRecord[] = [];
  content.split(/\r?\n/).forEach((text, k) => {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${file} line ${k + 1}: not JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new CliError(`${file} line ${k + 1}: expected an object like {"model": ..., "gene": 0, "text": ...}`);
    }
    records.push({ line: k + 1, value: value as Record<string, unknown> });
  });
  return records;
}

function csvRecords(file: string, content: string): NumberedRecord[] {
  const rows = readCsv(file, content);
  if (rows.length === 0) return [];
  const [header, ...body] = rows;
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  for (const needed of ['gene', 'text']) {
    if (!columns.includes(needed)) {
      throw new CliError(`${file} line 1: the header must name the columns model, genome, gene, text; no "${needed}"`);
    }
  }
  return body
    .filter((row) => !(row.fields.length === 1 && row.fields[0] === ''))
    .map((row) => {
      if (row.fields.length !== columns.length) {
        throw new CliError(`${file} line ${row.line}: ${row.fields.length} fields, the header has ${columns.length}`);
      }
      const value: Record<string, unknown> = {};
      columns.forEach((name, k) => (value[name] = name === 'gene' ? Number(row.fields[k]) : row.fields[k]));
      return { line: row.line, value };
    });
}

/** RFC 4180 records, each with the line it starts on; a quoted field may span lines. */
function readCsv(file: string, content: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRow = () => {
    fields.push(field);
    rows.push({ line: start, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c === '\n') line++;
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && content[i + 1] === '\n')) {
      if (c === '\r') {
        i++;
        line++;
      }
      endRow();
      start = line;
    } else field += c;
  }
  if (quoted) throw new CliError(`${file} line ${start}: a quoted field is never closed`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

function completionOf(
  file: string,
  line: number,
  value: Record<string, unknown>,
  defaults: RowDefaults,
): CompletionRow {
  const where = `${file} line ${line}`;
  const model = value.model ?? defaults.model;
  const genome = value.genome ?? defaults.genome;
  if (typeof model !== 'string' || model === '') throw new CliError(`${where}: no model (give "model", or --model)`);
  if (typeof genome !== 'string' || genome === '')
    throw new CliError(`${where}: no genome (give "genome", or --genome)`);
  if (typeof value.gene !== 'number' || !Number.isInteger(value.gene) || value.gene < 0) {
    throw new CliError(
      `${where}: "gene" must be a gene index (a whole number from 0), got ${JSON.stringify(value.gene)}`,
    );
  }
  if (typeof value.text !== 'string') throw new CliError(`${where}: "text" must be a string`);
  return { model, genome, gene: value.gene, text: value.text };
}

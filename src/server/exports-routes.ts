/**
 * Files for other dashboards and tools, by plain GET (README "Exports"):
 *
 *   /trees/<genome>.svg | .nwk | .nex | .json     models, method, root, outgroup, bootstrap,
 *                                                 layout and lengths (.svg) in the query string
 *   /matrices/<genome>.phy | .csv | .names.csv    models, digits (.phy) in the query string
 *   /matrices/<genome>.bin                        models, values, precision: the binary layout
 *
 * `.phy` and `.bin` are streamed (matrix-stream.ts): their query asks only for the matrix's
 * `fingerprint` (the gate, the cost model and the errors are the same), then the file is written
 * a block of rows at a time from the matrix that query computed, so a 10,000-model matrix never
 * becomes one string.
 *
 * `<genome>` is a genome's id or name (URL-encoded). Each route is one GraphQL query over the
 * same fields a GraphQL client would ask for (`tree { newick nexus json svg }`,
 * `distanceMatrix { phylip csv phylipNamesCsv }`), so it runs the same gate (cost model, limits),
 * the same services and their caches, and fails with the same error codes. This module only
 * translates a URL into that query; http-server.ts runs it and sends the answer.
 */
import { MAX_PHYLIP_DIGITS } from '../services/distance.service';
import type { MatrixPrecision, MatrixValues } from '../services/matrix-files';

export interface ExportOperation {
  query: string;
  variables: Record<string, unknown>;
  /** the root field of the answer and the field under it that holds the text */
  root: 'tree' | 'distanceMatrix';
  field: string;
  contentType: string;
  /** the name a browser saves the file under */
  filename: string;
  /** `attachment` for a binary file, `inline` for text */
  disposition: 'inline' | 'attachment';
  /** a matrix file streamed from the matrix the query resolves, instead of the field's text */
  stream?: MatrixFile;
}

/** What a streamed matrix file holds. */
export type MatrixFile =
  { format: 'phylip'; digits: number } | { format: 'binary'; values: MatrixValues; precision: MatrixPrecision };

export interface ExportRefusal {
  status: number;
  code: string;
  message: string;
}

/** A format: the field that holds its text, the variables of that field's arguments, its type. */
interface Format {
  field: string;
  arguments?: Record<string, string>;
  contentType: string;
}

const TREE_FORMATS: Record<string, Format> = {
  nwk: { field: 'newick', contentType: 'text/x-nh; charset=utf-8' },
  nex: { field: 'nexus', contentType: 'text/x-nexus; charset=utf-8' },
  json: { field: 'json', contentType: 'application/json; charset=utf-8' },
  svg: {
    field: 'svg',
    arguments: { layout: 'TreeShape!', lengths: 'BranchLengths!' },
    contentType: 'image/svg+xml; charset=utf-8',
  },
};

const MATRIX_FORMATS: Record<string, Format> = {
  phy: { field: 'fingerprint', contentType: 'text/plain; charset=utf-8' },
  bin: { field: 'fingerprint', contentType: 'application/octet-stream' },
  csv: { field: 'csv', contentType: 'text/csv; charset=utf-8; header=present' },
  'names.csv': { field: 'phylipNamesCsv', contentType: 'text/csv; charset=utf-8; header=present' },
};

const TREE_PARAMETERS = ['models', 'method', 'root', 'outgroup', 'bootstrap', 'layout', 'lengths'];
const MATRIX_PARAMETERS = ['models', 'digits', 'values', 'precision'];

/** Whether the path is one of the export routes (then `exportOperation` answers for it). */
export function isExportPath(pathname: string): boolean {
  return pathname.startsWith('/trees/') || pathname.startsWith('/matrices/');
}

/** The GraphQL query for an export URL, or why it cannot be one (a 4xx to send as it is). */
export function exportOperation(url: URL): ExportOperation | ExportRefusal {
  const [, kind, file = ''] = /^\/(trees|matrices)\/(.*)$/.exec(url.pathname) ?? [];
  const formats = kind === 'trees' ? TREE_FORMATS : MATRIX_FORMATS;
  const extension = Object.keys(formats)
    .sort((a, b) => b.length - a.length)
    .find((ext) => file.endsWith(`.${ext}`));
  if (!extension || file.length === extension.length + 1) {
    const known = Object.keys(formats)
      .map((ext) => `.${ext}`)
      .join(', ');
    return notFound(`no route ${url.pathname}; try /${kind}/<genome id or name> with one of ${known}`);
  }
  let genome: string;
  try {
    genome = decodeURIComponent(file.slice(0, -extension.length - 1));
  } catch {
    return badInput(`the genome in ${url.pathname} is not valid URL encoding`);
  }
  const allowed = kind === 'trees' ? TREE_PARAMETERS : MATRIX_PARAMETERS;
  for (const name of new Set(url.searchParams.keys())) {
    if (!allowed.includes(name))
      return badInput(`unknown parameter "${name}"; ${url.pathname} takes ${allowed.join(', ')}`);
  }
  const models = modelsOf(url.searchParams);
  const format = formats[extension];
  const { field, contentType } = format;
  const extra = Object.entries(format.arguments ?? {});
  // only the variables the query uses: GraphQL refuses an unused one
  const declarations = extra.map(([name, type]) => `, $${name}: ${type}`).join('');
  const selection = extra.length ? `${field}(${extra.map(([name]) => `${name}: $${name}`).join(', ')})` : field;
  const filename = `${safeFilename(genome)}.${extension}`;
  if (kind === 'matrices') {
    const stream = matrixFile(extension, url.searchParams);
    if (stream && 'status' in stream) return stream;
    return {
      query:
        `query PhyloLMExport($genome: ID!, $models: [ID!]${declarations}) ` +
        `{ distanceMatrix(genome: $genome, models: $models) { ${selection} } }`,
      variables: { genome, models },
      root: 'distanceMatrix',
      field,
      contentType,
      filename,
      disposition: extension === 'bin' ? 'attachment' : 'inline',
      stream,
    };
  }
  const bootstrap = integer(url.searchParams, 'bootstrap', 0);
  if (typeof bootstrap !== 'number') return bootstrap;
  const method = choice(url.searchParams, 'method', ['NJ', 'UPGMA'], 'NJ');
  const root = choice(url.searchParams, 'root', ['NONE', 'MIDPOINT', 'OUTGROUP'], 'NONE');
  const layout = choice(url.searchParams, 'layout', ['RECTANGULAR', 'RADIAL'], 'RECTANGULAR');
  const lengths = choice(url.searchParams, 'lengths', ['PHYLOGRAM', 'CLADOGRAM'], 'PHYLOGRAM');
  for (const value of [method, root, layout, lengths]) if (typeof value !== 'string') return value;
  return {
    query:
      'query PhyloLMExport($genome: ID!, $models: [ID!], $method: TreeMethod!, $root: TreeRoot!, $outgroup: ID, ' +
      `$bootstrap: Int!${declarations}) ` +
      '{ tree(genome: $genome, models: $models, method: $method, root: $root, outgroup: $outgroup, ' +
      `bootstrap: $bootstrap) { ${selection} } }`,
    variables: {
      genome,
      models,
      method,
      root,
      outgroup: url.searchParams.get('outgroup'),
      bootstrap,
      ...(extra.length ? { layout, lengths } : {}),
    },
    root: 'tree',
    field,
    contentType,
    filename,
    disposition: 'inline',
  };
}

/** The streamed file of a matrix extension and its parameters (undefined: not streamed). */
function matrixFile(extension: string, params: URLSearchParams): MatrixFile | ExportRefusal | undefined {
  if (extension !== 'bin' && (params.has('values') || params.has('precision'))) {
    return badInput('values and precision apply to .bin only');
  }
  if (extension !== 'phy' && params.has('digits')) return badInput('digits applies to .phy only');
  if (extension === 'phy') {
    const digits = integer(params, 'digits', 6);
    if (typeof digits !== 'number') return digits;
    if (digits > MAX_PHYLIP_DIGITS) {
      return badInput(`digits must be an integer from 0 to ${MAX_PHYLIP_DIGITS}, got ${digits}`);
    }
    return { format: 'phylip', digits };
  }
  if (extension !== 'bin') return undefined;
  const values = choice(params, 'values', ['DISTANCE', 'SIMILARITY'], 'DISTANCE');
  const precision = choice(params, 'precision', ['64', '32'], '64');
  if (typeof values !== 'string') return values;
  if (typeof precision !== 'string') return precision;
  return {
    format: 'binary',
    values: values.toLowerCase() as MatrixValues,
    precision: Number(precision) as MatrixPrecision,
  };
}

/** HTTP status for a GraphQL error code of an export's answer. */
export function statusOfCode(code: string | undefined): number {
  switch (code) {
    case 'NOT_FOUND':
      return 404;
    case 'UNAUTHENTICATED':
      return 401;
    case 'STORAGE_UNAVAILABLE':
      return 503;
    case 'INTERNAL_SERVER_ERROR':
    case undefined:
      return 500;
    default:
      return 400;
  }
}

/** `models=a,b` or `models=a&models=b` (ids or names; a name holding a comma goes in its own `models=`). */
function modelsOf(params: URLSearchParams): string[] | null {
  const values = params.getAll('models');
  if (values.length === 0) return null;
  if (values.length === 1) return values[0].split(',').filter((v) => v.length > 0);
  return values;
}

function integer(params: URLSearchParams, name: string, fallback: number): number | ExportRefusal {
  const text = params.get(name);
  if (text === null) return fallback;
  if (!/^\d{1,9}$/.test(text)) return badInput(`${name} must be a whole number, got "${text}"`);
  return Number(text);
}

/** One of `values` (case-insensitive; the GraphQL enum's own spelling is what is passed on). */
function choice(params: URLSearchParams, name: string, values: string[], fallback: string): string | ExportRefusal {
  const text = params.get(name);
  if (text === null) return fallback;
  const value = values.find((v) => v === text.toUpperCase());
  return value ?? badInput(`${name} must be one of ${values.map((v) => v.toLowerCase()).join(', ')}, got "${text}"`);
}

function safeFilename(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'genome';
}

function notFound(message: string): ExportRefusal {
  return { status: 404, code: 'NOT_FOUND', message };
}

function badInput(message: string): ExportRefusal {
  return { status: 400, code: 'BAD_USER_INPUT', message };
}

/**
 * `phylolm`: the command line for a PhyloLM server (README, "Command line"). Every command but
 * `serve` is a client of a server's GraphQL API (`--url`, else PHYLOLM_URL, else the local
 * default), so it works against any server, local or not. Errors are one clear line on stderr
 * and a non-zero exit code; results go to stdout.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { projectRoot } from '../paths';
import { CliError, PhyloClient } from './client';
import { parseCompletions, type CompletionRow } from './completions-file';
import { progressLine, progressView, type JobState } from './progress';

export const DEFAULT_URL = 'http://localhost:4000/graphql';
/** completions per importCompletions request: well under the server's body limit */
const IMPORT_BATCH = 500;
/** the exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it */
const INTERRUPTED = 130;

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

const JOB_FIELDS = 'id status completed total promptTokens completionTokens costUsd error warnings';

export function buildProgram(io: Io): Command {
  const program = new Command('phylolm')
    .description('PhyloLM: phylogenies of language models and benchmark predictions, from a PhyloLM server')
    .addOption(
      new Option('--url <url>', 'the server GraphQL URL').env('PHYLOLM_URL').default(DEFAULT_URL, 'the local server'),
    )
    .addOption(new Option('--token <token>', 'the admin token, for writes').env('PHYLOLM_ADMIN_TOKEN'))
    .showHelpAfterError('(phylolm --help lists the commands and options)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const client = () => {
    const { url, token } = program.opts<{ url: string; token?: string }>();
    return new PhyloClient({ url, token });
  };
  const print = (text: string): void => {
    io.stdout.write(text.endsWith('\n') ? text : text + '\n');
  };

  program
    .command('serve')
    .description('start a server here (npm start does the same); stops on Ctrl-C')
    .option('--port <port>', 'the port to listen on (PORT)')
    .action(async (options: { port?: string }) => {
      const main = join(projectRoot, 'dist', 'src', 'main.js');
      const env = { ...io.env, ...(options.port ? { PORT: options.port } : {}) };
      const child = spawn(process.execPath, [main], { env, stdio: 'inherit' });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (code !== 0) throw new CliError(`the server stopped with exit code ${code}`, code);
    });

  program
    .command('models')
    .description('list the registered models')
    .option('--json', 'one JSON object per line instead of a table')
    .action(async (options: { json?: boolean }) => {
      const rows = await allModels(client());
      if (options.json) return print(rows.map((row) => JSON.stringify(row)).join('\n'));
      print(
        table(
          ['id', 'name', 'provider', 'family', 'mode'],
          rows.map((m) => [m.id, m.name, m.provider, m.family ?? '', m.mode]),
        ),
      );
    });

  program
    .command('probe')
    .description('sample a model on a genome, showing progress; Ctrl-C cancels the job')
    .requiredOption('--model <model>', 'model id or name')
    .requiredOption('--genome <genome>', 'genome id or name')
    .option('--samples <n>', 'samples per gene (the server default when left out)', positiveInt)
    .option('--max-tokens <n>', 'tokens per completion', positiveInt)
    .action(async (options: { model: string; genome: string; samples?: number; maxTokens?: number }) => {
      const api = client();
      const { startProbing: job } = await api.request<{ startProbing: JobState }>(
        `mutation ($input: StartProbingInput!) { startProbing(input: $input) { ${JOB_FIELDS} } }`,
        {
          input: {
            model: options.model,
            genome: options.genome,
            samplesPerGene: options.samples,
            maxTokens: options.maxTokens,
          },
        },
      );
      const final = await followJob(api, job, io);
      print(`job ${final.id} ${final.status}: ${progressLine(final)}`);
      for (const warning of final.warnings) io.stderr.write(`warning: ${warning}\n`);
      if (final.status === 'CANCELLED') throw new CliError('cancelled', INTERRUPTED);
      if (final.status !== 'SUCCEEDED') throw new CliError(`job ${final.id} ${final.status}: ${final.error ?? ''}`);
    });

  program
    .command('import <file>')
    .description('import completions taken elsewhere from a .jsonl or .csv file (model, genome, gene, text)')
    .option('--model <model>', 'the model of rows that name none')
    .option('--genome <genome>', 'the genome of rows that name none')
    .option('--register', 'register models the server does not know (provider "external")')
    .action(async (file: string, options: { model?: string; genome?: string; register?: boolean }) => {
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const rows = parseCompletions(file, content, options);
      const api = client();
      await ensureModels(api, [...new Set(rows.map((r) => r.model))], options.register ?? false);
      let accepted = 0;
      let rejected = 0;
      for (const [key, group] of groups(rows)) {
        const [model, genome] = JSON.parse(key) as [string, string];
        for (let i = 0; i < group.length; i += IMPORT_BATCH) {
          const completions = group.slice(i, i + IMPORT_BATCH).map(({ gene, text }) => ({ gene, text }));
          const { importCompletions: result } = await api.request<{
            importCompletions: { accepted: number; rejected: number };
          }>(`mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted rejected } }`, {
            input: { model, genome, completions },
          });
          accepted += result.accepted;
          rejected += result.rejected;
        }
      }
      print(`imported ${accepted} completions from ${file} (${rejected} rejected)`);
    });

  program
    .command('tree')
    .description('a tree of the models on a genome, as Newick, NEXUS, SVG or d3 JSON')
    .requiredOption('--genome <genome>', 'genome id or name')
    .addOption(
      new Option('--format <format>', 'output format').choices(['newick', 'nexus', 'svg', 'json']).default('newick'),
    )
    .option('--models <models>', 'comma-separated model ids or names (default: every model with samples)', list)
    .addOption(new Option('--method <method>', 'tree method').choices(['NJ', 'UPGMA']).default('NJ'))
    .addOption(new Option('--root <root>', 'rooting').choices(['NONE', 'MIDPOINT', 'OUTGROUP']).default('NONE'))
    .option('--outgroup <model>', 'the model to root on, with --root OUTGROUP')
    .option('--bootstrap <n>', 'bootstrap replicates', nonNegativeInt, 0)
    .addOption(new Option('--layout <layout>', 'SVG layout').choices(['RECTANGULAR', 'RADIAL']).default('RECTANGULAR'))
    .addOption(
      new Option('--lengths <lengths>', 'SVG branch lengths').choices(['PHYLOGRAM', 'CLADOGRAM']).default('PHYLOGRAM'),
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (options: TreeOptions) => {
      const field = options.format === 'svg' ? 'svg(layout: $layout, lengths: $lengths)' : options.format;
      const svgVariables = options.format === 'svg' ? ', $layout: TreeShape!, $lengths: BranchLengths!' : '';
      const { tree } = await client().request<{ tree: Record<string, unknown> }>(
        `query ($genome: ID!, $models: [ID!], $method: TreeMethod!, $root: TreeRoot!, $outgroup: ID, $bootstrap: Int!${svgVariables}) ` +
          '{ tree(genome: $genome, models: $models, method: $method, root: $root, outgroup: $outgroup, bootstrap: $bootstrap) ' +
          `{ ${field} } }`,
        {
          genome: options.genome,
          models: options.models,
          method: options.method,
          root: options.root,
          outgroup: options.outgroup,
          bootstrap: options.bootstrap,
          ...(options.format === 'svg' ? { layout: options.layout, lengths: options.lengths } : {}),
        },
      );
      const value = tree[options.format === 'svg' ? 'svg' : options.format];
      const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2) + '\n';
      if (options.output) writeFileSync(options.output, text.endsWith('\n') ? text : text + '\n');
      else print(text);
    });

  program
    .command('predict')
    .description("a model's predicted benchmark score, with its interval and nearest scored models")
    .requiredOption('--model <model>', 'model id or name')
    .requiredOption('--benchmark <benchmark>', 'benchmark name')
    .option('--genome <genome>', 'genome id or name (default: the only genome, when there is one)')
    .option('--level <level>', 'interval coverage in (0, 1)', Number)
    .option('--json', 'the answer as JSON')
    .action(async (options: { model: string; benchmark: string; genome?: string; level?: number; json?: boolean }) => {
      const api = client();
      const genome = options.genome ?? (await onlyGenome(api));
      const { prediction } = await api.request<{ prediction: Prediction }>(
        'query ($model: ID!, $benchmark: String!, $genome: ID!, $level: Float) ' +
          '{ prediction(model: $model, benchmark: $benchmark, genome: $genome, level: $level) ' +
          '{ value low high level method neighbors { model { name } distance score } } }',
        { model: options.model, benchmark: options.benchmark, genome, level: options.level },
      );
      if (options.json) return print(JSON.stringify(prediction));
      const p = prediction;
      print(
        `${options.model} on ${options.benchmark}: ${p.value.toFixed(3)} ` +
          `[${p.low.toFixed(3)}, ${p.high.toFixed(3)}] at ${Math.round(p.level * 100)}% (${p.method})`,
      );
      if (p.neighbors.length > 0) {
        print(
          table(
            ['nearest', 'distance', 'score'],
            p.neighbors.map((n) => [n.model.name, n.distance.toFixed(4), n.score.toFixed(3)]),
          ),
        );
      }
    });

  return program;
}

interface TreeOptions {
  genome: string;
  format: 'newick' | 'nexus' | 'svg' | 'json';
  models?: string[];
  method: string;
  root: string;
  outgroup?: string;
  bootstrap: number;
  layout: string;
  lengths: string;
  output?: string;
}

interface ModelRow {
  id: string;
  name: string;
  provider: string;
  family: string | null;
  mode: string;
}

interface Prediction {
  value: number;
  low: number;
  high: number;
  level: number;
  method: string;
  neighbors: { model: { name: string }; distance: number; score: number }[];
}

/**
 * Shows a job's progress until it finishes, through the graphql-ws `jobProgress` subscription.
 * Ctrl-C asks the server to cancel the job and waits for it to say CANCELLED; a second Ctrl-C
 * leaves at once (the job is then cancelled or finished by the server on its own).
 */
async function followJob(api: PhyloClient, started: JobState, io: Io): Promise<JobState> {
  const view = progressView(io.stderr);
  let last = started;
  view.update(started);
  const subscription = api.subscribe<{ jobProgress: JobState }>(
    `subscription ($id: ID!) { jobProgress(id: $id) { ${JOB_FIELDS} } }`,
    { id: started.id },
    ({ jobProgress }) => {
      last = jobProgress;
      view.update(jobProgress);
    },
  );
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) {
      view.stop();
      io.stderr.write('\nleft without waiting; the server cancels the job\n');
      process.exit(INTERRUPTED);
    }
    io.stderr.write(`\ncancelling job ${started.id} (Ctrl-C again to leave at once)\n`);
    api
      .request(`mutation ($id: ID!) { cancelJob(id: $id) { id status } }`, { id: started.id })
      .catch((error: Error) => io.stderr.write(`could not cancel job ${started.id}: ${error.message}\n`));
  };
  process.on('SIGINT', onInterrupt);
  try {
    await subscription.done;
  } finally {
    process.off('SIGINT', onInterrupt);
    view.stop();
  }
  return last;
}

async function allModels(api: PhyloClient): Promise<ModelRow[]> {
  const rows: ModelRow[] = [];
  let after: string | null = null;
  for (;;) {
    const { models }: { models: { nodes: ModelRow[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } =
      await api.request(
        'query ($after: String) { models(first: 100, after: $after) ' +
          '{ nodes { id name provider family mode } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
    rows.push(...models.nodes);
    if (!models.pageInfo.hasNextPage) return rows;
    after = models.pageInfo.endCursor;
  }
}

/** Every model the file names must exist, or be registered as "external" with --register. */
async function ensureModels(api: PhyloClient, names: string[], register: boolean): Promise<void> {
  for (const name of names) {
    const { model } = await api.request<{ model: { id: string } | null }>(
      'query ($name: String) { model(name: $name) { id } }',
      { name },
    );
    if (model) continue;
    const byId = /^\d+$/.test(name)
      ? (await api.request<{ model: { id: string } | null }>('query ($id: ID) { model(id: $id) { id } }', { id: name }))
          .model
      : null;
    if (byId) continue;
    if (!register) {
      throw new CliError(`unknown model "${name}"; register it first, or pass --register to register it as external`);
    }
    await api.request(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
      input: { name, provider: 'external' },
    });
  }
}

async function onlyGenome(api: PhyloClient): Promise<string> {
  const { genomes } = await api.request<{ genomes: { id: string; name: string }[] }>('{ genomes { id name } }');
  if (genomes.length === 1) return genomes[0].id;
  const names = genomes.map((g) => g.name).join(', ');
  throw new CliError(`--genome is needed: the server has ${genomes.length} genomes${names ? ` (${names})` : ''}`);
}

/** Rows grouped by (model, genome), the unit of one importCompletions request. */
function groups(rows: CompletionRow[]): Map<string, CompletionRow[]> {
  const out = new Map<string, CompletionRow[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.model, row.genome]);
    out.set(key, [...(out.get(key) ?? []), row]);
  }
  return out;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => c.padEnd(widths[k]))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`expected a whole number from 1, got "${text}"`);
  return n;
}

function nonNegativeInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`expected a whole number from 0, got "${text}"`);
  return n;
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Every GraphQL and shell example of README.md, run in order against a fresh server (the
 * compiled one, as `npm start` runs it), so an example that breaks fails the suite:
 *   - the run begins on a fresh demo server, as the README's "Try it" does, once the demo's
 *     probing has finished;
 *   - `VAR=value ... npm start` (re)starts a fresh server with those variables (PHYLOLM_DB moved
 *     into the test's folder), and the examples after it talk to that one;
 *   - a GraphQL block runs each of its operations in turn and must answer without errors;
 *   - any other shell command runs in bash from the project root with the README's
 *     `localhost:4000` / `127.0.0.1:4000` pointed at the server; it must exit 0, and JSON it
 *     prints must carry no GraphQL errors;
 *   - a block whose first line says `# not run: <why>` is skipped (test/helpers/readme-examples.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Kind, parse, print, type DefinitionNode } from 'graphql';
import { postGraphQL } from '../helpers/app';
import { readmeExamples, serverStart, shellCommands, type Example } from '../helpers/readme-examples';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const root = join(__dirname, '..', '..');
const examples = readmeExamples(readFileSync(join(root, 'README.md'), 'utf8'));

/** commands an unmarked example may not hold: mark such an example `# not run: <why>` */
const REFUSED = /\bnpm\s+(?:i|install|ci|test|start|run\s+(?:test|build|bench))\b|\bnode\s+dist\/src\/main\.js\b/;

let folder: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'phylolm-readme-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

let starts = 0;

/** A fresh server with the example's variables: its own database file in the test's folder. */
async function restart(variables: Record<string, string>): Promise<void> {
  await server?.stop();
  const cwd = join(folder, `server-${++starts}`);
  execFileSync('mkdir', ['-p', cwd]);
  const env: Record<string, string> = { PHYLOLM_DEMO: '1', ...variables };
  if (env.PHYLOLM_DB) env.PHYLOLM_DB = join(cwd, basename(env.PHYLOLM_DB));
  server = await startServerProcess(env, cwd);
  if (env.PHYLOLM_DEMO !== '0') await demoFinished(server.url);
}

async function demoFinished(url: string): Promise<void> {
  for (;;) {
    const answer = await postGraphQL<{ running: { nodes: unknown[] }; queued: { nodes: unknown[] } }>(
      url,
      '{ running: jobs(status: RUNNING) { nodes { id } } queued: jobs(status: QUEUED) { nodes { id } } }',
    );
    if (answer.data && !answer.data.running.nodes.length && !answer.data.queued.nodes.length) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function operations(code: string): string[] {
  const document = parse(code);
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return document.definitions
    .filter((d): d is DefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => [operation, ...fragments].map((d) => print(d)).join('\n'));
}

async function runGraphQL(example: Example): Promise<void> {
  for (const operation of operations(example.code)) {
    const answer = await postGraphQL(server!.url, operation);
    expect({ operation, status: answer.status, errors: answer.errors }).toEqual({
      operation,
      status: 200,
      errors: undefined,
    });
  }
}

async function runShell(example: Example): Promise<void> {
  for (const command of shellCommands(example.code)) {
    const variables = serverStart(command);
    if (variables) {
      await restart(variables);
      continue;
    }
    // the suite must never install packages, run itself or start a server it cannot stop
    expect({ command, refused: REFUSED.test(command.replace(/\s#.*$/, '')) }).toEqual({ command, refused: false });
    const { host } = new URL(server!.url);
    const local = command.replace(/\b(?:localhost|127\.0\.0\.1):4000\b/g, host);
    const output = execFileSync('bash', ['-c', local], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    let json: unknown;
    try {
      json = JSON.parse(output);
    } catch {
      json = undefined; // not JSON: the exit status is the check
    }
    if (json && typeof json === 'object')
      expect({ command, errors: (json as { errors?: unknown }).errors }).toEqual({ command, errors: undefined });
  }
}

it('has examples to run', () => {
  expect(examples.filter((e) => !e.notRun).length).toBeGreaterThan(5);
});

describe.each(
  examples.map((e) => [`README.md:${e.line} (${e.language})${e.notRun ? ` not run: ${e.notRun}` : ''}`, e] as const),
)('%s', (_name, example) => {
  const run = example.notRun ? it.skip : it;
  run(
    'runs',
    async () => {
      if (!server) await restart({});
      if (example.language === 'graphql') await runGraphQL(example);
      else await runShell(example);
    },
    180_000,
  );
});

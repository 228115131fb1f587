/**
 * The `phylolm` command (src/cli, run as users run it: `node bin/phylolm.js`, from dist/) against
 * a real test server: every command, the progress of a probing run against a fake provider,
 * Ctrl-C cancelling a job, and clear errors (a wrong URL, an unknown model, a malformed file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';

const BIN = resolve(__dirname, '../../bin/phylolm.js');
const GENES = ['The cat sat on', 'In 1905, Einstein', 'def fib(n):', 'Let x be a real', '# Chapter 1', 'SELECT * FROM'];
const MODELS = ['alpha one', 'alpha two', 'beta one', 'beta two', 'gamma one', 'gamma two'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let app: TestApp;
let endpoint: FakeServer;
let dir: string;

/** Runs a program to its end, collecting its output; `onStderr` sees the stderr so far. */
function runProgram(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; onStderr?: (text: string, child: ChildProcess) => void } = {},
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      options.onStderr?.(stderr, child);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Runs `phylolm args` against the test server (or `url`), to its end. */
function phylolm(
  args: string[],
  options: { url?: string; onStderr?: (text: string, child: ChildProcess) => void } = {},
): Promise<Run> {
  return runProgram(process.execPath, [BIN, ...args], {
    env: { ...process.env, PHYLOLM_URL: options.url ?? app.url },
    onStderr: options.onStderr,
  });
}

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** Completions for model k: texts that drift with k, so the models differ by degrees. */
function jsonl(models: string[]): string {
  return models
    .flatMap((model, k) =>
      GENES.flatMap((_, gene) =>
        Array.from({ length: 4 }, (_, s) =>
          JSON.stringify({ model, genome: 'g', gene, text: ` w${(gene * 5 + (s < k % 4 ? k : 0)) % 9}` }),
        ),
      ),
    )
    .join('\n');
}

beforeAll(async () => {
  endpoint = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: 150 } });
  app = await startTestApp({
    probeMaxAttempts: 2,
    probeRetryBaseMs: 1,
    probeConcurrency: 1,
    providers: {
      openaiCompatible: { endpoints: [{ name: 'local', baseURL: endpoint.baseURL, models: ['local-model'] }] },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'phylolm-cli-'));
  dataOf(
    await app.gql(`mutation ($i: CreateGenomeInput!) { createGenome(input: $i) { id } }`, {
      i: { name: 'g', genes: GENES },
    }),
  );
  dataOf(
    await app.gql(`mutation ($i: RegisterModelInput!) { registerModel(input: $i) { id } }`, {
      i: { name: 'local', provider: 'openai-compatible:local', providerModel: 'local-model', mode: 'COMPLETION' },
    }),
  );
});

afterAll(async () => {
  await app.stopAndClean();
  await endpoint.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The models and how many samples each has on "g" (at most 1,000 counted). */
async function sampleCount(): Promise<{ name: string; sampleCount: number }[]> {
  const names = (
    dataOf(await app.gql(`{ models(first: 100) { nodes { name } } }`)).models.nodes as { name: string }[]
  ).map((m) => m.name);
  const counts = [];
  for (const name of names) {
    const { samples } = dataOf(
      await app.gql(`query ($m: ID!) { samples(model: $m, genome: "g", first: 1000) { nodes { text } } }`, { m: name }),
    );
    if (samples.nodes.length > 0) counts.push({ name, sampleCount: samples.nodes.length });
  }
  return counts;
}

describe('phylolm', () => {
  it('--help lists every command and exits 0', async () => {
    const run = await phylolm(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['serve', 'probe', 'import', 'tree', 'predict', 'models'])
      expect(run.stdout).toContain(command);
  });

  it('import refuses a malformed file, naming the line, and imports nothing', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ model: 'alpha one', genome: 'g', gene: 0, text: 'x' })}\n{"model": "alpha one", "gene": "zero"`,
    );
    const run = await phylolm(['import', file, '--register']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.jsonl line 2: not JSON/);
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'model,genome,gene,text\nalpha one,g,-1,x\n');
    const csvRun = await phylolm(['import', csv, '--register']);
    expect(csvRun.code).toBe(1);
    expect(csvRun.stderr).toMatch(/bad\.csv line 2: "gene" must be a gene index/);
    expect(await sampleCount()).toEqual([]);
  });

  it('import refuses an unknown model unless told to register it', async () => {
    const file = join(dir, 'all.jsonl');
    writeFileSync(file, jsonl(MODELS));
    const refused = await phylolm(['import', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('unknown model "alpha one"');
    const run = await phylolm(['import', file, '--register']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`imported ${MODELS.length * GENES.length * 4} completions`);
    const counts = await sampleCount();
    for (const name of MODELS) expect(counts.find((m) => m.name === name)?.sampleCount).toBe(GENES.length * 4);
  });

  it('import reads CSV with quoted fields', async () => {
    const file = join(dir, 'more.csv');
    writeFileSync(file, 'model,genome,gene,text\r\n"alpha one",g,0,"a, ""quoted""\nline"\r\n');
    const run = await phylolm(['import', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('imported 1 completions');
  });

  it('models lists the models as a table, or as JSON lines', async () => {
    const run = await phylolm(['models']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^id\s+name\s+provider\s+family\s+mode$/);
    for (const name of [...MODELS, 'local']) expect(run.stdout).toContain(name);
    const json = await phylolm(['models', '--json']);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.name).sort()).toEqual([...MODELS, 'local'].sort());
  });

  it.each(['newick', 'nexus', 'svg', 'json'])(
    'tree --format %s prints what the GraphQL field gives',
    async (format) => {
      const models = MODELS.join(',');
      const run = await phylolm(['tree', '--genome', 'g', '--models', models, '--format', format, '--method', 'UPGMA']);
      expect(run.code).toBe(0);
      const field = format === 'svg' ? 'svg' : format;
      const { tree } = dataOf(
        await app.gql(`query ($m: [ID!]) { tree(genome: "g", models: $m, method: UPGMA) { ${field} } }`, { m: MODELS }),
      );
      if (format === 'json') expect(JSON.parse(run.stdout)).toEqual(tree.json);
      else expect(run.stdout.trimEnd()).toBe(tree[field].trimEnd());
    },
  );

  it('tree -o writes the file', async () => {
    const file = join(dir, 'tree.svg');
    const run = await phylolm([
      'tree',
      '--genome',
      'g',
      '--models',
      MODELS.join(','),
      '--format',
      'svg',
      '--layout',
      'RADIAL',
      '-o',
      file,
    ]);
    expect(run.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<svg [^>]*data-shape="radial"/);
  });

  it('predict prints the prediction with its interval and nearest models', async () => {
    dataOf(
      await app.gql(`mutation ($s: [ScoreInput!]!) { setScores(input: $s) { value } }`, {
        s: MODELS.slice(1).map((model, k) => ({ model, benchmark: 'ARC', value: 0.4 + k / 20 })),
      }),
    );
    const run = await phylolm(['predict', '--model', 'alpha one', '--benchmark', 'ARC', '--genome', 'g']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^alpha one on ARC: 0\.\d{3} \[0\.\d{3}, 0\.\d{3}\] at 80% \(/);
    expect(run.stdout).toMatch(/nearest\s+distance\s+score/);
  });

  it('probe shows the progress of a probing run against a fake provider, then the result', async () => {
    const run = await phylolm(['probe', '--model', 'local', '--genome', 'g', '--samples', '2']);
    expect(run.stderr).toMatch(/job \d+ (QUEUED|RUNNING): 0\/12 samples/);
    const lines = run.stderr.match(/: (\d+)\/12 samples, \d+ tokens, \$\d+\.\d{4}/g) ?? [];
    const done = lines.map((line) => Number(/: (\d+)\//.exec(line)![1]));
    // samples only ever go up, through at least one step between none and all
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.some((k) => k > 0 && k < 12)).toBe(true);
    expect(run.stdout).toMatch(/^job \d+ SUCCEEDED: 12\/12 samples, \d+ tokens, \$0\.0000/);
    expect(run.code).toBe(0);
  });

  it('Ctrl-C during probe cancels the job on the server and exits 130', async () => {
    let interrupted = false;
    const run = await phylolm(['probe', '--model', 'local', '--genome', 'g', '--samples', '20'], {
      onStderr: (text, child) => {
        if (!interrupted && /RUNNING: [1-9]\d*\/120 samples/.test(text)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(run.stderr).toContain('cancelling job');
    expect(run.code).toBe(130);
    const id = /job (\d+) CANCELLED/.exec(run.stdout)![1];
    expect(dataOf(await app.gql(`query ($id: ID!) { job(id: $id) { status } }`, { id })).job.status).toBe('CANCELLED');
  });

  it('probe of an unknown model fails with the server message and exit code 1', async () => {
    const run = await phylolm(['probe', '--model', 'nobody', '--genome', 'g']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^phylolm: .*nobody.*\(NOT_FOUND\)/);
  });

  it('npx phylolm --help works from the project folder (the package bin)', async () => {
    const run = await runProgram('npx', ['--no', '--', 'phylolm', '--help'], { cwd: resolve(__dirname, '../..') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: phylolm');
  });

  it('serve starts a server the other commands reach, and stops on SIGINT with exit code 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
      env: { ...process.env, PHYLOLM_DB: join(dir, 'served.db'), PHYLOLM_DEMO: '0', PHYLOLM_LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      let models: Run | undefined;
      for (let attempt = 0; attempt < 100; attempt++) {
        models = await phylolm(['models'], { url });
        if (models.code === 0) break;
        await new Promise((wait) => setTimeout(wait, 200));
      }
      expect(models?.code).toBe(0);
      expect(models?.stdout).toMatch(/^id\s+name/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('a wrong URL fails with what to do and exit code 1', async () => {
    const url = `http://127.0.0.1:${await freePort()}/graphql`;
    const run = await phylolm(['models'], { url });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach a PhyloLM server at ${url}`);
    expect(run.stderr).toContain('phylolm serve');
    const notUrl = await phylolm(['models', '--url', 'localhost:4000']);
    expect(notUrl.code).toBe(1);
    expect(notUrl.stderr).toMatch(/must start with http|is not a URL/);
  });
});

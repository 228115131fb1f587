/**
 * The real server as a child process: `tsc -p tsconfig.build.json` once, then
 * `node dist/src/main.js` (what `npm start` runs) with the environment a test gives. The URL is
 * read from the server's "ready" log line, so several servers can run at once on port 0.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';

// the project root, whether this runs under ts-jest or compiled into dist/ (a benchmark)
const root = projectRoot;

/** Compiles the server into dist/ (the same build `npm start` uses). */
export function buildServer(): void {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    { cwd: root, stdio: 'inherit' },
  );
}

export interface ServerProcess {
  process: ChildProcess;
  url: string;
  /** everything the server wrote to stderr so far (its JSON log lines) */
  log(): string;
  exited: Promise<number | null>;
  /** SIGTERM (graceful stop: jobs are given back) and wait for the exit */
  stop(): Promise<number | null>;
}

/**
 * Starts the compiled server with `env` added to a minimal environment (PORT=0, no demo) and
 * waits until it is ready; rejects with its output when it exits first.
 */
export function startServerProcess(env: Record<string, string>, cwd: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd,
    env: { PATH: process.env.PATH, PORT: '0', PHYLOLM_DEMO: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let seen = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      // only complete lines: a chunk may end in the middle of one
      const ready = seen
        .split('\n')
        .slice(0, -1)
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { message: string; url?: string })
        .find((entry) => entry.message === 'PhyloLM server ready');
      if (ready?.url) resolve({ process: child, url: ready.url, log: () => seen, exited, stop });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before it was ready: ${seen}`)));
  });
}

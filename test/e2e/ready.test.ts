/**
 * Ready means ready: the compiled server (`npm start`'s entry, with its worker pool) starts with
 * the offline demo on an empty database while /healthz is polled every 10 ms from the moment the
 * process is spawned, through the demo's probing of 25 models x 128 genes x 32 samples and a
 * tree over them. Every poll once the port is open must be answered 200 within 1 s: twenty
 * times the 50 ms the responsiveness bench measures (bench/responsiveness.bench.ts), so a busy
 * machine does not fail it, while the unpaced demo kept polls waiting about 2 s here. The "ready"
 * log line must not come before /healthz answers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataOf, postGraphQL } from '../helpers/app';

const root = join(__dirname, '..', '..');
const POLL_MS = 10;
const POLL_TIMEOUT_MS = 1000;
/** bound on the polls (about 2 minutes at 10 ms), so the loop ends whatever happens */
const MAX_POLLS = 12_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type Poll = {
  at: number;
  outcome: 'ok' | 'refused' | 'timeout' | `status ${number}` | 'error';
  readySeen: boolean;
  ms: number;
};

it('a fresh start with the demo answers /healthz at every poll, from listen through probing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phylolm-ready-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: String(port), PHYLOLM_DB: join(dir, 'demo.db'), PHYLOLM_WORKERS: '2' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let ready = false;
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    ready ||= log.includes('"PhyloLM server ready"');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const polls: Poll[] = [];
  let done = false;
  let tree: unknown;
  try {
    for (let i = 0; i < MAX_POLLS && !done; i++) {
      const readySeen = ready;
      const start = performance.now();
      const outcome = await poll(`${url}/healthz`);
      polls.push({ at: i, outcome, readySeen, ms: performance.now() - start });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      // every 100 polls once ready: are the demo's jobs done? then one tree over the zoo, and stop
      if (ready && i % 100 === 0) {
        const jobs = dataOf(await postGraphQL<any>(`${url}/graphql`, `{ jobs(first: 100) { nodes { status } } }`)).jobs
          .nodes as { status: string }[];
        if (jobs.length === 25 && jobs.every((j) => j.status === 'SUCCEEDED')) {
          tree = dataOf(
            await postGraphQL<any>(`${url}/graphql`, `{ tree(genome: "1", bootstrap: 50) { newick } }`),
          ).tree;
          done = true;
        }
      }
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  expect(done).toBe(true);
  expect(tree).toEqual({ newick: expect.stringContaining('simulated/') });
  const answered = polls.findIndex((p) => p.outcome === 'ok');
  expect(answered).toBeGreaterThanOrEqual(0);
  // before the port opens a poll is refused; after, every single one is answered 200
  expect(polls.slice(answered).filter((p) => p.outcome !== 'ok')).toEqual([]);
  expect(polls.slice(answered).length).toBeGreaterThan(100);
  // "ready" is logged only once /healthz answers: no poll made after it was refused
  expect(polls.filter((p) => p.readySeen && p.outcome !== 'ok')).toEqual([]);
}, 240_000);

async function poll(url: string): Promise<Poll['outcome']> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status === 200 ? 'ok' : `status ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return 'refused';
    return (error as Error).name === 'TimeoutError' ? 'timeout' : 'error';
  }
}

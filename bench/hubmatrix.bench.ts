/**
 * Issue 14, matrices at hub scale (benchmarks 2c and 2d):
 *   - cold Nei matrix of 10,000 models x 128 genes x 32 samples <= 60 s, peak memory reported;
 *     1,000 / 2,000 / 5,000 too, and the single-task kernel beside it where it still fits;
 *   - the whole 10,000-model matrix streamed as a file (.bin and .phy) over real HTTP with peak
 *     server memory <= 2 GB.
 *
 *   BENCH=hubmatrix npm run bench
 *   BENCH=hubmatrix BENCH_HUB_MODELS=1000,2000 npm run bench     other sizes
 *   BENCH=hubmatrix PHYLOLM_WORKERS=0 npm run bench               on the main thread, not niced
 *   BENCH=hubmatrix BENCH_HUB_STREAM=0 npm run bench              without the streaming half
 *
 * What is measured: populations are built in memory from the seeded synthetic probes
 * (bench/synthetic.ts, counted by the core's countAlleles, not timed) and handed over as the
 * JSON text the store keeps them in, as DistanceService does after reading them; "cold matrix"
 * is then `blockedSimilarity` on a worker pool of PHYLOLM_WORKERS threads (default: the cores):
 * parsing, the blocked layout, and every row range, the answer in shared memory. Not included:
 * importing 41 million samples through GraphQL and reading them back from the store (bench/store.bench.ts
 * times that path), nor writing the 800 MB result to the computations table.
 * The streaming half serves that matrix from an HTTP server in this process with the service's
 * own block writers (`binaryBlocks`, `phylipBlocks`) and the route's `writeBlocks`, to a client
 * on a socket that reads and counts; the GraphQL gate and the evidence selection in front of
 * the real route are left out at this size (test/e2e/exports.test.ts covers the route itself).
 * Peak memory is the process's VmHWM (Linux), reset before each step through /proc/self/clear_refs,
 * so it counts the worker threads and everything held, the 800 MB answer included.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { countAlleles } from '../src/core/genetics/population';
import { phylipNameTable } from '../src/core/format/phylip';
import { populationsJson } from '../src/core/tasks';
import { createWorkerPool } from '../src/compute/pool';
import { writeBlocks } from '../src/server/matrix-stream';
import { blockedSimilarity } from '../src/services/blocked-similarity';
import { inlineCompute } from '../src/services/compute';
import type { SimilarityMatrix } from '../src/services/distance.service';
import { binaryBlocks, phylipBlocks } from '../src/services/matrix-files';
import { syntheticGenome, syntheticSamples } from './synthetic';
import { report, time } from './timing';

const GENES = 128;
const SAMPLES = 32;
const SIZES = (process.env.BENCH_HUB_MODELS ?? '1000,2000,5000,10000').split(',').map(Number);
/** the single-task kernel is timed beside the blocked one up to this size (it is minutes beyond) */
const REFERENCE_UP_TO = 2000;
const GB = 1024 ** 3;

export async function benchHubMatrix(): Promise<void> {
  const workers = Number(process.env.PHYLOLM_WORKERS ?? availableParallelism());
  // PHYLOLM_WORKERS=0: on this thread, at normal priority (the pool's threads run at nice 10, so
  // on a machine busy with other work they get a small share of it)
  const pool = workers > 0 ? createWorkerPool(workers) : inlineCompute();
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= pool.close());
  process.stdout.write(
    `${workers} worker threads, ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the start\n`,
  );
  const synthetic = syntheticGenome(GENES);
  const texts: string[] = [];
  try {
    for (const n of SIZES) {
      // the synthetic populations grow with the largest size asked; earlier ones are reused
      for (let m = texts.length; m < n; m++) {
        texts.push(JSON.stringify(countAlleles(GENES, syntheticSamples(synthetic, m, SAMPLES))));
      }
      let populations = populationsJson(texts.slice(0, n));
      process.stdout.write(`\n-- ${n} models x ${GENES} genes x ${SAMPLES} samples\n`);
      if (n <= REFERENCE_UP_TO) {
        resetPeak();
        const single = await time(() => pool.run('similarity', { populations }));
        report(`cold matrix, single-task kernel (reference), ${n}`, single.ms);
      }
      resetPeak();
      const cpu = process.cpuUsage();
      const blocked = await time(() => blockedSimilarity(pool, populations));
      const target = n === 10_000 ? 60_000 : undefined;
      report(`cold matrix, blocked on ${Math.max(1, workers)} thread(s), ${n}`, blocked.ms, target);
      // CPU time of every thread of the process: what the work costs whatever else the machine runs
      const used = process.cpuUsage(cpu);
      report(`  CPU time of that (all threads, user + system)`, (used.user + used.system) / 1000);
      reportPeak(`peak memory (VmHWM), cold matrix ${n}`);
      if (n === Math.max(...SIZES) && process.env.BENCH_HUB_STREAM !== '0') {
        // a server streaming the file holds the matrix, not this bench's synthetic inputs nor the
        // heaps of the workers that built it: let those go before measuring
        texts.length = 0;
        populations = '';
        await close();
        collectGarbage();
        await benchStreaming(blocked.value, n);
      }
    }
  } finally {
    await close();
  }
  process.stdout.write(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end\n`,
  );
}

async function benchStreaming(similarity: Float64Array, n: number): Promise<void> {
  const modelIds = Array.from({ length: n }, (_, i) => i + 1);
  const matrix = { modelIds, similarity } as SimilarityMatrix;
  const models = modelIds.map((id) => ({ id, name: `hub-model-${id}` }));
  const short = phylipNameTable(models.map((m) => m.name)).map((e) => e.short);
  const files: Record<string, () => Iterable<string | Buffer>> = {
    bin: () => binaryBlocks(matrix, models, 'distance', 64),
    phy: () => phylipBlocks(matrix, short, 6),
  };
  const server = createServer((req, res) => {
    const make = files[(req.url ?? '').replace(/^\/m\./, '')];
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    void writeBlocks(res, make());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    for (const format of Object.keys(files)) {
      resetPeak();
      const { ms, value: bytes } = await time(() => download(port, `/m.${format}`));
      report(`stream ${n}-model matrix as .${format} (${(bytes / GB).toFixed(2)} GB)`, ms);
      reportPeak(`peak memory (VmHWM) while streaming .${format}`, 2 * GB);
    }
  } finally {
    server.close();
  }
}

/** Reads a whole answer, counting its bytes without keeping them. */
function download(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** A full garbage collection now (V8's gc(), reached without starting node with --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Resets the kernel's peak RSS of this process (Linux: clear_refs 5), so VmHWM counts from now. */
function resetPeak(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: the peak then counts from the process start
  }
}

function reportPeak(label: string, targetBytes?: number): void {
  let bytes = process.memoryUsage().rss;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) bytes = Number(match[1]) * 1024;
  } catch {
    // not Linux: the current RSS stands in for the peak
  }
  const target =
    targetBytes === undefined
      ? ''
      : `  target <= ${(targetBytes / GB).toFixed(1)} GB  ${bytes <= targetBytes ? 'OK' : 'OVER'}`;
  process.stdout.write(`${label.padEnd(58)} ${(bytes / GB).toFixed(2).padStart(9)} GB${target}\n`);
}

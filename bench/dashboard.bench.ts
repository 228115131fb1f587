/**
 * Issue 11 target: the dashboard's first paint after `npm start` of the demo within 2 s on these
 * machines. The compiled server (`node dist/src/main.js`, what `npm start` runs once it has
 * built) starts on a fresh database with the demo, and as soon as it says it is ready, headless
 * Chromium (test/helpers/browser.ts) opens `/` with a fresh profile, while the demo is still
 * probing in the background, as a newcomer would. Paint times are Chromium's own Paint Timing
 * entries (W3C Paint Timing: first-paint, first-contentful-paint), from navigation start; the
 * times until a first tree and then all 25 leaves are drawn are reported beside them. Also reports the sizes of
 * the built bundles (dist/web/manifest.json, raw and gzipped).
 *   BENCH=dashboard npm run bench      BENCH_DASHBOARD_RUNS=5 (default 3) page loads, median
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webFolder } from '../src/paths';
import { CHROMIUM, launchBrowser } from '../test/helpers/browser';
import { startServerProcess } from '../test/helpers/server-process';
import { report, time } from './timing';

const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 3);
const FIRST_PAINT_TARGET_MS = 2000;

interface Load {
  firstPaint: number;
  firstContentfulPaint: number;
  domContentLoaded: number;
  firstTree: number;
  treeDrawn: number;
}

export async function benchDashboard(): Promise<void> {
  reportBundles();
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(`dashboard: ${CHROMIUM} is missing (apt-get install chromium); paint times not measured\n`);
    return;
  }
  const loads: Load[] = [];
  const readies: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'phylolm-bench-dash-'));
    try {
      const started = await time(() =>
        startServerProcess({ PHYLOLM_DEMO: '1', PHYLOLM_DB: join(dir, 'phylolm.db') }, dir),
      );
      readies.push(started.ms);
      const server = started.value;
      try {
        loads.push(await loadOnce(server.url.replace(/\/graphql$/, '/')));
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const med = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  process.stdout.write(`-- ${RUNS} runs, each a fresh demo database and a fresh browser profile; medians\n`);
  report('server start to ready (node dist/src/main.js, demo)', med(readies));
  report('first-paint of / (from navigation start)', med(loads.map((l) => l.firstPaint)), FIRST_PAINT_TARGET_MS);
  report('first-contentful-paint of /', med(loads.map((l) => l.firstContentfulPaint)), FIRST_PAINT_TARGET_MS);
  report('DOMContentLoaded of /', med(loads.map((l) => l.domContentLoaded)));
  report('first tree drawn (3+ leaves, demo still probing)', med(loads.map((l) => l.firstTree)));
  report('all 25 leaves drawn (as the demo jobs end)', med(loads.map((l) => l.treeDrawn)));
  report('server start to first paint', med(readies.map((r, i) => r + loads[i].firstPaint)));
}

async function loadOnce(url: string): Promise<Load> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    // the demo probes in the background: a first tree appears once 3 models have samples, and
    // the page draws again as each job ends, until all 25 leaves are there
    const leaves = (n: number) =>
      page.waitForFunction(
        (count) => (globalThis as any).document.querySelectorAll('svg.tree g.leaf').length >= count,
        n,
        { timeout: 180_000, polling: 50 },
      );
    await leaves(3);
    const firstTree = await page.evaluate(() => performance.now());
    await leaves(25);
    const treeDrawn = await page.evaluate(() => performance.now());
    // runs in the page, whose Performance has paint and navigation entries (node's has not)
    const timing = await page.evaluate(() => {
      const perf = (globalThis as any).performance;
      const paints = Object.fromEntries(
        perf.getEntriesByType('paint').map((e: { name: string; startTime: number }) => [e.name, e.startTime]),
      ) as Record<string, number>;
      const nav = perf.getEntriesByType('navigation')[0] as { domContentLoadedEventEnd: number };
      return { paints, domContentLoaded: nav.domContentLoadedEventEnd };
    });
    return {
      firstPaint: timing.paints['first-paint'],
      firstContentfulPaint: timing.paints['first-contentful-paint'],
      domContentLoaded: timing.domContentLoaded,
      firstTree,
      treeDrawn,
    };
  } finally {
    await browser.close();
  }
}

function reportBundles(): void {
  const manifest = join(webFolder, 'manifest.json');
  if (!existsSync(manifest)) {
    process.stdout.write('dashboard: dist/web is not built (npm run build)\n');
    return;
  }
  const { files } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    files: { file: string; bytes: number; gzipBytes: number }[];
  };
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`.padStart(11);
  process.stdout.write(`bundle sizes (dist/web)                                          raw    gzipped\n`);
  for (const f of files) process.stdout.write(`  ${f.file.padEnd(56)} ${kib(f.bytes)} ${kib(f.gzipBytes)}\n`);
  for (const page of ['index', 'graphiql']) {
    const own = files.filter((f) => f.file === `${page}.html` || f.file.startsWith(`assets/${page}-`));
    const raw = own.reduce((s, f) => s + f.bytes, 0);
    const gz = own.reduce((s, f) => s + f.gzipBytes, 0);
    process.stdout.write(
      `  ${`${page === 'index' ? 'dashboard' : 'GraphiQL'} page in all`.padEnd(56)} ${kib(raw)} ${kib(gz)}\n`,
    );
  }
}

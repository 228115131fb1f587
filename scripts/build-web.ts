/**
 * Builds the browser pages into dist/web (`npm run build` runs it after tsc; so do `npm start`
 * and the e2e project's global setup): the dashboard (web/dashboard) and GraphiQL
 * (web/graphiql), each bundled by esbuild with every dependency, so the pages load nothing from
 * another host. Bundles are named `[name]-[hash]` (cached for a year by src/server/static-files.ts)
 * and the two HTML pages are written with their names; `dist/web/manifest.json` lists every file
 * with its size raw and gzipped (the dashboard benchmark reports it).
 *
 * Built, not committed: dist/ is gitignored, and a fresh clone gets the pages from `npm start`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { projectRoot, webFolder } from '../src/paths';

interface Page {
  /** the HTML file written into dist/web */
  html: string;
  title: string;
  entry: string;
  /** what the page shows before its script runs (replaced by it): the first contentful paint */
  shell: string;
}

const PAGES: Page[] = [
  {
    html: 'index.html',
    title: 'PhyloLM dashboard',
    entry: 'web/dashboard/main.ts',
    shell: '<header><h1>PhyloLM</h1></header><p id="status" class="muted" role="status">loading…</p>',
  },
  {
    html: 'graphiql.html',
    title: 'GraphiQL · PhyloLM',
    entry: 'web/graphiql/main.tsx',
    shell: '<p style="font-family: system-ui, sans-serif; margin: 1rem">Loading GraphiQL…</p>',
  },
];

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export async function buildWeb(outDir = webFolder): Promise<BuiltFile[]> {
  rmSync(outDir, { recursive: true, force: true });
  const assets = join(outDir, 'assets');
  mkdirSync(assets, { recursive: true });
  // one build per page, without shared chunks: the dashboard's bundle stays small (first paint)
  // and never waits on GraphiQL's editor code
  const outputs: Metafile['outputs'] = {};
  for (const page of PAGES) {
    const result = await build({
      absWorkingDir: projectRoot,
      entryPoints: { [basename(page.html, '.html')]: page.entry },
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['chrome110', 'firefox110', 'safari16'],
      outdir: assets,
      entryNames: '[name]-[hash]',
      assetNames: '[name]-[hash]',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'warning',
      legalComments: 'linked',
    });
    writePage(outDir, page, result.metafile);
    Object.assign(outputs, result.metafile.outputs);
  }
  const files = listed(outDir, outputs);
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ files }, null, 2)}\n`);
  return files;
}

/** The page's HTML naming its entry's script and stylesheet (no inline script: the CSP forbids it). */
function writePage(outDir: string, page: Page, metafile: Metafile): void {
  const [output, meta] = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint === page.entry)!;
  const url = (path: string) => `/${relative(outDir, join(projectRoot, path)).split('\\').join('/')}`;
  const css = meta.cssBundle ? `\n    <link rel="stylesheet" href="${url(meta.cssBundle)}" />` : '';
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${page.title}</title>${css}
    <script type="module" src="${url(output)}"></script>
  </head>
  <body>
    <div id="root">${page.shell}</div>
  </body>
</html>
`;
  writeFileSync(join(outDir, page.html), html);
}

function listed(outDir: string, outputs: Metafile['outputs']): BuiltFile[] {
  const paths = [...Object.keys(outputs).map((p) => join(projectRoot, p)), ...PAGES.map((p) => join(outDir, p.html))];
  return paths
    .map((path) => {
      const body = readFileSync(path);
      return {
        file: relative(outDir, path).split('\\').join('/'),
        bytes: body.byteLength,
        gzipBytes: gzipSync(body).byteLength,
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

if (require.main === module) {
  buildWeb().then(
    (files) => {
      const total = files.reduce((sum, f) => sum + f.gzipBytes, 0);
      process.stdout.write(`web: ${files.length} files in dist/web, ${(total / 1024).toFixed(0)} KiB gzipped\n`);
    },
    (error: unknown) => {
      process.stderr.write(`web build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

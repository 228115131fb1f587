/**
 * The layer rules of docs/architecture.md, checked against every import in src/, plugins/,
 * bench/, scripts/ and web/. Imports are read with the TypeScript compiler's parser (static imports,
 * re-exports, `import x = require()`, `require()`, `import()` and `import('...')` types), so a
 * type-only import is told apart from one that loads code.
 *
 * LAYERS below is the table of docs/architecture.md in machine form; the last tests check that
 * the two name the same layers and the same allowed dependencies, so neither can drift alone.
 */
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const SCANNED = ['src', 'plugins', 'bench', 'scripts', 'web'];

interface Layer {
  /** the first column of the doc's table: folders (`src/core`), files, or `plugins/*` */
  labels: string[];
  /** path prefixes (ending in '/') or exact files that belong to the layer */
  members: string[];
  /** other layers (by first label) or single files this layer may import; 'any' for the wiring and tooling */
  mayImport: string[] | 'any';
  /** layers or files this layer may import types from (nothing that runs) */
  mayImportTypes?: string[];
  /** npm packages (a name, or a scope ending in '/'), or 'any' */
  packages: string[] | 'any';
  /** node built-ins (`node:fs`, ...) */
  nodeBuiltins: boolean;
  /** may import test/ (tooling only) */
  tests?: boolean;
}

const GRAPHQL_PACKAGES = [
  'graphql',
  'type-graphql',
  'graphql-scalars',
  'dataloader',
  'class-validator',
  'reflect-metadata',
  '@apollo/',
  '@escape.tech/',
];

const LAYERS: Layer[] = [
  { labels: ['src/core'], members: ['src/core/'], mayImport: [], packages: [], nodeBuiltins: false },
  {
    labels: ['src/db'],
    members: ['src/db/'],
    mayImport: ['src/paths.ts'],
    packages: ['drizzle-orm', 'drizzle-kit', 'better-sqlite3', 'pg'],
    nodeBuiltins: true,
  },
  { labels: ['src/providers'], members: ['src/providers/'], mayImport: [], packages: [], nodeBuiltins: true },
  {
    labels: ['plugins/*'],
    members: ['plugins/'],
    mayImport: ['src/providers', 'src/core'],
    packages: 'any',
    nodeBuiltins: true,
  },
  {
    labels: ['plugins/index.ts'],
    members: ['plugins/index.ts'],
    mayImport: ['plugins/*', 'src/providers'],
    packages: [],
    nodeBuiltins: true,
  },
  {
    labels: ['src/services'],
    members: ['src/services/'],
    mayImport: [
      'src/core',
      'src/db/store.ts',
      'src/db/storage-errors.ts',
      'src/providers',
      'src/genomes',
      'src/logger.ts',
      'src/paths.ts',
    ],
    packages: [],
    nodeBuiltins: true,
  },
  {
    labels: ['src/graphql'],
    members: ['src/graphql/'],
    mayImport: ['src/services', 'src/core/errors.ts', 'src/logger.ts'],
    mayImportTypes: ['src/providers'],
    packages: GRAPHQL_PACKAGES,
    nodeBuiltins: true,
  },
  {
    labels: ['src/server'],
    members: ['src/server/'],
    mayImport: ['src/graphql', 'src/services', 'src/logger.ts'],
    packages: [...GRAPHQL_PACKAGES, 'graphql-ws', 'ws', 'prom-client'],
    nodeBuiltins: true,
  },
  {
    labels: ['src/compute'],
    members: ['src/compute/'],
    mayImport: ['src/core', 'src/paths.ts'],
    mayImportTypes: ['src/services'],
    packages: ['piscina'],
    nodeBuiltins: true,
  },
  {
    labels: ['src/queue'],
    members: ['src/queue/'],
    mayImport: ['src/providers', 'src/logger.ts'],
    mayImportTypes: ['src/services'],
    packages: ['pg', 'pg-boss'],
    nodeBuiltins: true,
  },
  {
    labels: ['src/genomes'],
    members: ['src/genomes/'],
    mayImport: ['src/core', 'src/paths.ts'],
    packages: [],
    nodeBuiltins: true,
  },
  {
    labels: ['src/cli'],
    members: ['src/cli/'],
    mayImport: ['src/paths.ts'],
    packages: ['commander', 'cli-progress', 'graphql-ws', 'ws'],
    nodeBuiltins: true,
  },
  { labels: ['src/logger.ts'], members: ['src/logger.ts'], mayImport: [], packages: [], nodeBuiltins: true },
  { labels: ['src/paths.ts'], members: ['src/paths.ts'], mayImport: [], packages: [], nodeBuiltins: true },
  {
    labels: ['src/app.ts', 'src/config.ts', 'src/main.ts', 'src/demo.ts'],
    members: ['src/app.ts', 'src/config.ts', 'src/main.ts', 'src/demo.ts'],
    mayImport: 'any',
    packages: 'any',
    nodeBuiltins: true,
  },
  {
    labels: ['web'],
    members: ['web/'],
    mayImport: [],
    packages: ['d3-scale', 'graphql-ws', 'graphiql', '@graphiql/toolkit', 'react', 'react-dom'],
    nodeBuiltins: false,
  },
  {
    labels: ['bench', 'scripts'],
    members: ['bench/', 'scripts/'],
    mayImport: 'any',
    packages: 'any',
    nodeBuiltins: true,
    tests: true,
  },
];

/**
 * Imports that break the rules, each with the change that will remove it (empty: none today).
 * An entry no longer needed fails the test below, so the list cannot go stale.
 */
const ALLOWED_VIOLATIONS: Array<{ from: string; to: string; reason: string }> = [];

interface Import {
  from: string;
  specifier: string;
  typeOnly: boolean;
}

const posix = (path: string): string => path.split(sep).join('/');

function sourceFiles(folder: string): string[] {
  const abs = join(ROOT, folder);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function stringArgument(node: ts.CallExpression): string | undefined {
  const [first] = node.arguments;
  return first && ts.isStringLiteralLike(first) ? first.text : undefined;
}

/** Every module a file names, and whether it names it for types only. */
function importsOf(file: string, text: string): Import[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => found.push({ from: file, specifier, typeOnly });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allNamedTypes =
        !!clause &&
        !clause.name &&
        !!named &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier.text, !!clause && (clause.isTypeOnly || allNamedTypes));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const allNamedTypes =
        !!clause &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier.text, node.isTypeOnly || allNamedTypes);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const specifier = stringArgument(node);
      if ((isRequire || isDynamicImport) && specifier !== undefined) add(specifier, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The repository file a relative specifier names (posix, relative to the root). */
function resolveFile(from: string, specifier: string): string {
  const base = resolve(ROOT, dirname(from), specifier);
  const file = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find(
    (c) => existsSync(c) && statSync(c).isFile(),
  );
  if (!file) throw new Error(`${from}: cannot resolve ${specifier}`);
  return posix(relative(ROOT, file));
}

function layerOf(file: string): Layer | undefined {
  const exact = LAYERS.find((layer) => layer.members.includes(file));
  if (exact) return exact;
  const prefixed = LAYERS.flatMap((layer) =>
    layer.members.filter((m) => m.endsWith('/') && file.startsWith(m)).map((m) => ({ layer, length: m.length })),
  );
  return prefixed.sort((a, b) => b.length - a.length)[0]?.layer;
}

const NODE_BUILTINS = new Set(builtinModules);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function packageAllowed(layer: Layer, name: string): boolean {
  if (layer.packages === 'any') return true;
  return layer.packages.some((p) => (p.endsWith('/') ? name.startsWith(p) : name === p));
}

/** Whether `target` (a repository file) is named by an entry of a mayImport list. */
function named(list: readonly string[], target: string): boolean {
  const targetLayer = layerOf(target);
  return list.some((entry) => entry === target || (targetLayer !== undefined && targetLayer.labels[0] === entry));
}

/** Why `imp` breaks the rules, or undefined when it does not. */
function violation(imp: Import): { to: string; why: string } | undefined {
  const layer = layerOf(imp.from)!;
  const { specifier } = imp;
  if (specifier.startsWith('.')) {
    const target = resolveFile(imp.from, specifier);
    if (target.startsWith('test/')) {
      return layer.tests ? undefined : { to: target, why: 'production code must not import test code' };
    }
    const targetLayer = layerOf(target);
    if (!targetLayer) return { to: target, why: 'the target belongs to no layer' };
    if (targetLayer === layer || layer.mayImport === 'any') return undefined;
    if (named(layer.mayImport, target)) return undefined;
    if (imp.typeOnly && named(layer.mayImportTypes ?? [], target)) return undefined;
    const typesNote = named(layer.mayImportTypes ?? [], target) ? ' (types only)' : '';
    return { to: target, why: `${layer.labels[0]} may not import ${targetLayer.labels[0]}${typesNote}` };
  }
  const name = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(packageName(name))) {
    return layer.nodeBuiltins ? undefined : { to: specifier, why: `${layer.labels[0]} may not use node built-ins` };
  }
  return packageAllowed(layer, packageName(specifier))
    ? undefined
    : { to: specifier, why: `${layer.labels[0]} may not use the package ${packageName(specifier)}` };
}

const files = SCANNED.flatMap(sourceFiles);
const imports = files.flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));

const isAllowed = (from: string, to: string) => ALLOWED_VIOLATIONS.some((a) => a.from === from && a.to === to);

describe('layer rules (docs/architecture.md)', () => {
  it('reads every import the compiler sees, in every file of src/, plugins/, bench/ and scripts/', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const mine = new Set(importsOf(file, text).map((i) => i.specifier));
      const compiler = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
      for (const specifier of compiler)
        expect(`${file} -> ${mine.has(specifier) ? specifier : 'MISSED'}`).toBe(`${file} -> ${specifier}`);
    }
  });

  it('puts every source file in exactly one layer', () => {
    expect(files.filter((file) => !layerOf(file))).toEqual([]);
  });

  it('finds no import that the table forbids', () => {
    const broken = imports
      .map((imp) => ({ imp, v: violation(imp) }))
      .filter(({ imp, v }) => v && !isAllowed(imp.from, v.to))
      .map(({ imp, v }) => `${imp.from} imports ${v!.to}: ${v!.why}`);
    expect(broken).toEqual([]);
  });

  it('keeps no allow-list entry that is no longer needed', () => {
    const stale = ALLOWED_VIOLATIONS.filter(
      (allowed) => !imports.some((imp) => imp.from === allowed.from && violation(imp)?.to === allowed.to),
    );
    expect(stale).toEqual([]);
  });

  it('keeps the provider layer free of plugins, and plugins off the registry and the server', () => {
    // the issue-8 cycle, stated on its own so a regression names it
    const plugin = (f: string) => f.startsWith('plugins/');
    const edges = imports
      .filter((imp) => imp.specifier.startsWith('.'))
      .map((imp) => ({ from: imp.from, to: resolveFile(imp.from, imp.specifier) }));
    expect(edges.filter((e) => e.from.startsWith('src/providers/') && plugin(e.to))).toEqual([]);
    expect(
      edges.filter(
        (e) =>
          plugin(e.from) &&
          e.from !== 'plugins/index.ts' &&
          (e.to === 'src/providers/registry.ts' ||
            e.to === 'plugins/index.ts' ||
            /^src\/(?!providers\/|core\/)/.test(e.to)),
      ),
    ).toEqual([]);
  });
});

describe('docs/architecture.md and these rules agree', () => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Layers'), doc.indexOf('\n## ', doc.indexOf('## Layers') + 1));
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => ({ labels: backticked(cells[1]), mayImport: cells[3] }));

  function backticked(cell: string): string[] {
    return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  }

  it('lists the same layers', () => {
    expect(rows.map((r) => r.labels.join(', ')).sort()).toEqual(LAYERS.map((l) => l.labels.join(', ')).sort());
  });

  it.each(LAYERS.filter((l) => l.mayImport !== 'any').map((l) => [l.labels.join(', '), l] as const))(
    'names the same allowed layers and files for %s',
    (_label, layer) => {
      const row = rows.find((r) => r.labels.join(', ') === layer.labels.join(', '))!;
      const inDoc = backticked(row.mayImport).filter((item) => /^(src|plugins)\//.test(item));
      const inRules = [...(layer.mayImport as string[]), ...(layer.mayImportTypes ?? [])];
      expect([...new Set(inDoc)].sort()).toEqual([...new Set(inRules)].sort());
    },
  );
});

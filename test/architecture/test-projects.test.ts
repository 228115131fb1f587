/**
 * The jest projects' rule (jest.config.js): the `unit` project runs in process, so its test
 * files start no child process; whatever runs a program (the server, PHYLIP, R) lives in
 * test/e2e or in a `*.live.test.ts` file, which the `e2e` project runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const testRoot = join(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const isE2e = (path: string) => path.startsWith('e2e/') || path.endsWith('.live.test.ts');

const STARTS_PROGRAMS = /from ['"](node:)?child_process['"]/;

/** Helper modules under test/helpers that start programs themselves (the compiled server, say). */
function programHelpers(): string[] {
  return readdirSync(join(testRoot, 'helpers'))
    .filter((name) => name.endsWith('.ts'))
    .filter((name) => STARTS_PROGRAMS.test(readFileSync(join(testRoot, 'helpers', name), 'utf8')))
    .map((name) => name.replace(/\.ts$/, ''));
}

/** Whether a test file starts programs, directly or through one of those helpers. */
function startsPrograms(text: string, helpers: readonly string[]): boolean {
  return STARTS_PROGRAMS.test(text) || helpers.some((h) => new RegExp(`from ['"][./]*helpers/${h}['"]`).test(text));
}

it('unit test files start no program, directly or through a helper (only test/e2e and *.live.test.ts do)', () => {
  const files = testFiles(testRoot).map((path) => relative(testRoot, path).split('\\').join('/'));
  expect(files.filter(isE2e).length).toBeGreaterThan(0);
  const helpers = programHelpers();
  expect(helpers).toContain('server-process');
  const offenders = files
    .filter((path) => !isE2e(path))
    .filter((path) => startsPrograms(readFileSync(join(testRoot, path), 'utf8'), helpers));
  expect(offenders).toEqual([]);
});

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

it('unit test files import no child_process (programs run only in test/e2e and *.live.test.ts)', () => {
  const files = testFiles(testRoot).map((path) => relative(testRoot, path).split('\\').join('/'));
  expect(files.filter(isE2e).length).toBeGreaterThan(0);
  const offenders = files
    .filter((path) => !isE2e(path))
    .filter((path) => /from ['"](node:)?child_process['"]/.test(readFileSync(join(testRoot, path), 'utf8')));
  expect(offenders).toEqual([]);
});

/** The README example extractor (test/helpers/readme-examples.ts) on small documents. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeExamples, serverStart, shellCommands } from './helpers/readme-examples';

it('finds graphql, sh and bash blocks in order, with their line and marker, and skips other languages', () => {
  const md = [
    'text',
    '```graphql',
    '{ a }',
    '```',
    '```js',
    'x()',
    '```',
    '```bash',
    '# not run: needs a key',
    'curl x',
    '```',
    '```sh',
    'echo hi',
    '```',
  ].join('\n');
  expect(readmeExamples(md)).toEqual([
    { language: 'graphql', code: '{ a }', line: 2, notRun: undefined },
    { language: 'sh', code: '# not run: needs a key\ncurl x', line: 8, notRun: 'needs a key' },
    { language: 'sh', code: 'echo hi', line: 12, notRun: undefined },
  ]);
});

it('refuses an unclosed block', () => {
  expect(() => readmeExamples('```sh\necho')).toThrow('README.md:1: unclosed code block');
});

it('joins continued lines and drops comments', () => {
  expect(shellCommands("# a comment\ncurl -s x \\\n  -d '{}'\n\necho b  # trailing")).toEqual([
    "curl -s x -d '{}'",
    'echo b  # trailing',
  ]);
});

it('reads the variables of a server start, and nothing from other commands', () => {
  expect(serverStart('npm start')).toEqual({});
  expect(serverStart('PHYLOLM_DEMO=0 PHYLOLM_DB=/tmp/x.db npm start   # fresh')).toEqual({
    PHYLOLM_DEMO: '0',
    PHYLOLM_DB: '/tmp/x.db',
  });
  expect(serverStart('npm install && npm start')).toBeUndefined();
  expect(serverStart('npm test')).toBeUndefined();
});

it('keeps the README examples that are not run few, each with its reason', () => {
  const examples = readmeExamples(readFileSync(join(__dirname, '..', 'README.md'), 'utf8'));
  const notRun = examples.filter((e) => e.notRun);
  // today: the install-and-test line, two needing an OpenAI key, one a local model server, the
  // development commands and the PostgreSQL test run (the suite itself), the roles set-up (a
  // PostgreSQL server and several processes), the command line (the demo's genome; every command
  // is run in test/e2e/cli.test.ts), two identity examples (an endpoint of your own)
  expect(notRun.length).toBeLessThanOrEqual(10);
  expect(examples.length - notRun.length).toBeGreaterThan(notRun.length);
  for (const e of notRun) expect(e.notRun!.length).toBeGreaterThan(10);
});

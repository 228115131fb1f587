#!/usr/bin/env node
// The `phylolm` command (package.json "bin"). The CLI is TypeScript compiled to dist/ by
// `npm run build` (also run by `npm start` and `npm test`); from a fresh clone, build first.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(
    `phylolm: ${entry} is missing: run "npm run build" in ${join(__dirname, '..')} first\n`,
  );
  process.exit(1);
}
require(entry)
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });

/**
 * Writes `schema.graphql`, the committed SDL of the API (`npm run schema:emit`). A test fails
 * when the code and the committed file disagree, so every schema change is reviewed as a diff.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchemaFile } from '../src/graphql/print-schema';
import { projectRoot } from '../src/paths';

printSchemaFile().then((sdl) => {
  const file = join(projectRoot, 'schema.graphql');
  writeFileSync(file, sdl);
  process.stdout.write(`wrote ${file}\n`);
});

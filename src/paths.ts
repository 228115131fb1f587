/**
 * Where the project's own files are, whether the code runs from `src/` (ts-jest) or from
 * `dist/src/` (compiled). Shipped assets and migrations are found from the project root, never
 * from the working directory, so `npm start` works from any folder.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the project root above ${start}`);
    dir = up;
  }
}

export const projectRoot = findProjectRoot(__dirname);
export const migrationsFolder = join(projectRoot, 'migrations');
export const assetsFolder = join(projectRoot, 'assets');
/** PostgreSQL's migrations, beside SQLite's (drizzle-kit writes one folder per dialect) */
export const pgMigrationsFolder = join(migrationsFolder, 'pg');

/** The real application on a temporary SQLite file, for benchmarks; `close` removes the file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { silentLogger } from '../src/logger';

export async function startBenchApp(
  overrides: Partial<Config> = {},
  env: NodeJS.ProcessEnv = { PHYLOLM_DEMO: '0' },
): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'phylolm-bench-'));
  const app = await startApp(
    { ...loadConfig(env), port: 0, dbPath: join(dir, 'bench.db'), ...overrides },
    silentLogger,
  );
  return {
    ...app,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

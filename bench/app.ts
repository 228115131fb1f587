/** The real application on a temporary SQLite file, for benchmarks; `close` removes the file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { silentLogger } from '../src/logger';

/** The server's own variables from the bench's environment (`PHYLOLM_MAX_INFLIGHT=32 npm run bench`), no demo. */
function serverEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (name.startsWith('PHYLOLM_')) env[name] = value;
  return { ...env, PHYLOLM_DEMO: '0' };
}

export async function startBenchApp(
  overrides: Partial<Config> = {},
  env: NodeJS.ProcessEnv = serverEnvironment(),
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

/**
 * Once per run of the e2e project: `npm run build`, i.e. compile to dist/ (worker threads cannot
 * load TypeScript, and the compute pool runs dist/src/compute/worker.js) and bundle the browser
 * pages into dist/web (scripts/build-web.ts; the dashboard and GraphiQL tests load them); then
 * tell the test apps (test/helpers/app.ts) to start the real pool.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function globalSetup(): void {
  const root = join(__dirname, '..', '..');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    { cwd: root, stdio: 'inherit' },
  );
  execFileSync(process.execPath, [join(root, 'dist', 'scripts', 'build-web.js')], { cwd: root, stdio: 'inherit' });
  process.env.PHYLOLM_TEST_WORKERS = '2';
}

/**
 * Two projects, one run and one report (`npm test`, `.ci/run`):
 *   unit  every test under test/ except the two kinds below: in process, no child processes, no
 *         outside tools; `npm run test:unit` while working (under a minute).
 *   e2e   test/e2e (the real server over HTTP, child processes, long probing runs) and
 *         `*.live.test.ts` (outside programs such as PHYLIP or R run live; they skip when the
 *         program is missing); `npm run test:e2e`. Builds dist/ once first (test/e2e/global-setup.ts):
 *         the real servers run their worker pool from it.
 * A new test file lands in `unit` unless it is in test/e2e or named `*.live.test.ts`.
 *
 * @type {import('jest').Config}
 */
const E2E = ['<rootDir>/test/e2e/', '\\.live\\.test\\.ts$'];

const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles here.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['reflect-metadata'],
  clearMocks: true,
  // generous: the machine running the suite may be busy; no test asserts a wall-clock time
  testTimeout: 60000,
};

module.exports = {
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...E2E],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '**/*.live.test.ts'],
      // builds dist/ once: the servers under test run their compute pool from dist/src/compute/worker.js
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
    },
  ],
};

/**
 * Browser test suites: without Chromium (test/helpers/browser.ts) they skip with a message
 * locally and fail under CI (`CI` set), where `.ci/run` installs it.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM } from './browser';

/** `describe`, or `describe.skip` with a message when Chromium is missing (a failure under CI). */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium package`);
      });
    });
    return;
  }
  process.stderr.write(`skipping "${name}": ${CHROMIUM} is missing (apt-get install chromium)\n`);
  describe.skip(name, body);
}

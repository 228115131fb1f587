/**
 * Real headless Chromium for the browser tests: Debian's `chromium` package driven by
 * playwright-core over CDP (`executablePath`; Playwright's own browser download does not work on
 * these machines). A fresh profile per launch, and no background traffic of Chromium's own
 * (component updates, sync, QUIC probes), so every request a page makes is the page's.
 *
 * No jest here: benchmarks use it too (test/helpers/browser-suite.ts has the tests' `describe`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PHYLOLM_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** every URL any page of the context asked for, WebSockets included */
  requests: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'phylolm-chromium-'));
  // launchPersistentContext passes --user-data-dir itself: a fresh, empty profile
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  const requests: string[] = [];
  const record = (page: Page) => {
    page.on('request', (request) => requests.push(request.url()));
    page.on('websocket', (socket) => requests.push(socket.url()));
  };
  context.pages().forEach(record);
  context.on('page', record);
  return {
    context,
    requests,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where a test writes its screenshots: test-output/<name>/ at the project root (gitignored). */
export function outputFolder(name: string): string {
  const folder = join(projectRoot, 'test-output', name);
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** The requests that went anywhere but `origin` (http and ws of the same host and port). */
export function foreignRequests(requests: readonly string[], origin: string): string[] {
  const { host } = new URL(origin);
  return requests.filter((url) => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return false;
    return new URL(url).host !== host;
  });
}

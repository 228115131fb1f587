/**
 * The dashboard and GraphiQL in real headless Chromium (test/helpers/browser.ts) against a real
 * server running the offline demo (25 zoo models, src/demo.ts): the tree with every leaf and the
 * heatmap, a leaf's nearest relatives, a running job's live progress, a GraphiQL query and its
 * answer, and not one request to any host but the server. Screenshots go to
 * test-output/dashboard/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai';
import { foreignRequests, launchBrowser, outputFolder, type Browser } from '../helpers/browser';
import { describeWithChromium } from '../helpers/browser-suite';

const ZOO = 25;

// the functions given to page.evaluate and waitForFunction run in the page, where these exist;
// the test project compiles without the DOM library
declare const document: any;
declare const window: any;
declare const MutationObserver: any;

describeWithChromium('dashboard in Chromium', () => {
  let app: TestApp;
  let slow: FakeServer;
  let browser: Browser;
  let origin: string;
  let genome: string;
  const shots = outputFolder('dashboard');

  beforeAll(async () => {
    // a slow OpenAI-compatible endpoint, for a job that runs long enough to watch
    slow = await startFakeOpenAI({ fallback: { kind: 'ok', delayMs: 25 } });
    app = await startTestApp({
      demo: true,
      probeConcurrency: 1,
      providers: { openaiCompatible: { endpoints: [{ name: 'slow', baseURL: slow.baseURL, models: ['slow-model'] }] } },
    });
    origin = app.url.replace(/\/graphql$/, '');
    const jobs = dataOf(await app.gql(`{ jobs { nodes { id } } }`)).jobs.nodes as { id: string }[];
    expect(jobs).toHaveLength(ZOO);
    await Promise.all(jobs.map((j) => app.services.jobs.settled(Number(j.id))));
    genome = dataOf(await app.gql(`{ genome(name: "math-owm-128") { id } }`)).genome.id;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stopAndClean();
    await slow?.close();
  });

  afterEach(() => {
    expect(foreignRequests(browser.requests, origin)).toEqual([]);
  });

  async function openDashboard(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForSelector('svg.tree g.leaf');
    return page;
  }

  it('shows the tree with every zoo model as a leaf, and the heatmap in tree order', async () => {
    const page = await openDashboard();
    const leaves = await page.$$eval('svg.tree g.leaf', (gs) => gs.map((g) => g.getAttribute('data-model-id')));
    expect(leaves).toHaveLength(ZOO);
    expect(new Set(leaves).size).toBe(ZOO);
    // leaves are coloured by family: five families, five colours
    const colours = await page.$$eval('svg.tree g.leaf circle', (cs) => cs.map((c) => c.getAttribute('fill')));
    expect(new Set(colours).size).toBe(5);
    // the heatmap: a cell per pair, rows in the tree's leaf order
    expect(await page.locator('svg.heatmap rect.cell').count()).toBe(ZOO * ZOO);
    // leaf names top to bottom, as drawn
    const names = await page.$$eval('svg.tree g.leaf', (gs) =>
      gs
        .map((g) => ({
          y: Number(g.querySelector('circle')!.getAttribute('cy')),
          name: g.querySelector('text')!.textContent,
        }))
        .sort((a, b) => a.y - b.y)
        .map((l) => l.name),
    );
    expect(await page.$$eval('svg.heatmap text.row-label', (ts) => ts.map((t) => t.textContent))).toEqual(names);
    // bootstrap supports on inner nodes
    expect(await page.locator('svg.tree text.support').count()).toBeGreaterThan(0);
    // the models table, with predictions and their intervals once they arrive
    expect(await page.locator('#models tbody tr').count()).toBe(ZOO);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#models td.predicted')].every((td: any) =>
        /\[\d\.\d+, \d\.\d+\]/.test(td.textContent ?? ''),
      ),
    );
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
    await page.selectOption('#shape', 'RADIAL');
    await page.waitForSelector('#tree svg[data-shape="radial"]');
    expect(await page.locator('#tree svg[data-shape="radial"] g.leaf').count()).toBe(ZOO);
    await page.screenshot({ path: join(shots, 'dashboard-radial.png'), fullPage: true });
    await page.close();
  });

  it('shows the nearest relatives of a clicked leaf, from the distance matrix', async () => {
    const matrix = dataOf(
      await app.gql(`query ($g: ID!) { distanceMatrix(genome: $g) { models { id name } distance } }`, { g: genome }),
    ).distanceMatrix as { models: { id: string; name: string }[]; distance: number[][] };
    const page = await openDashboard();
    const leaf = page.locator('svg.tree g.leaf').nth(7);
    const id = (await leaf.getAttribute('data-model-id'))!;
    await leaf.click();
    await page.waitForSelector(`#model-panel[data-model-id="${id}"] ol.relatives li`);
    const shown = await page.$$eval('#model-panel ol.relatives li button', (bs) => bs.map((b) => b.textContent));
    const i = matrix.models.findIndex((m) => m.id === id);
    const expected = matrix.models
      .map((m, j) => ({ name: m.name, d: matrix.distance[i][j], id: m.id }))
      .filter((m) => m.id !== id)
      .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
      .slice(0, 5)
      .map((m) => m.name);
    expect(shown).toEqual(expected);
    // its predictions and samples follow
    await page.waitForFunction(() =>
      /\[\d\.\d+, \d\.\d+\]/.test(document.querySelector('#model-panel table.predictions')?.textContent ?? ''),
    );
    await page.waitForSelector('#model-panel ul.samples code');
    await page.screenshot({ path: join(shots, 'model-panel.png'), fullPage: true });
    await page.close();
  });

  it('follows a running job through the subscription', async () => {
    const page = await openDashboard();
    const model = dataOf(
      await app.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
        input: { name: 'slow', provider: 'openai-compatible:slow', providerModel: 'slow-model', mode: 'COMPLETION' },
      }),
    ).registerModel.id;
    const job = dataOf(
      await app.gql(`mutation ($input: StartProbingInput!) { startProbing(input: $input) { id total } }`, {
        input: { model, genome, samplesPerGene: 2 },
      }),
    ).startProbing as { id: string; total: number };
    const row = `#jobs li.job[data-job-id="${job.id}"]`;
    await page.waitForSelector(row, { timeout: 20_000 });
    // every value the row shows, as the page changes it
    await page.evaluate((selector) => {
      const seen: number[] = [];
      (window as unknown as { seen: number[] }).seen = seen;
      const node = document.querySelector(selector);
      seen.push(Number(node.dataset.completed));
      new MutationObserver(() => seen.push(Number(node.dataset.completed))).observe(node, { attributes: true });
    }, row);
    await page.waitForSelector(`${row}[data-job-status="SUCCEEDED"]`, { timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
    const values = [...new Set(seen)];
    // at least two values strictly between 0 and the total: it moved while we watched
    expect(values.filter((v) => v > 0 && v < job.total).length).toBeGreaterThanOrEqual(2);
    expect(values.at(-1)).toBe(job.total);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(await page.locator(`${row} progress`).getAttribute('value')).toBe(String(job.total));
    await page.screenshot({ path: join(shots, 'job-progress.png'), fullPage: true });
    await page.close();
  });

  it('runs a query in GraphiQL and shows the answer', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/graphql`);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    await page.evaluate(() => {
      const editor = document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as {
        CodeMirror: { setValue(text: string): void };
      };
      editor.CodeMirror.setValue('{ genome(name: "math-owm-128") { id geneCount } }');
    });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() =>
      (document.querySelector('.graphiql-response')?.textContent ?? '').includes('geneCount'),
    );
    const answer = (await page.locator('.graphiql-response').textContent())!;
    expect(answer).toContain(`"id": "${genome}"`);
    expect(answer).toContain('"geneCount": 128');
    await page.screenshot({ path: join(shots, 'graphiql.png'), fullPage: true });
    await page.close();
  });
});

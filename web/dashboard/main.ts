/**
 * The dashboard at `/` (README, "Dashboard"): pick a genome and see its tree, the distance
 * heatmap in tree order, the models with their sample coverage and predicted scores, and live
 * job progress; a click on a leaf opens the model. Everything comes from this server's GraphQL
 * API; the page loads nothing from anywhere else.
 */
import './style.css';
import { query, queryAll } from './api';
import { el, fill, formatNumber } from './dom';
import { drawHeatmap, type Matrix } from './heatmap';
import { JobsPanel } from './jobs-panel';
import { errorFor, interval, showModel, type ModelInfo } from './model-panel';
import { GENOMES, predictionsQuery, TREE_SVG, VIEW, type PredictionData } from './queries';
import { leafColours, treeElement } from './tree';
import { leafOrder as leavesInOrder, negativeLengths, type D3TreeNode } from './tree-order';

interface Genome {
  id: string;
  name: string;
  geneCount: number;
}

interface View {
  tree: { rooted: boolean; rootedBy: string | null; bootstrap: number; json: D3TreeNode; svg: string };
  distanceMatrix: Matrix;
  models: { nodes: ModelInfo[] };
  jobs: {
    nodes: {
      id: string;
      status: string;
      completed: number;
      total: number;
      samplesPerGene: number;
      model: { id: string };
    }[];
  };
}

const DEFAULT_GENOME = 'math-owm-128';
const PREDICTION_BATCH = 5;

function select(id: string, label: string, options: [string, string][], value: string): HTMLSelectElement {
  const node = el(
    'select',
    { id, name: id },
    ...options.map(([v, text]) => el('option', { value: v, selected: v === value }, text)),
  );
  node.setAttribute('aria-label', label);
  return node;
}

const controls = {
  genome: select('genome', 'genome', [], ''),
  method: select(
    'method',
    'tree method',
    [
      ['NJ', 'neighbour joining'],
      ['UPGMA', 'UPGMA'],
    ],
    'NJ',
  ),
  root: select(
    'root',
    'root',
    [
      ['NONE', 'unrooted / method'],
      ['MIDPOINT', 'midpoint root'],
    ],
    'NONE',
  ),
  bootstrap: select(
    'bootstrap',
    'bootstrap',
    [
      ['100', 'bootstrap 100'],
      ['0', 'no bootstrap'],
    ],
    '100',
  ),
  shape: select(
    'shape',
    'drawing',
    [
      ['RECTANGULAR', 'rectangular'],
      ['RADIAL', 'radial'],
    ],
    'RECTANGULAR',
  ),
  lengths: select(
    'lengths',
    'branch lengths',
    [
      ['PHYLOGRAM', 'phylogram'],
      ['CLADOGRAM', 'cladogram'],
    ],
    'PHYLOGRAM',
  ),
  benchmark: select('benchmark', 'benchmark', [], ''),
};

const status = el('p', { id: 'status', class: 'muted', role: 'status' }, 'loading…');
const treeBox = el('div', { id: 'tree', class: 'figure' });
const treeNote = el('p', { id: 'tree-note', class: 'muted' });
const heatmapBox = el('div', { id: 'heatmap', class: 'figure' });
const modelPanel = el('aside', { id: 'model-panel' }, el('p', { class: 'muted' }, 'Click a leaf to see the model.'));
const modelsBody = el('tbody');
const jobsList = el('ul', { id: 'jobs' });

let view: View | undefined;
let colourOf: (modelId: string) => string = () => '#999';
let leafOrder: string[] = [];
let generation = 0;

/**
 * A job that ends brings its model's samples: the view is drawn again by itself while the model
 * is not in the tree yet (the demo's models joining one by one), and otherwise says so, so that
 * a model being looked at does not move under the reader.
 */
const REDRAW_AFTER_MS = 1000;
let redrawTimer: number | undefined;
const jobs = new JobsPanel(jobsList, (modelId) => {
  if (view && leafOrder.includes(modelId)) {
    status.textContent = 'a job ended: press “Redraw” to include its new samples';
    return;
  }
  window.clearTimeout(redrawTimer);
  redrawTimer = window.setTimeout(() => void loadView(), REDRAW_AFTER_MS);
});

function page(): void {
  const redraw = el('button', { type: 'button', id: 'redraw' }, 'Redraw');
  redraw.addEventListener('click', () => void loadView());
  const root = document.getElementById('root')!;
  fill(
    root,
    el(
      'header',
      {},
      el('h1', {}, 'PhyloLM'),
      el('label', {}, 'Genome ', controls.genome),
      controls.method,
      controls.root,
      controls.bootstrap,
      controls.shape,
      controls.lengths,
      redraw,
      el('a', { href: '/graphql' }, 'GraphiQL'),
    ),
    status,
    el(
      'main',
      {},
      el('section', { class: 'panel tree-panel' }, el('h2', {}, 'Tree'), treeNote, treeBox),
      modelPanel,
      el('section', { class: 'panel' }, el('h2', {}, 'Distances (Nei D, tree order)'), heatmapBox),
      el('section', { class: 'panel' }, el('h2', {}, 'Probing jobs'), jobsList),
      el(
        'section',
        { class: 'panel models-panel' },
        el('h2', {}, 'Models ', controls.benchmark),
        el(
          'table',
          { id: 'models' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['model', 'family', 'samples', 'coverage', 'known', 'predicted [interval]'].map((h) =>
                el('th', {}, h),
              ),
            ),
          ),
          modelsBody,
        ),
      ),
    ),
  );
  for (const name of ['method', 'root', 'bootstrap'] as const)
    controls[name].addEventListener('change', () => void loadView());
  controls.shape.addEventListener('change', () => void redrawTree());
  controls.lengths.addEventListener('change', () => void redrawTree());
  controls.genome.addEventListener('change', () => {
    history.replaceState(null, '', `?genome=${encodeURIComponent(controls.genome.value)}`);
    void loadView();
  });
  controls.benchmark.addEventListener('change', () => void fillPredictions());
}

async function start(): Promise<void> {
  page();
  const { genomes } = await queryAll<{ genomes: Genome[] }>(GENOMES);
  if (!genomes.length) {
    status.textContent = 'No genome yet: install one (README, "Try it"), or start the server with the demo.';
    return;
  }
  const wanted = new URLSearchParams(location.search).get('genome');
  const chosen =
    genomes.find((g) => g.id === wanted || g.name === wanted) ??
    genomes.find((g) => g.name === DEFAULT_GENOME) ??
    genomes[0];
  fill(
    controls.genome,
    ...genomes.map((g) =>
      el('option', { value: g.id, selected: g.id === chosen.id }, `${g.name} (${g.geneCount} genes)`),
    ),
  );
  await loadView();
}

async function loadView(): Promise<void> {
  const mine = ++generation;
  const genome = controls.genome.value;
  status.textContent = 'computing the tree…';
  jobs.watch(genome);
  try {
    const data = await queryAll<View>(VIEW, {
      genome,
      method: controls.method.value,
      root: controls.root.value,
      bootstrap: Number(controls.bootstrap.value),
      layout: controls.shape.value,
      lengths: controls.lengths.value,
    });
    if (mine !== generation) return;
    view = data;
    const benchmarks = [...new Set(data.models.nodes.flatMap((m) => m.scores.map((s) => s.benchmark)))].sort();
    const current = controls.benchmark.value;
    fill(controls.benchmark, ...benchmarks.map((b) => el('option', { value: b, selected: b === current }, b)));
    drawFigures();
    fillModels();
    const t = data.tree;
    status.textContent = `${data.models.nodes.length} models · ${t.rooted ? `rooted (${t.rootedBy})` : 'unrooted: the root shown is only where it is drawn from'}${t.bootstrap ? ` · bootstrap ${t.bootstrap}` : ''}`;
    void fillPredictions();
  } catch (error) {
    if (mine !== generation) return;
    view = undefined;
    fill(treeBox);
    fill(heatmapBox);
    fill(modelsBody);
    status.textContent = `No tree yet: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The drawing in another shape or with other lengths: the same tree, drawn again by the server. */
async function redrawTree(): Promise<void> {
  const current = view;
  if (!current) return;
  try {
    const data = await queryAll<{ tree: { svg: string } }>(TREE_SVG, {
      genome: controls.genome.value,
      method: controls.method.value,
      root: controls.root.value,
      bootstrap: Number(controls.bootstrap.value),
      layout: controls.shape.value,
      lengths: controls.lengths.value,
    });
    if (view !== current) return;
    current.tree.svg = data.tree.svg;
    drawFigures();
  } catch (error) {
    status.textContent = `The tree could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function drawFigures(): void {
  if (!view) return;
  leafOrder = leavesInOrder(view.tree.json);
  const tree = treeElement(view.tree.svg, openModel);
  const colours = leafColours(tree);
  colourOf = (id) => colours.get(id) ?? '#888888';
  fill(treeBox, tree);
  const notes: string[] = [];
  const negative = negativeLengths(view.tree.json);
  if (negative) notes.push(`${negative} negative NJ branch length${negative > 1 ? 's' : ''} drawn as 0.`);
  if (view.tree.bootstrap) notes.push('Numbers on inner edges: bootstrap support in percent.');
  treeNote.textContent = notes.join(' ');
  fill(heatmapBox, drawHeatmap(view.distanceMatrix, leafOrder));
}

function fillModels(): void {
  if (!view) return;
  const byId = new Map(view.models.nodes.map((m) => [m.id, m]));
  const latestJob = new Map(view.jobs.nodes.map((j) => [j.model.id, j]));
  const ordered = [
    ...leafOrder.filter((id) => byId.has(id)),
    ...view.models.nodes.map((m) => m.id).filter((id) => !leafOrder.includes(id)),
  ];
  fill(
    modelsBody,
    ...ordered.map((id) => {
      const m = byId.get(id)!;
      const job = latestJob.get(id);
      const name = el('button', { type: 'button', class: 'link', 'data-model-id': id }, m.name);
      name.addEventListener('click', () => openModel(id));
      return el(
        'tr',
        { 'data-model-id': id },
        el('td', {}, el('span', { class: 'dot', style: `background:${colourOf(id)}` }), name),
        el('td', {}, m.family ?? '—'),
        el('td', { class: 'num' }, job ? String(job.completed) : '—'),
        el('td', { class: 'num' }, job && job.total ? `${Math.round((100 * job.completed) / job.total)}%` : '—'),
        el('td', { class: 'num known' }),
        el('td', { class: 'num predicted' }, '…'),
      );
    }),
  );
}

/** The chosen benchmark's prediction for every model, a few models per request. */
async function fillPredictions(): Promise<void> {
  const current = view;
  const benchmark = controls.benchmark.value;
  if (!current || !benchmark) return;
  const genome = controls.genome.value;
  const rows = [...modelsBody.querySelectorAll<HTMLTableRowElement>('tr[data-model-id]')];
  for (const row of rows) {
    const model = current.models.nodes.find((m) => m.id === row.dataset.modelId);
    const known = model?.scores.find((s) => s.benchmark === benchmark);
    row.querySelector('.known')!.textContent = known ? formatNumber(known.value) : '—';
  }
  for (let start = 0; start < rows.length; start += PREDICTION_BATCH) {
    const batch = rows.slice(start, start + PREDICTION_BATCH);
    const pairs = batch.map((row) => ({ model: row.dataset.modelId!, benchmark }));
    try {
      const answer = await query<Record<string, PredictionData | null>>(predictionsQuery(pairs), { genome });
      if (view !== current || controls.benchmark.value !== benchmark) return;
      batch.forEach((row, i) => {
        const p = answer.data?.[`p${i}`];
        row.querySelector('.predicted')!.textContent = p ? interval(p) : errorFor(answer.errors, i);
      });
    } catch (error) {
      batch.forEach(
        (row) => (row.querySelector('.predicted')!.textContent = error instanceof Error ? error.message : '—'),
      );
    }
  }
}

function openModel(id: string): void {
  const current = view;
  const model = current?.models.nodes.find((m) => m.id === id);
  if (!current || !model) return;
  for (const node of document.querySelectorAll('.selected')) node.classList.remove('selected');
  for (const node of document.querySelectorAll(`[data-model-id="${CSS.escape(id)}"]`)) node.classList.add('selected');
  const benchmarks = [...new Set(current.models.nodes.flatMap((m) => m.scores.map((s) => s.benchmark)))].sort();
  void showModel(modelPanel, controls.genome.value, model, current.distanceMatrix, benchmarks, colourOf, openModel);
}

start().catch((error: unknown) => {
  status.textContent = `The dashboard could not load: ${error instanceof Error ? error.message : String(error)}`;
});

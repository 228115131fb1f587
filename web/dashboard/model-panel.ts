/**
 * What a click on a leaf shows: the model, its nearest relatives by Nei distance (the row of the
 * matrix, smallest first), its predicted scores with their intervals next to the known ones, and
 * a few of its samples.
 */
import { query, queryAll } from './api';
import { el, fill, formatNumber } from './dom';
import type { Matrix } from './heatmap';
import { nearestRelatives } from './relatives';
import { predictionsQuery, SAMPLES, type PredictionData } from './queries';

export interface ModelInfo {
  id: string;
  name: string;
  family: string | null;
  provider: string;
  scores: { benchmark: string; value: number }[];
}

export async function showModel(
  panel: HTMLElement,
  genome: string,
  model: ModelInfo,
  matrix: Matrix,
  benchmarks: readonly string[],
  colourOf: (modelId: string) => string,
  onRelative: (id: string) => void,
): Promise<void> {
  panel.dataset.modelId = model.id;
  const relatives = nearestRelatives(matrix, model.id);
  const predictions = el('tbody', {}, el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'predicting…')));
  const samples = el('ul', { class: 'samples' }, el('li', { class: 'muted' }, 'loading…'));
  fill(
    panel,
    el('h2', {}, el('span', { class: 'dot', style: `background:${colourOf(model.id)}` }), model.name),
    el('p', { class: 'muted' }, `${model.family ?? 'no family'} · ${model.provider} · id ${model.id}`),
    el('h3', {}, 'Nearest relatives'),
    el(
      'ol',
      { class: 'relatives' },
      ...relatives.map((r) => {
        const link = el('button', { type: 'button', class: 'link', 'data-model-id': r.id }, r.name);
        link.addEventListener('click', () => onRelative(r.id));
        return el('li', {}, link, ` D = ${formatNumber(r.distance)}`);
      }),
    ),
    el('h3', {}, 'Predicted scores'),
    el(
      'table',
      { class: 'predictions' },
      el(
        'thead',
        {},
        el('tr', {}, el('th', {}, 'benchmark'), el('th', {}, 'predicted [interval]'), el('th', {}, 'known')),
      ),
      predictions,
    ),
    el('h3', {}, 'Samples'),
    samples,
  );
  const pairs = benchmarks.map((benchmark) => ({ model: model.id, benchmark }));
  void query<Record<string, PredictionData | null>>(predictionsQuery(pairs), { genome }).then(
    (answer) => {
      if (panel.dataset.modelId !== model.id) return;
      fill(
        predictions,
        ...pairs.map((p, i) => {
          const prediction = answer.data?.[`p${i}`];
          const known = model.scores.find((s) => s.benchmark === p.benchmark);
          return el(
            'tr',
            {},
            el('td', {}, p.benchmark),
            el(
              'td',
              {},
              prediction ? interval(prediction) : el('span', { class: 'muted' }, errorFor(answer.errors, i)),
            ),
            el('td', {}, known ? formatNumber(known.value) : '—'),
          );
        }),
      );
    },
    (error: unknown) => fill(predictions, el('tr', {}, el('td', { colspan: 3, class: 'error' }, String(error)))),
  );
  void queryAll<{ samples: { nodes: { geneIndex: number; sampleIndex: number; allele: string; text: string }[] } }>(
    SAMPLES,
    {
      model: model.id,
      genome,
    },
  ).then(
    (data) => {
      if (panel.dataset.modelId !== model.id) return;
      fill(
        samples,
        ...data.samples.nodes.map((s) =>
          el(
            'li',
            {},
            el('span', { class: 'muted' }, `gene ${s.geneIndex} #${s.sampleIndex} `),
            el('code', {}, JSON.stringify(s.text)),
          ),
        ),
      );
      if (!data.samples.nodes.length) fill(samples, el('li', { class: 'muted' }, 'no samples'));
    },
    (error: unknown) => fill(samples, el('li', { class: 'error' }, String(error))),
  );
}

export function interval(p: PredictionData): string {
  return `${formatNumber(p.value)} [${formatNumber(p.low)}, ${formatNumber(p.high)}]`;
}

export function errorFor(errors: { message: string; path?: (string | number)[] }[] | undefined, i: number): string {
  return errors?.find((e) => e.path?.[0] === `p${i}`)?.message ?? '—';
}

/**
 * Labelled sets at several allele lengths from raw sample texts, counted as the server counts them
 * (core countAlleles, Nei D = -ln(max(S, 1e-10))): the reference length as the primary distances,
 * the others as `views`. Shared by the prediction tests and the evidence bench.
 */
import { countAlleles } from '../../src/core/genetics/population';
import { neiDistance, neiSimilarityMatrix } from '../../src/core/genetics/nei';
import { foldsOf } from '../../src/core/prediction/calibrated-fit';
import type { LabelledSet } from '../../src/core/prediction/evaluation';
import { fixtureCompletions, fixtureGenes, fixtureModels, judgeScores } from './misguided-attention';

export interface SampledSet {
  geneCount: number;
  /** per model, its samples */
  samples: { gene: number; text: string }[][];
  scores: number[];
  families: string[];
  names: string[];
}

export function labelledSet(data: SampledSet, lengths: readonly number[]): LabelledSet {
  const [first, ...rest] = lengths.map((l) => distancesAt(data, l));
  return {
    distances: first,
    alleleLength: lengths[0],
    views: rest.map((distances, v) => ({ alleleLength: lengths[v + 1], distances })),
    scores: data.scores,
    // as the server holds them out: over 20 families, 20 groups of whole families
    families: foldsOf(data.families),
  };
}

function distancesAt(data: SampledSet, alleleLength: number): Float64Array {
  const pops = data.samples.map((s) => countAlleles(data.geneCount, s, alleleLength));
  const s = neiSimilarityMatrix(pops);
  const n = pops.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = i === j ? 0 : neiDistance(s[i * n + j]);
  return d;
}

/** The 58 judged models of the MisguidedAttention fixture, with their raw completions. */
export function misguidedAttention(): SampledSet {
  const genes = fixtureGenes();
  const geneIndex = new Map(genes.map((g, i) => [g.id, i]));
  const judged = judgeScores();
  const models = fixtureModels().filter((m) => judged.get(m.name));
  return {
    geneCount: genes.length,
    samples: models.map((m) => fixtureCompletions(m, geneIndex).map((c) => ({ gene: c.gene, text: c.text }))),
    scores: models.map((m) => Number(judged.get(m.name))),
    families: models.map((m) => m.family),
    names: models.map((m) => m.name),
  };
}

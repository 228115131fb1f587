/**
 * The keys of a batch of samples, checked once per batch by both stores: the model and the genome
 * exist and every gene index is one of the genome's. A batch with an unknown key is refused whole
 * (the store contract). PostgreSQL has no per-row foreign keys on samples (they were half its
 * import time); on SQLite the foreign keys stay, but the contract test saw a batch with an
 * unknown key accepted in 2 of about 10 parallel runs (cause not pinned down; an
 * `INSERT … RETURNING` read with one step through better-sqlite3's `get` is the suspect), so the
 * check does not rely on them.
 */
import type { AppendSamplesInput } from './store';

export function checkAppendKeys(
  found: { model: number | null; geneCount: number | null },
  modelId: number,
  genomeId: number,
  batch: AppendSamplesInput['samples'],
): void {
  if (found.model === null) throw new Error(`appendSamples: there is no model ${modelId}`);
  if (found.geneCount === null) throw new Error(`appendSamples: there is no genome ${genomeId}`);
  const geneCount = found.geneCount;
  const outside = batch.find((s) => !Number.isInteger(s.gene) || s.gene < 0 || s.gene >= geneCount);
  if (outside) throw new Error(`appendSamples: genome ${genomeId} has no gene ${outside.gene}`);
}

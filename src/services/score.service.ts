/** Benchmark scores attached to models; predictions (later) learn from them. */
import type { ScoreRow, Store } from '../db/store';
import { badInput } from './errors';
import type { ModelService } from './model.service';
import { type BenchmarkRange, rangesOf, requireInRange } from './score-range';
import { requireText } from './validate';

export interface ScoreInput {
  model: string;
  benchmark: string;
  value: number;
}

export class ScoreService {
  constructor(
    private readonly store: Store,
    private readonly models: ModelService,
  ) {}

  /** Validates every entry, then writes them all in one transaction (or none). */
  async set(entries: readonly ScoreInput[], ranges?: readonly BenchmarkRange[] | null): Promise<ScoreRow[]> {
    if (entries.length === 0) throw badInput('no scores given');
    const rangeOf = rangesOf(ranges);
    const seen = new Set<string>();
    const rows = [];
    for (const [i, entry] of entries.entries()) {
      const model = await this.models.get(entry.model);
      const benchmark = requireText(`scores[${i}].benchmark`, entry.benchmark, 100);
      if (!Number.isFinite(entry.value)) {
        throw badInput(`scores[${i}].value must be a finite number, got ${entry.value}`);
      }
      requireInRange(rangeOf, benchmark, entry.value, `scores[${i}] (model "${model.name}", ${benchmark})`);
      const pair = `${model.id}\u0000${benchmark}`;
      if (seen.has(pair)) throw badInput(`scores[${i}] repeats model "${model.name}" and benchmark "${benchmark}"`);
      seen.add(pair);
      rows.push({ modelId: model.id, benchmark, value: entry.value });
    }
    return this.store.setScores(rows);
  }

  /** Every benchmark name that has at least one score, sorted. */
  benchmarks(): Promise<string[]> {
    return this.store.benchmarkNames();
  }

  /** The scores of each model, in key order (a DataLoader batch). */
  async byModels(modelIds: readonly number[]): Promise<ScoreRow[][]> {
    const byModel = new Map<number, ScoreRow[]>(modelIds.map((id) => [id, []]));
    for (const row of await this.store.scoresOf(modelIds)) byModel.get(row.modelId)?.push(row);
    return modelIds.map((id) => byModel.get(id) ?? []);
  }
}

/** Benchmark scores attached to models; predictions (later) learn from them. */
import type { ScoreEntry, ScoreRow, Store } from '../db/store';
import { badInput } from './errors';
import type { ModelService } from './model.service';
import { type BenchmarkRange, rangesForWrite, requireInRange, requireStoredScoresFit } from './score-range';
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

  /**
   * Validates every entry against its benchmark's range (declared here, else stored, else
   * [0, 1]), then writes them all with the declared ranges in one transaction (or none). Ranges
   * alone, without scores, are a declaration for later writes and imports.
   */
  async set(entries: readonly ScoreInput[], ranges?: readonly BenchmarkRange[] | null): Promise<ScoreRow[]> {
    if (entries.length === 0 && !ranges?.length) throw badInput('no scores given');
    const seen = new Set<string>();
    const rows: (ScoreEntry & { where: string })[] = [];
    for (const [i, entry] of entries.entries()) {
      const model = await this.models.get(entry.model);
      const benchmark = requireText(`scores[${i}].benchmark`, entry.benchmark, 100);
      if (!Number.isFinite(entry.value)) {
        throw badInput(`scores[${i}].value must be a finite number, got ${entry.value}`);
      }
      const pair = `${model.id}\u0000${benchmark}`;
      if (seen.has(pair)) throw badInput(`scores[${i}] repeats model "${model.name}" and benchmark "${benchmark}"`);
      seen.add(pair);
      rows.push({
        modelId: model.id,
        benchmark,
        value: entry.value,
        where: `scores[${i}] (model "${model.name}", ${benchmark})`,
      });
    }
    const rangeOf = await rangesForWrite(this.store, ranges);
    for (const row of rows) requireInRange(rangeOf, row.benchmark, row.value, row.where);
    await requireStoredScoresFit(this.store, ranges, rows);
    return this.store.setScores(
      rows.map(({ modelId, benchmark, value }) => ({ modelId, benchmark, value })),
      ranges ?? [],
    );
  }

  /** Every declared benchmark range (benchmarks without one have [0, 1]). */
  ranges(): Promise<BenchmarkRange[]> {
    return this.store.benchmarkRanges();
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

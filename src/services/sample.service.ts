/**
 * Storing samples (probes). Imported completions and the server's own probes go through the
 * same path, so they count exactly alike (contract: importCompletions).
 */
import type { AppendSamplesResult, GenomeRow, ModelRow, ProbeRequestRecord, SampleSource, Store } from '../db/store';
import { badInput } from './errors';
import type { AlleleCounts } from '../core/genetics/population';
import { ALLELE_LENGTH, type PopulationService } from './population.service';
import { decodeCursor, encodeCursor, pageSize, requireIntIn } from './validate';

/** One request may import at most this many completions (a whole 4,096-gene x 32 genome fits). */
export const MAX_COMPLETIONS_PER_IMPORT = 200_000;
export const MAX_COMPLETION_LENGTH = 100_000;

export interface CompletionToStore {
  gene: number;
  text: string;
  /** 0-based index of the sample for this gene; given, it makes re-imports idempotent */
  sample?: number | null;
}

export class SampleService {
  constructor(
    private readonly store: Store,
    private readonly populations: PopulationService,
  ) {}

  /** Validates every completion first, then writes them all in one transaction (or none). */
  async append(
    model: ModelRow,
    genome: GenomeRow,
    completions: readonly CompletionToStore[],
    source: SampleSource,
    request?: ProbeRequestRecord,
  ): Promise<AppendSamplesResult> {
    if (completions.length === 0) throw badInput('no completions given');
    if (completions.length > MAX_COMPLETIONS_PER_IMPORT) {
      throw badInput(`at most ${MAX_COMPLETIONS_PER_IMPORT} completions per import, got ${completions.length}`);
    }
    completions.forEach((c, i) => {
      if (!Number.isInteger(c.gene) || c.gene < 0 || c.gene >= genome.geneCount) {
        throw badInput(
          `completion ${i}: gene index ${c.gene} is out of range; genome "${genome.name}" has genes 0 to ${genome.geneCount - 1}`,
        );
      }
      if (c.sample != null && (!Number.isInteger(c.sample) || c.sample < 0)) {
        throw badInput(`completion ${i}: sample index must be a non-negative integer, got ${c.sample}`);
      }
      if (c.text.length > MAX_COMPLETION_LENGTH) {
        throw badInput(`completion ${i}: text is longer than ${MAX_COMPLETION_LENGTH} characters`);
      }
    });
    let counts: AlleleCounts | undefined;
    const result = await this.store.appendSamples({
      modelId: model.id,
      genomeId: genome.id,
      source,
      jobId: request?.jobId ?? null,
      request,
      samples: completions.map((c) => ({ gene: c.gene, text: c.text, sampleIndex: c.sample ?? undefined })),
      updatePopulation: (previous, inserted) => {
        counts = this.populations.next(genome, previous, inserted);
        return { counts: JSON.stringify(counts), alleleLength: ALLELE_LENGTH };
      },
    });
    if (counts && result.accepted > 0 && result.population) this.populations.remember(result.population, counts);
    return result;
  }

  async list(
    model: ModelRow,
    genome: GenomeRow,
    gene: number | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const limit = pageSize(first, 100, 10_000);
    if (gene != null) requireIntIn('gene', gene, 0, genome.geneCount - 1);
    const rows = await this.store.listSamples(
      { modelId: model.id, genomeId: genome.id, gene: gene ?? undefined },
      decodeCursor('sample', after),
      limit + 1,
    );
    const nodes = rows.slice(0, limit);
    const cursors = nodes.map((s) => encodeCursor('sample', s.id));
    return { nodes, cursors, hasNextPage: rows.length > limit, endCursor: cursors.at(-1) ?? null };
  }
}

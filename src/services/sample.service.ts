/**
 * Storing samples (probes). Imported completions and the server's own probes go through the
 * same path, so they count exactly alike (contract: importCompletions).
 */
import { alleleOf } from '../core/alleles/allele';
import type {
  AppendSamplesResult,
  GenomeRow,
  ModelRow,
  ProbeRequestRecord,
  SampleSource,
  StoredSample,
  Store,
} from '../db/store';
import { badInput } from './errors';
import type { AlleleCounts } from '../core/genetics/population';
import type { GenomeService } from './genome.service';
import type { ModelService } from './model.service';
import { paginate, SAMPLE_PAGE, type Page, type PageRequest } from './page';
import { ALLELE_LENGTH, type PopulationService } from './population.service';

export type { SampleSource };
import { requireIntIn } from './validate';

/** One request may import at most this many completions (a whole 4,096-gene x 32 genome fits). */
export const MAX_COMPLETIONS_PER_IMPORT = 200_000;
export const MAX_COMPLETION_LENGTH = 100_000;

export interface CompletionToStore {
  gene: number;
  text: string;
  /** 0-based index of the sample for this gene; given, it makes re-imports idempotent */
  sample?: number | null;
}

/** A stored sample as the API shows it, with its allele under the reference rule. */
export interface SampleView extends StoredSample {
  allele: string;
}

/** Completions taken elsewhere, for a model and genome given by id. */
export interface ImportCompletions {
  model: string;
  genome: string;
  completions: readonly CompletionToStore[];
}

export interface ImportSummary {
  accepted: number;
  rejected: number;
  /** the model's sample count on the genome after the import */
  sampleCount: number;
}

/** Which samples to list: a model's on a genome, optionally of one gene. */
export interface SampleQuery {
  model: string;
  genome: string;
  gene?: number | null;
}

export class SampleService {
  constructor(
    private readonly store: Store,
    private readonly populations: PopulationService,
    private readonly models: ModelService,
    private readonly genomes: GenomeService,
  ) {}

  /** Stores samples taken elsewhere; they count exactly like probes. */
  async importCompletions(input: ImportCompletions): Promise<ImportSummary> {
    const model = await this.models.get(input.model);
    const genome = await this.genomes.get(input.genome);
    const result = await this.append(model, genome, input.completions, 'IMPORTED');
    return { accepted: result.accepted, rejected: result.rejected, sampleCount: result.population?.sampleCount ?? 0 };
  }

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

  /** One page of a model's samples on a genome, oldest first. */
  async list(query: SampleQuery, page: PageRequest): Promise<Page<SampleView>> {
    const model = await this.models.get(query.model);
    const genome = await this.genomes.get(query.genome);
    if (query.gene != null) requireIntIn('gene', query.gene, 0, genome.geneCount - 1);
    const found = await paginate(
      'sample',
      page,
      SAMPLE_PAGE,
      (afterId, limit) =>
        this.store.listSamples(
          { modelId: model.id, genomeId: genome.id, gene: query.gene ?? undefined },
          afterId,
          limit,
        ),
      (sample) => sample.id,
    );
    return { ...found, nodes: found.nodes.map((s) => ({ ...s, allele: alleleOf(s.text, ALLELE_LENGTH) })) };
  }
}

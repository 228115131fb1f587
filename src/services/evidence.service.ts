/**
 * Evidence per model on a genome: its coverage (genes with samples, samples per gene), whether
 * it meets the thresholds the distance matrix, tree and prediction apply by default, and which
 * pairs of models share no gene (their Nei identity is unknown, not 0: core/genetics/coverage.ts).
 *
 * Coverages are computed from the stored populations and kept in memory by population revision,
 * so a matrix of many models pays for them once per new sample batch. The counting is a compute
 * task (core/tasks.ts `coverage`): a cold matrix of 2,000 models parses every population, and on
 * the event loop that alone held `/healthz` for hundreds of milliseconds. The populations reach
 * it in shared memory (packed-populations.ts), not as one joined string.
 */
import {
  type Coverage,
  coverageFromSamplesPerGene,
  DEFAULT_THRESHOLDS,
  type EvidenceThresholds,
  geneMask,
  pairsSharingNoGene,
  shortfall,
} from '../core/genetics/coverage';
import type { GenomeRow, ModelRow, PopulationRevision } from '../db/store';
import type { Compute } from './compute';
import { badInput } from './errors';
import { LruCache } from './lru-cache';
import { packPopulations } from './packed-populations';
import { ALLELE_LENGTH, type PopulationService } from './population.service';
import { pace } from './time-slice';

export { DEFAULT_THRESHOLDS, type Coverage, type EvidenceThresholds };

/** A model left out of an answer, and why. */
export interface Exclusion {
  modelId: number;
  reason: string;
}

export interface ModelEvidence {
  modelId: number;
  revision: number;
  coverage: Coverage;
  /** the genes with samples, as a bit set */
  mask: Uint32Array;
  /** samples on each gene */
  perGene: Int32Array;
}

/** The models an answer uses by default, and those it leaves out. */
export interface Selection {
  included: PopulationRevision[];
  evidence: ModelEvidence[];
  excluded: Exclusion[];
}

/** Thresholds as a request may give them; missing ones take the defaults. */
export type ThresholdRequest = { [K in keyof EvidenceThresholds]?: number | null };

export class EvidenceService {
  private readonly known = new LruCache<ModelEvidence>(64 * 1024 * 1024, (e) => 64 + 5 * e.perGene.length);

  constructor(
    private readonly populations: PopulationService,
    private readonly compute: Compute,
  ) {}

  /** Thresholds of a request, checked; defaults for those not given. */
  thresholds(request: ThresholdRequest = {}): EvidenceThresholds {
    const minSamplesPerGene = request.minSamplesPerGene ?? DEFAULT_THRESHOLDS.minSamplesPerGene;
    const minGeneCoverage = request.minGeneCoverage ?? DEFAULT_THRESHOLDS.minGeneCoverage;
    if (!(Number.isFinite(minSamplesPerGene) && minSamplesPerGene >= 0))
      throw badInput(`minSamplesPerGene must be a number >= 0, got ${minSamplesPerGene}`);
    if (!(minGeneCoverage >= 0 && minGeneCoverage <= 1))
      throw badInput(`minGeneCoverage must be between 0 and 1, got ${minGeneCoverage}`);
    return { minSamplesPerGene, minGeneCoverage };
  }

  /** A model's coverage on a genome; null when it has no samples there. */
  async coverage(genome: GenomeRow, modelId: number): Promise<Coverage | null> {
    const [revision] = await this.populations.revisions(genome.id, [modelId]);
    if (!revision) return null;
    const [evidence] = await this.of(genome, [revision]);
    return evidence.coverage;
  }

  /** Evidence of each population, in order. */
  async of(genome: GenomeRow, revisions: readonly PopulationRevision[]): Promise<ModelEvidence[]> {
    const missing = revisions.filter((r) => this.known.get(`${genome.id}:${r.modelId}`)?.revision !== r.revision);
    if (missing.length > 0) {
      const texts = await this.populations.textsOf(genome, missing, ALLELE_LENGTH);
      const populations = await packPopulations(texts.map((t) => t.json));
      const counted = await this.compute.run('coverage', { populations });
      for (const [i, text] of texts.entries()) {
        if (i % 256 === 255) await pace(); // medians for thousands of models
        const perGene = counted.perGene.slice(i * counted.genes, (i + 1) * counted.genes);
        this.known.set(`${genome.id}:${text.modelId}`, {
          modelId: text.modelId,
          revision: text.revision,
          coverage: coverageFromSamplesPerGene(perGene),
          mask: geneMask(perGene),
          perGene,
        });
      }
    }
    return revisions.map((r) => {
      const found = this.known.get(`${genome.id}:${r.modelId}`);
      if (!found) throw new Error(`model ${r.modelId} has no population on genome ${genome.id}`);
      return found;
    });
  }

  /**
   * The models an answer uses: the requested ones as they are (an explicit list wins), or every
   * model with samples on the genome that meets the thresholds; the others are listed with why.
   * `requested` rows must have samples on the genome.
   */
  async select(
    genome: GenomeRow,
    requested: readonly ModelRow[] | undefined,
    thresholds: EvidenceThresholds,
  ): Promise<Selection> {
    const revisions = await this.revisionsFor(genome, requested);
    const evidence = await this.of(genome, revisions);
    if (requested !== undefined) return { included: revisions, evidence, excluded: [] };
    const excluded: Exclusion[] = [];
    const kept: number[] = [];
    evidence.forEach((e, i) => {
      const reason = shortfall(e.coverage, thresholds);
      if (reason === null) kept.push(i);
      else excluded.push({ modelId: e.modelId, reason });
    });
    return { included: kept.map((i) => revisions[i]), evidence: kept.map((i) => evidence[i]), excluded };
  }

  /** Row pairs (i < j) of a selection that share no gene. */
  unknownPairs(evidence: readonly ModelEvidence[]): [number, number][] {
    return pairsSharingNoGene(
      evidence.map((e) => e.mask),
      evidence.map((e) => e.coverage.genesWithSamples === e.coverage.genes),
    );
  }

  /**
   * A selection without unknown pairs, for a tree (neighbour joining needs every distance): the
   * model in the most unknown pairs is left out first (ties: the one with fewer genes, then the
   * later row), until none remains; each is listed with a model it shares no gene with.
   */
  withoutUnknownPairs(selection: Selection): Selection {
    let { included, evidence } = selection;
    const excluded = [...selection.excluded];
    for (;;) {
      const pairs = this.unknownPairs(evidence);
      if (pairs.length === 0) return { included, evidence, excluded };
      const count = new Array<number>(evidence.length).fill(0);
      for (const [i, j] of pairs) {
        count[i]++;
        count[j]++;
      }
      let worst = 0;
      for (let i = 1; i < evidence.length; i++) {
        const fewer = evidence[i].coverage.genesWithSamples <= evidence[worst].coverage.genesWithSamples;
        if (count[i] > count[worst] || (count[i] === count[worst] && fewer)) worst = i;
      }
      const [a, b] = pairs.find(([i, j]) => i === worst || j === worst)!;
      const other = evidence[a === worst ? b : a];
      excluded.push({
        modelId: evidence[worst].modelId,
        reason: `shares no gene with model ${other.modelId} (their distance is unknown), and a tree needs every distance`,
      });
      included = included.filter((_, i) => i !== worst);
      evidence = evidence.filter((_, i) => i !== worst);
    }
  }

  /** Populations of the given models (each must have samples), or of every model with samples. */
  async revisionsFor(genome: GenomeRow, models?: readonly ModelRow[]): Promise<PopulationRevision[]> {
    if (models === undefined) {
      const all = await this.populations.revisions(genome.id);
      if (all.length === 0) throw badInput(`no model has samples on genome "${genome.name}"`);
      return all;
    }
    if (models.length === 0) throw badInput('the models list is empty');
    const ids = models.map((m) => m.id);
    const byModel = new Map((await this.populations.revisions(genome.id, ids)).map((r) => [r.modelId, r]));
    return models.map((model) => {
      const revision = byModel.get(model.id);
      if (!revision) throw badInput(`model "${model.name}" has no samples on genome "${genome.name}"`);
      return revision;
    });
  }
}

/** A coverage as the API shows it: with its share of genes and its shortfall by the defaults. */
export function coverageView(modelId: number, coverage: Coverage) {
  return {
    modelId,
    ...coverage,
    geneCoverage: coverage.genes === 0 ? 0 : coverage.genesWithSamples / coverage.genes,
    shortfall: shortfall(coverage, DEFAULT_THRESHOLDS),
  };
}

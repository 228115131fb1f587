/**
 * designGenome (issue 13, "Smaller genomes"): a genome of `size` genes chosen from an existing one
 * for how well they reproduce its distances between the given models, from the samples the
 * server holds (greedy selection, core/genome-design/select-genes.ts). The result is a normal
 * genome; its provenance (the genome it came from, the chosen genes, the models, the method and
 * its score) is stored with it in the same transaction.
 */
import { selectGenes } from '../core/genome-design/select-genes';
import type { GenomeRow, Store } from '../db/store';
import { badInput } from './errors';
import type { GenomeService } from './genome.service';
import type { ModelService } from './model.service';
import type { PopulationService } from './population.service';
import { requireIntIn, requireText } from './validate';

export const DESIGN_METHOD = 'greedy-spearman';

/** What `genomes.design` holds, as JSON. */
export interface GenomeDesign {
  fromGenomeId: number;
  fromGenome: string;
  /** indices of the chosen genes in the genome they came from, in the new genome's order */
  genes: number[];
  models: string[];
  method: string;
  /** Spearman correlation of the chosen genes' distances with the full genome's, over the design models' pairs */
  spearman: number;
}

export interface DesignGenomeRequest {
  from: string;
  size: number;
  models: readonly string[];
  name?: string | null;
}

export class GenomeDesignService {
  constructor(
    private readonly store: Store,
    private readonly genomes: GenomeService,
    private readonly models: ModelService,
    private readonly populations: PopulationService,
  ) {}

  async design(input: DesignGenomeRequest): Promise<GenomeRow> {
    const from = await this.genomes.get(input.from);
    requireIntIn('size', input.size, 1, from.geneCount);
    const name = requireText('name', input.name ?? `${from.name}-design-${input.size}`, 200);
    const models = await this.models.getMany(input.models);
    const revisions = await this.populations.revisions(
      from.id,
      models.map((m) => m.id),
    );
    const loaded = (await this.populations.load(from.id, revisions)).filter((p) => p.sampleCount > 0);
    if (loaded.length < 3) {
      throw badInput(
        `designGenome needs at least 3 of the models with samples on genome "${from.name}", got ${loaded.length}`,
      );
    }
    const selection = selectGenes(
      loaded.map((p) => p.counts),
      input.size,
    );
    // the new genome keeps the original order of its genes
    const chosen = [...selection.genes].sort((a, b) => a - b);
    const texts = await this.store.geneTexts(from.id);
    const byId = new Map(models.map((m) => [m.id, m.name]));
    const design: GenomeDesign = {
      fromGenomeId: from.id,
      fromGenome: from.name,
      genes: chosen,
      models: loaded.map((p) => byId.get(p.modelId) ?? String(p.modelId)),
      method: DESIGN_METHOD,
      spearman: selection.spearman,
    };
    return this.genomes.create({ name, genes: chosen.map((g) => texts[g]), design: JSON.stringify(design) });
  }
}

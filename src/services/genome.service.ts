/** Creating and reading genomes: ordered lists of genes (short text prefixes). */
import type { GenomeRow, Store } from '../db/store';
import { DuplicateError } from '../db/store';
import { badInput, notFound, parseId } from './errors';
import { BUILTIN_GENOMES, builtinGenes, findBuiltinGenome } from '../genomes/builtin';
import { genomeFingerprint } from './fingerprint';
import { GENE_PAGE, paginate, type PageRequest } from './page';
import { findByIdOrName, requireText } from './validate';

/** Bounds that keep one request from filling the database by accident. */
export const MAX_GENES = 100_000;
export const MAX_GENE_LENGTH = 10_000;

export class GenomeService {
  constructor(private readonly store: Store) {}

  async create(input: { name: string; genes: readonly string[] }): Promise<GenomeRow> {
    const name = requireText('name', input.name, 200);
    if (input.genes.length === 0) throw badInput('a genome needs at least one gene');
    if (input.genes.length > MAX_GENES) throw badInput(`a genome has at most ${MAX_GENES} genes`);
    input.genes.forEach((gene, index) => {
      // Genes are sent as-is (method.md), so whitespace is kept; only emptiness is refused.
      if (gene.length === 0) throw badInput(`gene ${index} is empty`);
      if (gene.length > MAX_GENE_LENGTH) throw badInput(`gene ${index} is longer than ${MAX_GENE_LENGTH} characters`);
    });
    if (await this.store.getGenomeByName(name)) throw badInput(`a genome named "${name}" already exists`);
    try {
      return await this.store.createGenome({ name, fingerprint: genomeFingerprint(input.genes), genes: input.genes });
    } catch (error) {
      if (error instanceof DuplicateError) throw badInput(error.message);
      throw error;
    }
  }

  /** The shipped genomes that `installBuiltin` can create. */
  builtins() {
    return BUILTIN_GENOMES;
  }

  /** Creates a shipped genome under its own name, or returns it when it is already there. */
  async installBuiltin(name: string): Promise<GenomeRow> {
    const builtin = findBuiltinGenome(name);
    if (!builtin) {
      throw badInput(`no built-in genome "${name}"; available: ${BUILTIN_GENOMES.map((g) => g.name).join(', ')}`);
    }
    const genes = builtinGenes(builtin).map((g) => g.text);
    const existing = await this.store.getGenomeByName(name);
    if (existing) {
      if (existing.fingerprint !== genomeFingerprint(genes)) {
        throw badInput(`a different genome is already named "${name}"`);
      }
      return existing;
    }
    return this.create({ name, genes });
  }

  async get(id: string): Promise<GenomeRow> {
    const genome = await this.store.getGenome(parseId('genome', id));
    if (!genome) throw notFound(`no genome with id "${id}"`);
    return genome;
  }

  find(ref: { id?: string | null; name?: string | null }): Promise<GenomeRow | null> {
    return findByIdOrName(
      ref,
      (id) => this.store.getGenome(id),
      (name) => this.store.getGenomeByName(name),
    );
  }

  list(): Promise<GenomeRow[]> {
    return this.store.listGenomes();
  }

  /**
   * Genomes by row id in key order, a NOT_FOUND error for each unknown id (a DataLoader batch).
   * One read of the genome list serves the whole batch: genomes are few, and the store has no
   * lookup by several ids.
   */
  async byIds(ids: readonly number[]): Promise<(GenomeRow | Error)[]> {
    const byId = new Map((await this.store.listGenomes()).map((g) => [g.id, g]));
    return ids.map((id) => byId.get(id) ?? notFound(`no genome with id "${id}"`));
  }

  async genes(genome: GenomeRow, page: PageRequest) {
    const found = await paginate(
      'gene',
      page,
      GENE_PAGE,
      (afterIndex, limit) => this.store.listGenes(genome.id, afterIndex, limit),
      (gene) => gene.index,
    );
    return { ...found, totalCount: genome.geneCount };
  }
}

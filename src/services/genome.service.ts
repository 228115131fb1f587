/** Creating and reading genomes: ordered lists of genes (short text prefixes). */
import type { GenomeRow, Store } from '../db/store';
import { DuplicateError } from '../db/store';
import { badInput, notFound, parseId } from './errors';
import { BUILTIN_GENOMES, builtinGenes, findBuiltinGenome } from '../genomes/builtin';
import { genomeFingerprint } from './fingerprint';
import { decodeCursor, encodeCursor, findByIdOrName, pageSize, requireText } from './validate';

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

  async genes(genome: GenomeRow, first: number | null | undefined, after: string | null | undefined) {
    const limit = pageSize(first, 200, 10_000);
    const afterIndex = decodeCursor('gene', after);
    const rows = await this.store.listGenes(genome.id, afterIndex, limit + 1);
    const nodes = rows.slice(0, limit);
    const cursors = nodes.map((g) => encodeCursor('gene', g.index));
    return {
      nodes,
      cursors,
      hasNextPage: rows.length > limit,
      endCursor: cursors.at(-1) ?? null,
      totalCount: genome.geneCount,
    };
  }
}

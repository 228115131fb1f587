/** Creating and reading genomes: ordered lists of genes (short text prefixes). */
import type { GenomeRow, Store } from '../db/store';
import { DuplicateError } from '../db/store';
import { badInput, conflict, notFound } from './errors';
import { BUILTIN_GENOMES, builtinGenes, findBuiltinGenome } from '../genomes/builtin';
import { genomeFingerprint } from './fingerprint';
import { GENE_PAGE, paginate, type PageRequest } from './page';
import type { IfExists } from './model.service';
import { findByIdOrName, genomeLookups, lookUpGenome } from './reference';
import { requireText } from './validate';

/** Bounds that keep one request from filling the database by accident. */
export const MAX_GENES = 100_000;
export const MAX_GENE_LENGTH = 10_000;

export class GenomeService {
  constructor(private readonly store: Store) {}

  /**
   * Creates a genome. A taken name is BAD_USER_INPUT, or with `ifExists: RETURN` the existing
   * genome when its genes are these (same fingerprint) and CONFLICT when they are not.
   */
  async create(input: {
    name: string;
    genes: readonly string[];
    ifExists?: IfExists | null;
    /** a designed genome's provenance (genome-design.service.ts) */
    design?: string | null;
  }): Promise<GenomeRow> {
    const name = requireText('name', input.name, 200);
    if (input.genes.length === 0) throw badInput('a genome needs at least one gene');
    if (input.genes.length > MAX_GENES) throw badInput(`a genome has at most ${MAX_GENES} genes`);
    input.genes.forEach((gene, index) => {
      // Genes are sent as-is (method.md), so whitespace is kept; only emptiness is refused.
      if (gene.length === 0) throw badInput(`gene ${index} is empty`);
      if (gene.length > MAX_GENE_LENGTH) throw badInput(`gene ${index} is longer than ${MAX_GENE_LENGTH} characters`);
    });
    const fingerprint = genomeFingerprint(input.genes);
    const returning = input.ifExists === 'RETURN';
    const taken = await this.store.getGenomeByName(name);
    if (taken) {
      if (!returning) throw badInput(`a genome named "${name}" already exists`);
      return sameGenesOrConflict(taken, fingerprint, input.genes.length);
    }
    try {
      return await this.store.createGenome({ name, fingerprint, genes: input.genes, design: input.design ?? null });
    } catch (error) {
      if (!(error instanceof DuplicateError)) throw error;
      // another request created the name between our read and this write
      const winner = returning ? await this.store.getGenomeByName(name) : undefined;
      if (winner) return sameGenesOrConflict(winner, fingerprint, input.genes.length);
      throw badInput(error.message);
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

  /** The genome a reference names: an id, a name, or `name:<name>` (reference.ts). */
  get(reference: string): Promise<GenomeRow> {
    return lookUpGenome(this.store, reference);
  }

  find(ref: { id?: string | null; name?: string | null }): Promise<GenomeRow | null> {
    return findByIdOrName(ref, genomeLookups(this.store));
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

/** `existing` when its genes are the ones asked for (by fingerprint); otherwise CONFLICT. */
function sameGenesOrConflict(existing: GenomeRow, fingerprint: string, geneCount: number): GenomeRow {
  if (existing.fingerprint === fingerprint) return existing;
  throw conflict(
    `a genome named "${existing.name}" already exists with other genes: ${existing.geneCount} genes with ` +
      `fingerprint ${existing.fingerprint}, not ${geneCount} with ${fingerprint}; create it under another name`,
  );
}

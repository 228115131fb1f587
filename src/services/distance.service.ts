/**
 * Nei distance matrices between models on one genome (method.md, "Similarity and distance"),
 * computed lazily on first request and cached under a fingerprint of the genome, the allele rule
 * and each model's population revision.
 *
 * Incremental: when no cached matrix matches exactly, the most recently used cached matrices on
 * the genome donate every pair whose two models are still at the same revision, so adding one
 * model to a cached set of M computes M new pairs, not M^2 / 2.
 */
import type { ComputeClaims } from './compute-claims';
import { csvField, formatCsvMatrix } from '../core/format/csv';
import { formatPhylipDistances, phylipNameTable } from '../core/format/phylip';
import { countUnknownPairs, neiSimilarityMatrix } from '../core/genetics/nei';
import { binaryBlocks, phylipBlocks, type MatrixPrecision, type MatrixValues } from './matrix-files';
import { distancesOf } from '../core/tasks';
import type { GenomeRow, ModelRow, PopulationRevision, Store } from '../db/store';
import { blockedSimilarity, worthBlocking } from './blocked-similarity';
import { float64Codec } from './codecs';
import type { ObservedCompute } from './compute';
import { ComputationCache, type CachedEntry, type Dependencies } from './computation-cache';
import { badInput } from './errors';
import { fingerprint } from './fingerprint';
import type { EvidenceService, Exclusion, ModelEvidence, Selection, ThresholdRequest } from './evidence.service';
import type { GenomeService } from './genome.service';
import type { ModelService } from './model.service';
import {
  matrixRows,
  nearestNeighbors,
  thresholdPairs,
  type MatrixPair,
  type MatrixRow,
  type ModelNeighbors,
  type PairThreshold,
} from './matrix-pages';
import { packPopulations } from './packed-populations';
import type { Page, PageRequest } from './page';
import { requireIntIn } from './validate';
import { ALLELE_LENGTH, type PopulationService } from './population.service';
import { SingleFlight } from './single-flight';
import type { WriteBehind } from './write-behind';

export interface SimilarityMatrix {
  key: string;
  genome: GenomeRow;
  modelIds: number[];
  /** (model id, population revision) of each row */
  dependencies: Dependencies;
  /** row-major n x n Nei identities S */
  similarity: Float64Array;
  /** pairs computed for this answer (0 when it came from the cache; the rest were reused) */
  computedPairs: number;
  /** code points per allele (method.md: 4) */
  alleleLength: number;
}

/**
 * A request for a matrix: a genome and the models in row order (none: every model with samples
 * and enough evidence, by the thresholds given or the defaults).
 */
export interface MatrixRequest extends ThresholdRequest {
  genome: string;
  models?: readonly string[] | null;
  alleleLength?: number;
  /** the answer holds the whole matrix: refused early over MAX_WHOLE_MODELS models */
  whole?: boolean;
}

/** A matrix as the API shows it. */
export interface DistanceMatrixView {
  matrix: SimilarityMatrix;
  genome: GenomeRow;
  /** fingerprint of every input; changes exactly when the matrix does */
  fingerprint: string;
  alleleLength: number;
  /** each row's evidence, in row order */
  evidence: ModelEvidence[];
  /** models with samples left out for too little evidence, with why */
  excluded: Exclusion[];
  /** row pairs (i < j) sharing no gene: distance unknown */
  unknownPairs: [number, number][];
}

/** Allele lengths a request may ask for; 4 is the reference and the one stored. */
export const MAX_ALLELE_LENGTH = 64;

/** Decimals a PHYLIP matrix may show: 17 is past a double's precision for distances >= 0.1. */
export const MAX_PHYLIP_DIGITS = 17;

/**
 * Most models a whole-matrix answer may have: 9 million numbers, under 200 MB of JSON per field,
 * so two such fields stay below V8's largest string (2^29 characters).
 */
export const MAX_WHOLE_MODELS = 3_000;

/** How many recently used matrices may donate pairs to a new one. */
const DONORS = 4;

/**
 * Up to this many unknown pairs per model, with every population prepared in memory, a matrix
 * is completed on the event loop (merge joins: milliseconds for thousands of models); the same
 * bound as the core's switch to one-by-one pairs.
 */
const FEW_PAIRS_PER_MODEL = 4;

export class DistanceService {
  /** one cache per allele length, so matrices of different lengths never donate to each other */
  private readonly caches = new Map<number, ComputationCache<Float64Array>>();
  /** matrices being computed, by key: identical concurrent requests share one computation */
  private readonly flights = new SingleFlight();

  constructor(
    private readonly store: Store,
    private readonly populations: PopulationService,
    private readonly writes: WriteBehind,
    private readonly models: ModelService,
    private readonly genomes: GenomeService,
    private readonly compute: ObservedCompute,
    private readonly evidence: EvidenceService,
    /** processes sharing the database compute a cold matrix once (compute-claims.ts) */
    private readonly claims?: ComputeClaims,
    /**
     * one matrix larger than the 256 MB of matrices kept in memory is kept too, up to this size
     * (`PHYLOLM_LARGEST_MATRIX_BYTES`, lru-cache.ts); 0 keeps none
     */
    private readonly largestMatrixBytes = 0,
  ) {}

  /** The matrix a request names, resolving its genome and model ids. */
  async matrix(request: MatrixRequest): Promise<DistanceMatrixView> {
    const genome = await this.genomes.get(request.genome);
    const thresholds = this.evidence.thresholds(request);
    const models = await this.models.selected(request.models);
    const selection = await this.evidence.select(genome, models, thresholds);
    if (request.whole) this.requireWholeAnswer(selection.included.length);
    const matrix = await this.similarityOf(genome, requireIncluded(genome, selection), request.alleleLength);
    return {
      matrix,
      genome,
      fingerprint: matrix.key,
      alleleLength: matrix.alleleLength,
      evidence: selection.evidence,
      excluded: selection.excluded,
      unknownPairs: this.evidence.unknownPairs(selection.evidence),
    };
  }

  /**
   * The square PHYLIP distance-matrix text, names being the unique 10-character PHYLIP names of
   * the models (`phylipNames`); `digits` decimals, 0..17 (the digits a double carries).
   */
  async phylip(matrix: SimilarityMatrix, digits: number): Promise<string> {
    requireIntIn('digits', digits, 0, MAX_PHYLIP_DIGITS);
    const names = await this.models.names(matrix.modelIds);
    return formatPhylipDistances(names, distancesOf(matrix.similarity), digits);
  }

  /** The PHYLIP text `phylip` gives, in blocks of rows, for streaming (matrix-files.ts). */
  async phylipFile(matrix: SimilarityMatrix, digits: number): Promise<Iterable<string>> {
    requireIntIn('digits', digits, 0, MAX_PHYLIP_DIGITS);
    const names = await this.models.names(matrix.modelIds);
    return phylipBlocks(
      matrix,
      phylipNameTable(names).map((e) => e.short),
      digits,
    );
  }

  /** The matrix in the documented binary layout, in blocks of rows, for streaming (matrix-files.ts). */
  async binaryFile(
    matrix: SimilarityMatrix,
    values: MatrixValues,
    precision: MatrixPrecision,
  ): Promise<Iterable<Buffer>> {
    const names = await this.models.names(matrix.modelIds);
    const models = matrix.modelIds.map((id, i) => ({ id, name: names[i] }));
    return binaryBlocks(matrix, models, values, precision);
  }

  /**
   * Refuses a whole-matrix answer (`similarity`, `distance`, `knownDistance`, `phylip`, `csv`)
   * over MAX_WHOLE_MODELS models, before the matrix is computed: GraphQL answers are one JSON
   * string, and 10,000 models' 100 million numbers are more than a string may hold.
   */
  requireWholeAnswer(models: number): void {
    if (models <= MAX_WHOLE_MODELS) return;
    throw badInput(
      `a matrix of ${models.toLocaleString('en-US')} models is too big to answer whole ` +
        `(at most ${MAX_WHOLE_MODELS.toLocaleString('en-US')}); ask distanceMatrix for rows(offset, count), ` +
        'pairs(minSimilarity | maxDistance) or nearest(k), or download the whole matrix from ' +
        'GET /matrices/<genome>.bin or .phy, which stream it',
    );
  }

  /** Rows [offset, offset + count) of a matrix (matrix-pages.ts). */
  rows(view: DistanceMatrixView, offset: number, count: number): MatrixRow[] {
    return matrixRows(view.matrix, offset, count);
  }

  /** One page of the pairs past a similarity or distance threshold (matrix-pages.ts). */
  pairs(view: DistanceMatrixView, threshold: PairThreshold, page: PageRequest): Promise<Page<MatrixPair>> {
    return thresholdPairs(view.matrix, view.unknownPairs, threshold, page);
  }

  /** The k nearest other models of rows [offset, offset + count) (matrix-pages.ts). */
  nearest(view: DistanceMatrixView, k: number, offset: number, count?: number | null): ModelNeighbors[] {
    return nearestNeighbors(view.matrix, view.unknownPairs, k, offset, count);
  }

  /** The distance matrix as CSV (RFC 4180), rows and columns named by model name. */
  async csv(matrix: SimilarityMatrix): Promise<string> {
    const names = await this.models.names(matrix.modelIds);
    return formatCsvMatrix(names, distancesOf(matrix.similarity));
  }

  /** The PHYLIP name of each row (what `phylip` writes) beside its model, in row order. */
  async phylipNames(matrix: SimilarityMatrix): Promise<{ short: string; name: string; modelId: number }[]> {
    const names = await this.models.names(matrix.modelIds);
    return phylipNameTable(names).map((entry, i) => ({ ...entry, modelId: matrix.modelIds[i] }));
  }

  /** The PHYLIP name table as CSV (phylip, id, name), to keep beside a PHYLIP matrix. */
  async phylipNamesCsv(matrix: SimilarityMatrix): Promise<string> {
    const rows = (await this.phylipNames(matrix)).map((e) => [e.short, String(e.modelId), e.name].map(csvField));
    return [['phylip', 'id', 'name'], ...rows].map((row) => row.join(',')).join('\r\n') + '\r\n';
  }

  /**
   * S for the given models (in that order), or for every model with samples on the genome, with
   * alleles of `alleleLength` code points (default: the reference 4). `alongWith`: the other
   * lengths the caller asks for next; raw samples read to recount this one are counted under
   * those too (PopulationService.textsOf), so a set of lengths reads each model's samples once.
   */
  async similarity(
    genome: GenomeRow,
    models?: readonly ModelRow[],
    alleleLength: number = ALLELE_LENGTH,
    alongWith: readonly number[] = [],
  ): Promise<SimilarityMatrix> {
    requireIntIn('alleleLength', alleleLength, 1, MAX_ALLELE_LENGTH);
    return this.similarityOf(genome, await this.evidence.revisionsFor(genome, models), alleleLength, alongWith);
  }

  /** S for the given populations, in that order (`alongWith` as for `similarity`). */
  async similarityOf(
    genome: GenomeRow,
    revisions: readonly PopulationRevision[],
    alleleLength: number = ALLELE_LENGTH,
    alongWith: readonly number[] = [],
  ): Promise<SimilarityMatrix> {
    requireIntIn('alleleLength', alleleLength, 1, MAX_ALLELE_LENGTH);
    const cache = this.cacheFor(alleleLength);
    const key = this.keyOf(genome, revisions, alleleLength);
    const hit = await cache.get(key);
    const found = (entry: CachedEntry<Float64Array>): SimilarityMatrix => ({
      key,
      genome,
      modelIds: entry.dependencies.map(([m]) => m),
      dependencies: entry.dependencies,
      similarity: entry.value,
      computedPairs: 0,
      alleleLength,
    });
    if (hit) return found(hit);

    return this.flights.run(key, async () => {
      // another process may be computing this very matrix: wait for its stored result instead
      const turn = await cache.turn(key);
      if ('stored' in turn) return found(turn.stored);
      try {
        return await this.build(genome, revisions, alleleLength, cache, alongWith);
      } finally {
        turn.claimed.release(cache.pendingWrite(key));
      }
    });
  }

  /**
   * Computes a matrix missing from the cache. A few new pairs against populations already in
   * memory (one model added to a cached matrix) are merge joins, done here; anything bigger is
   * a compute task, off the event loop, fed the populations' JSON text.
   */
  private async build(
    genome: GenomeRow,
    revisions: readonly PopulationRevision[],
    alleleLength: number,
    cache: ComputationCache<Float64Array>,
    alongWith: readonly number[],
  ): Promise<SimilarityMatrix> {
    const warm = alleleLength === ALLELE_LENGTH ? this.populations.warm(genome.id, revisions) : undefined;
    let reuse: Awaited<ReturnType<typeof this.reusable>> | undefined;
    if (warm) {
      reuse = await this.reusable(cache, genome.id, warm);
      if (reuse.unknownPairs <= FEW_PAIRS_PER_MODEL * warm.length) {
        const { dependencies, known, unknownPairs } = reuse;
        const counts = warm.map((p) => p.counts);
        const similarity = this.compute.onThisThread('similarity', () =>
          neiSimilarityMatrix(counts, known, () => this.populations.prepared(genome.id, warm)),
        );
        return this.cached(cache, genome, dependencies, similarity, unknownPairs, alleleLength);
      }
    }
    // read anew: the populations read may be newer than `revisions`, and the result is keyed on
    // them; the donated pairs found for the warm rows still hold when the revisions did not move
    const texts = await this.populations.textsOf(genome, revisions, alleleLength, alongWith);
    if (!reuse || texts.some((t, i) => t.revision !== warm![i].revision || t.modelId !== warm![i].modelId)) {
      reuse = await this.reusable(cache, genome.id, texts);
    }
    const { dependencies, known, unknownPairs } = reuse;
    const populations = await packPopulations(texts.map((p) => p.json));
    // many models, mostly unknown: the blocked product shared out among the pool's threads
    const similarity = worthBlocking(texts.length, unknownPairs)
      ? await blockedSimilarity(this.compute, populations, known)
      : await this.compute.run('similarity', { populations, known });
    return this.cached(cache, genome, dependencies, similarity, unknownPairs, alleleLength);
  }

  /** The rows' dependencies, the pairs donated by cached matrices, and how many pairs remain. */
  private async reusable(
    cache: ComputationCache<Float64Array>,
    genomeId: number,
    rows: readonly { modelId: number; revision: number }[],
  ): Promise<{ dependencies: Dependencies; known?: Float64Array; unknownPairs: number }> {
    const dependencies: Dependencies = rows.map((p) => [p.modelId, p.revision] as const);
    const n = rows.length;
    const known = await this.donatedPairs(cache, genomeId, dependencies);
    return { dependencies, known, unknownPairs: known ? countUnknownPairs(known, n) : (n * (n - 1)) / 2 };
  }

  /** Caches a computed matrix (in memory now, in the database just after) and returns it. */
  private cached(
    cache: ComputationCache<Float64Array>,
    genome: GenomeRow,
    dependencies: Dependencies,
    similarity: Float64Array,
    computedPairs: number,
    alleleLength: number,
  ): SimilarityMatrix {
    const rows = dependencies.map(([modelId, revision]) => ({ modelId, revision }));
    const key = this.keyOf(genome, rows, alleleLength);
    cache.put({ key, genomeId: genome.id, dependencies, value: similarity }, new Map(dependencies));
    const modelIds = rows.map((r) => r.modelId);
    return { key, genome, modelIds, dependencies, similarity, computedPairs, alleleLength };
  }

  private cacheFor(alleleLength: number): ComputationCache<Float64Array> {
    let cache = this.caches.get(alleleLength);
    if (!cache) {
      // the reference length keeps the kind name it has always had, so stored entries stay valid
      const kind = alleleLength === ALLELE_LENGTH ? 'nei-similarity/v1' : `nei-similarity/v1/k${alleleLength}`;
      cache = new ComputationCache(
        this.store,
        kind,
        float64Codec,
        this.writes,
        undefined,
        this.claims,
        this.largestMatrixBytes,
      );
      this.caches.set(alleleLength, cache);
    }
    return cache;
  }

  private keyOf(
    genome: GenomeRow,
    revisions: readonly { modelId: number; revision: number }[],
    alleleLength: number,
  ): string {
    const deps = revisions.map((r) => `${r.modelId}@${r.revision}`).join(',');
    return fingerprint('nei-similarity/v1', genome.id, genome.fingerprint, alleleLength, deps);
  }

  /**
   * An n x n matrix of S for pairs still valid in recently cached matrices (both models at the
   * same revision), NaN elsewhere; undefined when nothing can be reused.
   */
  private async donatedPairs(
    cache: ComputationCache<Float64Array>,
    genomeId: number,
    dependencies: Dependencies,
  ): Promise<Float64Array | undefined> {
    const donors = await cache.recent(genomeId, DONORS);
    if (donors.length === 0) return undefined;
    const n = dependencies.length;
    // in shared memory: handed to a worker thread without a copy (8 n^2 bytes: 32 MB at 2,000 models)
    const known = new Float64Array(new SharedArrayBuffer(8 * n * n)).fill(NaN);
    // Oldest donor first, so fresher donors overwrite: any donor's value for a pair is valid.
    for (const donor of [...donors].reverse()) {
      const size = donor.dependencies.length;
      const position = new Map(donor.dependencies.map(([m, r], index) => [`${m}@${r}`, index]));
      // rows: (index in the new matrix, index in the donor) of the models the donor has
      const rows: [number, number][] = [];
      dependencies.forEach(([m, r], i) => {
        const at = position.get(`${m}@${r}`);
        if (at !== undefined) rows.push([i, at]);
      });
      for (const [i, a] of rows) {
        const from = a * size;
        const to = i * n;
        for (const [j, b] of rows) known[to + j] = donor.value[from + b];
      }
    }
    return known;
  }
}

/** The selection's models, or a clear error when none has enough evidence. */
export function requireIncluded(genome: GenomeRow, selection: Selection): PopulationRevision[] {
  if (selection.included.length > 0) return selection.included;
  const reasons = selection.excluded
    .slice(0, 3)
    .map((e) => `model ${e.modelId}: ${e.reason}`)
    .join('; ');
  throw badInput(
    `no model on genome "${genome.name}" has enough evidence (${selection.excluded.length} excluded: ${reasons}); ` +
      'lower minSamplesPerGene / minGeneCoverage or name the models',
  );
}

export { distancesOf };

/**
 * Populations: the allele counts of one model on one genome (method.md, "population"). They are
 * maintained on write, in the same transaction as the samples, so reading them never needs the
 * raw samples; parsed copies are kept in memory keyed by their revision, which changes exactly
 * when new samples arrive.
 */
import { addCounts, type AlleleCounts } from '../core/genetics/population';
import { AlleleInterner, preparePopulation, type PreparedPopulation } from '../core/genetics/prepared-population';
import type { PopulationRevision, PopulationState, Store } from '../db/store';
import type { Compute } from './compute';
import { LruCache } from './lru-cache';
import { pace } from './time-slice';

/** The reference allele length (method.md: the first 4 characters). */
export const ALLELE_LENGTH = 4;

export interface LoadedPopulation {
  modelId: number;
  revision: number;
  sampleCount: number;
  counts: AlleleCounts;
}

/** A population as the JSON text of its AlleleCounts: what the compute tasks take. */
export interface PopulationText {
  modelId: number;
  revision: number;
  json: string;
}

/** Populations read from the store per query when not in memory (one chunk per turn of the event loop). */
const READ_CHUNK = 50;

export class PopulationService {
  // One entry per (genome, model), holding the newest revision read or written; a lookup for
  // another revision misses. Bounded by an estimate of the bytes the parsed objects hold.
  private readonly parsed = new LruCache<{
    revision: number;
    counts: AlleleCounts;
    bytes: number;
    prepared?: PreparedPopulation;
  }>(512 * 1024 * 1024, (entry) => entry.bytes);

  private readonly interners = new Map<number, AlleleInterner>();
  /** each genome's population revisions, as of a populations revision */
  private readonly genomeRevisions = new Map<number, { asOf: number; rows: Promise<PopulationRevision[]> }>();
  /** the stored JSON text of each (genome, model) at its newest revision seen */
  private readonly texts = new LruCache<{ revision: number; json: string }>(
    512 * 1024 * 1024,
    (entry) => 2 * entry.json.length,
  );
  /** populations under other allele lengths (JSON text), by genome, model, revision and length */
  private readonly otherLengths = new LruCache<string>(512 * 1024 * 1024, (json) => 2 * json.length);
  /**
   * Recounts under way, by the same key as `otherLengths`: one read of a model's raw samples
   * serves every length it was counted for, so a caller asking for another of those lengths
   * meanwhile (the views of one prediction are built in parallel) waits for it instead of
   * reading the samples again. Entries leave when the count lands in `otherLengths`.
   */
  private readonly counting = new Map<string, Promise<string>>();

  constructor(
    private readonly store: Store,
    private readonly compute: Compute,
  ) {}

  /**
   * The populations as JSON text, for the compute tasks, with alleles of `alleleLength` code
   * points. Nothing is parsed here: text from memory or straight from the store at the stored
   * length; other lengths are re-counted from the raw samples by a compute task and kept in
   * memory by revision. Store reads go a chunk at a time, so a cold matrix of thousands of models
   * never holds the event loop for one long read. Revisions are the ones actually read (see `load`).
   * `alongWith`: other lengths the caller is about to ask for too (a predictor's allele lengths);
   * a model whose raw samples are read for `alleleLength` is counted under those as well.
   */
  async textsOf(
    genome: { id: number; geneCount: number },
    wanted: readonly PopulationRevision[],
    alleleLength: number,
    alongWith: readonly number[] = [],
  ): Promise<PopulationText[]> {
    if (alleleLength !== ALLELE_LENGTH) return this.recounted(genome, wanted, alleleLength, alongWith);
    const found = new Map<number, PopulationText>();
    const missing: number[] = [];
    for (const r of wanted) {
      const entry = this.texts.get(`${genome.id}:${r.modelId}`);
      if (entry?.revision === r.revision) found.set(r.modelId, { ...entry, modelId: r.modelId });
      else missing.push(r.modelId);
    }
    for (let at = 0; at < missing.length; at += READ_CHUNK) {
      await pace();
      for (const state of await this.store.getPopulations(genome.id, missing.slice(at, at + READ_CHUNK))) {
        this.texts.set(`${genome.id}:${state.modelId}`, { revision: state.revision, json: state.counts });
        found.set(state.modelId, { modelId: state.modelId, revision: state.revision, json: state.counts });
      }
    }
    return wanted.map((r) => {
      const population = found.get(r.modelId);
      if (!population) throw new Error(`model ${r.modelId} has no population on genome ${genome.id}`);
      return population;
    });
  }

  /**
   * Populations under another allele length than the stored one (the 4 of the reference is a
   * choice; researchers test others). Counted from the raw samples, which is why samples are
   * kept in full: read here a model at a time, counted by a compute task under `alleleLength`
   * and every `alongWith` length not in memory or being counted already (one read, one task for
   * all of them; each length's populations are still cached apart).
   */
  private async recounted(
    genome: { id: number; geneCount: number },
    wanted: readonly PopulationRevision[],
    alleleLength: number,
    alongWith: readonly number[],
  ): Promise<PopulationText[]> {
    const counting: Promise<PopulationText>[] = [];
    for (const r of wanted) {
      const keyOf = (length: number) => `${genome.id}:${r.modelId}:${r.revision}:${length}`;
      const key = keyOf(alleleLength);
      let json: string | Promise<string> | undefined = this.otherLengths.get(key) ?? this.counting.get(key);
      if (json === undefined) {
        const started = this.recount(genome, r, alleleLength, alongWith, keyOf);
        json = started.json;
        // reads go one model at a time, a turn of the event loop apart; the counts run on meanwhile
        await started.read;
      }
      const text = Promise.resolve(json).then((t) => ({ modelId: r.modelId, revision: r.revision, json: t }));
      // awaited below with the others; this only keeps an early failure from counting as unhandled
      text.catch(() => undefined);
      counting.push(text);
    }
    return Promise.all(counting);
  }

  /**
   * Reads one model's raw samples and counts them under `alleleLength` and the `alongWith`
   * lengths nobody has counted yet, registering every one of them in `counting` before the read
   * starts. `read` settles once the samples are read (the counting goes on in the pool), so the
   * caller can pace its reads without waiting for the counts; `json` is the `alleleLength` count.
   */
  private recount(
    genome: { id: number; geneCount: number },
    r: PopulationRevision,
    alleleLength: number,
    alongWith: readonly number[],
    keyOf: (length: number) => string,
  ): { read: Promise<unknown>; json: Promise<string> } {
    const lengths = [alleleLength];
    for (const l of alongWith) {
      if (l === ALLELE_LENGTH || lengths.includes(l)) continue;
      if (this.otherLengths.get(keyOf(l)) === undefined && !this.counting.has(keyOf(l))) lengths.push(l);
    }
    const read = pace().then(() => this.store.sampleTexts(r.modelId, genome.id));
    const counted = read.then((samples) =>
      this.compute.run('recountLengths', {
        geneCount: genome.geneCount,
        alleleLengths: lengths,
        genes: samples.map((s) => s.gene),
        texts: samples.map((s) => s.text),
      }),
    );
    const mine = lengths.map((length, i) => {
      const json = counted.then((all) => all[i]);
      this.counting.set(keyOf(length), json);
      json.then(
        (text) => {
          this.otherLengths.set(keyOf(length), text);
          this.counting.delete(keyOf(length));
        },
        // a failed count is forgotten (the next caller reads again); the caller that asked sees the error
        () => this.counting.delete(keyOf(length)),
      );
      return json;
    });
    return { read, json: mine[0] };
  }

  /**
   * The populations in memory, parsed and prepared, at exactly the wanted revisions, or
   * undefined when any is missing: a few new pairs against these cost merge joins only, small
   * enough for the event loop.
   */
  warm(genomeId: number, wanted: readonly PopulationRevision[]): LoadedPopulation[] | undefined {
    const out: LoadedPopulation[] = [];
    for (const r of wanted) {
      const entry = this.parsed.get(`${genomeId}:${r.modelId}`);
      if (entry?.revision !== r.revision || !entry.prepared) return undefined;
      out.push({ ...r, counts: entry.counts });
    }
    return out;
  }

  /**
   * The counts after adding `inserted` to `previous` (a copy: the cached object is never
   * mutated, in case the transaction that asked rolls back). The previous counts come from
   * memory when that revision is there, so a model probed batch after batch is not re-parsed.
   */
  next(
    genome: { id: number; geneCount: number },
    previous: PopulationState | null,
    inserted: readonly { gene: number; text: string }[],
  ): AlleleCounts {
    const cached = previous ? this.cached(genome.id, previous.modelId, previous.revision) : undefined;
    const counts: AlleleCounts = previous
      ? cached
        ? structuredClone(cached)
        : (JSON.parse(previous.counts) as AlleleCounts)
      : new Array<null>(genome.geneCount).fill(null);
    addCounts(counts, inserted, ALLELE_LENGTH);
    return counts;
  }

  /**
   * Keeps freshly written or read counts in memory under their revision, with their prepared
   * form (built now, while the population is at hand: a new model's first matrix then costs
   * merge joins only).
   */
  remember(state: PopulationState, counts: AlleleCounts, prepare = true): void {
    const prepared = prepare ? preparePopulation(counts, this.internerOf(state.genomeId)) : undefined;
    // Parsed objects take several times their JSON size; 4x is a fair estimate for the bound.
    const bytes = 6 * state.counts.length;
    this.parsed.set(`${state.genomeId}:${state.modelId}`, { revision: state.revision, counts, bytes, prepared });
    this.texts.set(`${state.genomeId}:${state.modelId}`, { revision: state.revision, json: state.counts });
  }

  private internerOf(genomeId: number): AlleleInterner {
    let interner = this.interners.get(genomeId);
    if (!interner) {
      interner = new AlleleInterner();
      this.interners.set(genomeId, interner);
    }
    return interner;
  }

  /**
   * The populations in flat, interned form (for computing a few new pairs against many), built
   * once per revision and kept beside the parsed counts. Alleles are interned per genome.
   */
  prepared(genomeId: number, populations: readonly LoadedPopulation[]): PreparedPopulation[] {
    const interner = this.internerOf(genomeId);
    return populations.map((p) => {
      const entry = this.parsed.get(`${genomeId}:${p.modelId}`);
      if (entry?.revision !== p.revision) return preparePopulation(p.counts, interner);
      return (entry.prepared ??= preparePopulation(p.counts, interner));
    });
  }

  private cached(genomeId: number, modelId: number, revision: number): AlleleCounts | undefined {
    const entry = this.parsed.get(`${genomeId}:${modelId}`);
    return entry?.revision === revision ? entry.counts : undefined;
  }

  /**
   * Population revisions of the given models, or of every model with samples on the genome. The
   * whole genome's list (2,000 rows on a hub-sized genome, read for every matrix, tree and cost
   * estimate: a fifth of the event loop under 500 clients) is kept until a population changes.
   */
  async revisions(genomeId: number, modelIds?: readonly number[]): Promise<PopulationRevision[]> {
    if (modelIds !== undefined) return this.store.populationRevisions(genomeId, modelIds);
    const asOf = await this.store.populationsRevision();
    let known = this.genomeRevisions.get(genomeId);
    if (known?.asOf !== asOf) {
      known = { asOf, rows: this.store.populationRevisions(genomeId) };
      this.genomeRevisions.set(genomeId, known);
      const failed = known;
      known.rows.catch(() => {
        if (this.genomeRevisions.get(genomeId) === failed) this.genomeRevisions.delete(genomeId);
      });
    }
    return (await known.rows).slice();
  }

  /**
   * Loads the populations of the given models, parsing only those not already in memory. The
   * revisions returned are the ones actually read, which a concurrent write may have moved past
   * `wanted`; callers fingerprint results with the returned revisions.
   */
  async load(genomeId: number, wanted: readonly PopulationRevision[]): Promise<LoadedPopulation[]> {
    const loaded = new Map<number, LoadedPopulation>();
    const missing: number[] = [];
    for (const r of wanted) {
      const counts = this.cached(genomeId, r.modelId, r.revision);
      if (counts) loaded.set(r.modelId, { ...r, counts });
      else missing.push(r.modelId);
    }
    if (missing.length > 0) {
      for (const state of await this.store.getPopulations(genomeId, missing)) {
        const counts = JSON.parse(state.counts) as AlleleCounts;
        // Read in bulk for a matrix: prepare later, only if a few new pairs need it.
        this.remember(state, counts, false);
        loaded.set(state.modelId, {
          modelId: state.modelId,
          revision: state.revision,
          sampleCount: state.sampleCount,
          counts,
        });
      }
    }
    return wanted.map((r) => {
      const population = loaded.get(r.modelId);
      if (!population) throw new Error(`model ${r.modelId} has no population on genome ${genomeId}`);
      return population;
    });
  }
}

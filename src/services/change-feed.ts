/**
 * Changes other processes must hear about at once, when several processes serve one database:
 * writes to user data (so their response caches, keyed on the data revision, stop replaying old
 * answers) and job changes (so subscriptions see a job that runs in a worker process, and a job
 * cancelled through one API process stops in the worker running it). On PostgreSQL this is
 * LISTEN/NOTIFY (src/queue/pg-change-feed.ts); one process alone needs none.
 */
import type { Store } from '../db/store';

export interface ChangeFeed {
  /**
   * True while this process hears every other process's changes. While false, nothing heard can
   * be trusted to be complete, so the data revision is read from the store every time.
   */
  readonly live: boolean;
  /** This process committed a write to user data; resolves once the others have been told (never rejects). */
  dataChanged(): Promise<void>;
  /** This process changed a job's row (told to the others shortly, a batch at a time). */
  jobChanged(jobId: number): void;
  /** Another process wrote user data, or the feed reconnected (anything may have changed meanwhile). */
  onData(listener: () => void): void;
  /** Another process changed this job's row. */
  onJob(listener: (jobId: number) => void): void;
  close(): Promise<void>;
}

/**
 * The store's data revision, kept in memory while the feed is live: read once, then forgotten on
 * every write here or elsewhere. A read that overlaps a write is not kept (the generation moved),
 * so the revision kept is never older than the last write this process has heard of.
 */
export class SharedRevision {
  private known: number | undefined;
  private generation = 0;

  constructor(
    private readonly read: () => Promise<number>,
    private readonly feed: ChangeFeed,
  ) {
    feed.onData(() => this.forget());
  }

  forget(): void {
    this.known = undefined;
    this.generation++;
  }

  async current(): Promise<number> {
    if (!this.feed.live) return this.read();
    if (this.known !== undefined) return this.known;
    const generation = this.generation;
    const value = await this.read();
    if (generation === this.generation && this.feed.live) this.known = value;
    return value;
  }
}

/**
 * Store methods that change no user data: reads, and the bookkeeping of derived caches and job
 * claims (which bump no data revision). Every other method is taken for a write: a method added
 * to `Store` later is announced by default, which is the safe side.
 */
const QUIET = new Set<string>([
  'health',
  'dataRevision',
  'getModel',
  'getModelByName',
  'getModels',
  'getModelsByNames',
  'listModels',
  'countModels',
  'getGenome',
  'getGenomeByName',
  'listGenomes',
  'listGenes',
  'geneTexts',
  'listSamples',
  'sampleTexts',
  'geneSampleStats',
  'getPopulations',
  'populationRevisions',
  'scoresOf',
  'scoresFor',
  'benchmarkNames',
  'getJob',
  'listJobs',
  'countJobsByStatus',
  'renewJobLease',
  'releaseJob',
  'getComputation',
  'recentComputations',
  'computationIndex',
  'putComputation',
  'touchComputation',
  'deleteComputations',
]);

/**
 * The store, with every write announced: the revision kept here is forgotten and the other
 * processes are told before the write's caller goes on (so before its client gets an answer).
 */
export function announcingStore(store: Store, revision: SharedRevision, feed: ChangeFeed): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function' || typeof name !== 'string' || QUIET.has(name)) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          // also after a failed write: it may have committed before the error reached us
          revision.forget();
          await feed.dataChanged();
        }
      };
    },
  });
}

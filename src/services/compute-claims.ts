/**
 * No two processes compute the same cold result at once (issue 10). Single flight
 * (single-flight.ts) shares one computation among the callers of one process; processes sharing
 * one database (several API processes on PostgreSQL, or on one SQLite file) share it through a
 * claim row (`Store.claimComputation`): the first process to claim a cold key computes it, the
 * others poll for the stored entry instead of computing it too.
 *
 * The wait is bounded by the claim itself: a claim lasts `claimMs`, after which a waiter claims
 * the key and computes it anyway, so a claimer that died (or hangs) holds the others up for at
 * most that long. A computation longer than `claimMs` may therefore run twice; the default
 * (PHYLOLM_COMPUTE_CLAIM_MS, 2 minutes) is twice the 10,000-model cold matrix on 2 cores. A
 * claimer lets go only once its result is stored (the cache writes behind the answer), so a
 * waiter that finds the claim gone finds the stored row too.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Store } from '../db/store';

export interface ComputeClaimsOptions {
  /** how long a claim holds without renewal: the longest a crashed claimer delays the others */
  claimMs?: number;
  /** how often a waiting process looks for the stored result */
  pollMs?: number;
}

/** What `turn` found: the entry another process stored meanwhile, or the claim to compute it. */
export type Turn<E> = { stored: E } | { claimed: Claim };

export interface Claim {
  /** Lets go once `stored` settles (the write of the result), or at once without one. */
  release(stored?: Promise<unknown>): void;
}

export class ComputeClaims {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly claimMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly store: Store,
    options: ComputeClaimsOptions = {},
  ) {
    this.claimMs = options.claimMs ?? 120_000;
    this.pollMs = options.pollMs ?? 100;
  }

  /**
   * Waits for this process's turn to compute the cold entry `key`: the entry as soon as another
   * process has stored it (`lookup`), else a claim once nobody else holds a live one.
   */
  async turn<E>(key: string, lookup: () => Promise<E | undefined>): Promise<Turn<E>> {
    for (;;) {
      let mine: boolean;
      try {
        mine = await this.store.claimComputation(key, this.owner, Date.now(), Date.now() + this.claimMs);
      } catch {
        // a database refusing writes (full, read-only) can still be read and computed from: the
        // claim only saves work, so its failure must not fail the request
        return { claimed: { release: () => undefined } };
      }
      if (mine) {
        // the previous holder may have stored it and let go between our last look and the claim
        const stored = await lookup();
        if (stored !== undefined) {
          await this.store.releaseComputation(key, this.owner);
          return { stored };
        }
        return { claimed: this.held(key) };
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      const stored = await lookup();
      if (stored !== undefined) return { stored };
    }
  }

  private held(key: string): Claim {
    let released = false;
    return {
      release: (stored) => {
        if (released) return;
        released = true;
        void Promise.resolve(stored)
          .catch(() => undefined)
          .then(() => this.store.releaseComputation(key, this.owner))
          // a claim that cannot be released expires by itself
          .catch(() => undefined);
      },
    };
  }
}

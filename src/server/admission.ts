/**
 * Back-pressure for GraphQL requests: at most `maxInflight` are handled at once and at most
 * `maxQueue` wait behind them, first come first served; beyond that a request is refused at
 * once (the HTTP front answers 503 with retry-after) instead of piling up until sockets time
 * out or are reset. `/healthz` and `/metrics` do not pass through here.
 */
export type Release = () => void;

export class Admission {
  private inflight = 0;
  private readonly waiting: Array<(release: Release) => void> = [];

  constructor(
    readonly maxInflight: number,
    readonly maxQueue: number,
  ) {}

  get active(): number {
    return this.inflight;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A slot (call the release once, when the answer is sent or the client is gone), a promise of
   * one when queued, or undefined when the queue is full. `abandoned` removes a queued request
   * whose client went away.
   */
  acquire(abandoned?: (cancel: () => void) => void): Release | Promise<Release> | undefined {
    if (this.inflight < this.maxInflight) {
      this.inflight += 1;
      return this.releaser();
    }
    if (this.waiting.length >= this.maxQueue) return undefined;
    return new Promise<Release>((grant) => {
      this.waiting.push(grant);
      abandoned?.(() => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
      });
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(this.releaser());
      else this.inflight -= 1;
    };
  }
}

/**
 * Provider answers that were paid for but that the database would not take yet (a full disk,
 * a lock held for too long). They are kept in memory and written again every `retryMs`, oldest
 * first, until the store accepts them; a job with answers waiting here is not resumed (that
 * would pay for the same samples again). If the process stops with answers still waiting, they
 * are written to the log in full, so an operator can import them: never dropped silently.
 */
import type { Logger } from '../../logger';
import { asStorageError } from '../errors';

export interface UnsavedAnswer {
  jobId: number;
  gene: number;
  /** first sample index of the answer */
  offset: number;
  texts: readonly string[];
  /** stores the answer (idempotent: samples have fixed indices) */
  write(): Promise<unknown>;
}

export class UnsavedAnswers {
  private readonly answers: UnsavedAnswer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly retryMs: number,
    private readonly logger?: Logger,
  ) {}

  holds(jobId: number): boolean {
    return this.answers.some((a) => a.jobId === jobId);
  }

  keep(answer: UnsavedAnswer): void {
    this.answers.push(answer);
    this.logger?.log('error', 'a paid provider answer is kept in memory until the database takes it', {
      job: answer.jobId,
      gene: answer.gene,
      samples: answer.texts.length,
      waiting: this.answers.length,
    });
    this.schedule();
  }

  /** Tries to store every waiting answer once, oldest first; stops at the first storage fault. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** At shutdown: a last try, then whatever is left goes to the log in full. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    for (const answer of this.answers.splice(0)) {
      this.logger?.log('error', 'a paid provider answer could not be stored before stopping', {
        job: answer.jobId,
        gene: answer.gene,
        offset: answer.offset,
        texts: answer.texts,
      });
    }
  }

  private async flushOnce(): Promise<void> {
    while (this.answers.length > 0) {
      const answer = this.answers[0];
      try {
        await answer.write();
      } catch (error) {
        if (asStorageError(error)) return;
        // Not the storage (e.g. the model was deleted meanwhile): it will never be stored.
        this.logger?.log('error', 'a paid provider answer cannot be stored', {
          job: answer.jobId,
          gene: answer.gene,
          offset: answer.offset,
          texts: answer.texts,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      this.answers.shift();
    }
  }

  private schedule(): void {
    if (this.timer || this.answers.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().then(() => this.schedule());
    }, this.retryMs);
    this.timer.unref();
  }
}

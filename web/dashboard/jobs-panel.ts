/**
 * Live job progress: the active jobs on the genome, each followed through the `jobProgress`
 * graphql-ws subscription (the job now, then after every stored batch, until it ends). New jobs
 * are found by asking again every few seconds; a job that ends stays listed with its status.
 */
import { queryAll, subscribe } from './api';
import { el, fill } from './dom';
import { ACTIVE_JOBS, JOB_PROGRESS, type JobRow } from './queries';

const POLL_MS = 2000;

export class JobsPanel {
  private readonly rows = new Map<string, HTMLLIElement>();
  private readonly stops = new Map<string, () => void>();
  private timer: number | undefined;
  private genome: string | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly onFinished: (modelId: string) => void,
  ) {}

  /** Follows the jobs on `genome` (nothing changes when it is already the one followed). */
  watch(genome: string): void {
    if (genome === this.genome) return;
    this.stop();
    this.genome = genome;
    fill(this.list);
    this.rows.clear();
    void this.poll();
    this.timer = window.setInterval(() => void this.poll(), POLL_MS);
  }

  stop(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer);
    for (const stop of this.stops.values()) stop();
    this.stops.clear();
  }

  private async poll(): Promise<void> {
    const genome = this.genome;
    if (!genome) return;
    try {
      const data = await queryAll<{ queued: { nodes: JobRow[] }; running: { nodes: JobRow[] } }>(ACTIVE_JOBS, {
        genome,
      });
      if (genome !== this.genome) return;
      for (const job of [...data.running.nodes, ...data.queued.nodes]) this.follow(job);
      this.list.dataset.state = this.rows.size ? 'jobs' : 'idle';
      if (!this.rows.size) fill(this.list, el('li', { class: 'muted' }, 'no job running on this genome'));
    } catch {
      // the next poll tries again; the panel keeps what it shows
    }
  }

  private follow(job: JobRow): void {
    if (this.stops.has(job.id) || this.rows.get(job.id)?.dataset.status === 'ended') return;
    if (!this.rows.size) fill(this.list);
    this.show(job);
    const stop = subscribe<{ jobProgress: JobRow }>(
      JOB_PROGRESS,
      { id: job.id },
      (data) => this.show(data.jobProgress),
      () => {
        this.stops.delete(job.id);
        const modelId = this.rows.get(job.id)?.dataset.modelId ?? job.model.id;
        const row = this.rows.get(job.id);
        if (row) row.dataset.status = 'ended';
        this.onFinished(modelId);
      },
    );
    this.stops.set(job.id, stop);
  }

  private show(job: JobRow): void {
    let row = this.rows.get(job.id);
    if (!row) {
      row = el('li', { class: 'job', 'data-job-id': job.id });
      this.rows.set(job.id, row);
      this.list.appendChild(row);
    }
    row.dataset.completed = String(job.completed);
    row.dataset.total = String(job.total);
    row.dataset.jobStatus = job.status;
    row.dataset.modelId = job.model.id;
    fill(
      row,
      el('span', { class: 'job-model' }, job.model.name),
      el('progress', { value: job.completed, max: job.total }),
      el('span', { class: 'job-count' }, `${job.completed} / ${job.total}`),
      el('span', { class: `status status-${job.status.toLowerCase()}` }, job.status),
    );
  }
}

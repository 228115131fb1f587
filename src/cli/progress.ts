/**
 * What `phylolm probe` shows while a job runs: a cli-progress bar (samples, ETA, tokens, cost)
 * when stderr is a terminal, and otherwise one plain line per update, which logs and tests read.
 */
import { SingleBar } from 'cli-progress';

export interface JobState {
  id: string;
  status: string;
  completed: number;
  total: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  error: string | null;
  warnings: string[];
}

export interface ProgressView {
  update(job: JobState): void;
  stop(): void;
}

export function progressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  return stream.isTTY ? barView(stream) : lineView(stream);
}

/** "12/64 samples, 1,204 tokens, $0.0012" */
export function progressLine(job: JobState): string {
  const tokens = job.promptTokens + job.completionTokens;
  return `${job.completed}/${job.total} samples, ${tokens} tokens, $${job.costUsd.toFixed(4)}`;
}

function barView(stream: NodeJS.WriteStream): ProgressView {
  const bar = new SingleBar({
    stream,
    format:
      '{status} [{bar}] {percentage}% | {value}/{total} samples | ETA {eta_formatted} | {tokens} tokens | ${cost}',
    hideCursor: true,
    etaBuffer: 20,
  });
  let started = false;
  return {
    update(job) {
      const payload = {
        status: job.status.toLowerCase(),
        tokens: job.promptTokens + job.completionTokens,
        cost: job.costUsd.toFixed(4),
      };
      if (!started) {
        bar.start(job.total, job.completed, payload);
        started = true;
      } else {
        bar.setTotal(job.total);
        bar.update(job.completed, payload);
      }
    },
    stop: () => bar.stop(),
  };
}

function lineView(stream: NodeJS.WriteStream): ProgressView {
  let last = '';
  return {
    update(job) {
      const line = `job ${job.id} ${job.status}: ${progressLine(job)}`;
      if (line !== last) stream.write(line + '\n');
      last = line;
    },
    stop: () => {},
  };
}

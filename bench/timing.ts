/** Wall-clock helpers for benchmarks (never used by tests: timings are reported, not asserted). */
export async function time<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export async function median(times: number, run: () => Promise<unknown> | unknown): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) ms.push((await time(run)).ms);
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

export function report(label: string, ms: number, targetMs?: number): void {
  const target =
    targetMs === undefined
      ? ''
      : `  target <= ${targetMs} ms  ratio ${(ms / targetMs).toFixed(2)} ${ms <= targetMs ? 'OK' : 'OVER'}`;
  process.stdout.write(`${label.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms${target}\n`);
}

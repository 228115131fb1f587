/**
 * Cooperative time slicing for work that must stay on the event loop (SQLite reads and writes
 * through a synchronous driver, a provider that answers without real I/O). Such work often
 * resolves in microtasks only, so a long chain of it never lets the event loop poll for I/O and
 * `/healthz` waits behind it. `pace()` ends the current slice once it has run `SLICE_MS`: the
 * caller resumes on a later turn of the event loop, after pending I/O was served.
 */
import { performance } from 'node:perf_hooks';

/** longest stretch of paced work between two turns of the event loop */
export const SLICE_MS = 10;

let sliceStart = -Infinity;

export async function pace(): Promise<void> {
  if (performance.now() - sliceStart < SLICE_MS) return;
  for (;;) {
    const asked = performance.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    // the first caller back after the loop turned opens the next slice; the rest share it
    if (sliceStart < asked) sliceStart = performance.now();
    if (performance.now() - sliceStart < SLICE_MS) return;
  }
}

/**
 * Cooperative time slicing for work that must stay on the event loop (SQLite reads and writes
 * through a synchronous driver, a provider that answers without real I/O, a request's parsing,
 * validation and resolvers). Such work often resolves in microtasks only, so a long chain of it
 * never lets the event loop poll for I/O and `/healthz` waits behind it.
 *
 * `pace()` (work under way) and `paceArrival()` (a new request) are the scheduler's doors.
 * Within a turn of the event loop, callers go straight through until the turn has run
 * `SLICE_MS`; after that they wait first come first served, work under way ahead of new requests,
 * and one waiting caller resumes per turn, after pending I/O and timers were served. While
 * anybody waits, newcomers queue behind them: a scheduler that let fresh arrivals through while
 * older callers waited (the slice being young again) starved some requests for 20 s under 500
 * clients (bench/load.bench.ts). One caller per turn bounds a turn by the longest single stretch
 * of work between two `pace()` calls, which is what keeps `/healthz` answering.
 */
import { performance } from 'node:perf_hooks';

/** longest stretch of paced work in one turn of the event loop while nobody waits */
export const SLICE_MS = 10;

/** when the current turn's slice began, and whether a slice is open in this turn */
let sliceStart = 0;
let sliceOpen = false;
/** work already under way (a request's or a job's later steps), resumed before new arrivals */
const resuming: (() => void)[] = [];
/** new requests waiting for their first turn */
const arriving: (() => void)[] = [];
let releaseScheduled = false;

/**
 * For work under way: resolves at once while the turn's slice lasts and no other work under way
 * waits; else queues for a later turn, ahead of new requests (finishing started work first frees
 * its admission slot and whatever waits on its single-flight computation).
 */
export function pace(): Promise<void> {
  openSliceForThisTurn();
  if (resuming.length === 0 && performance.now() - sliceStart < SLICE_MS) return Promise.resolve();
  return waitIn(resuming);
}

/** For a new request: its first turn, after every request and job step that waits before it. */
export function paceArrival(): Promise<void> {
  openSliceForThisTurn();
  if (resuming.length === 0 && arriving.length === 0 && performance.now() - sliceStart < SLICE_MS) {
    return Promise.resolve();
  }
  return waitIn(arriving);
}

function waitIn(queue: (() => void)[]): Promise<void> {
  return new Promise<void>((resolve) => {
    queue.push(resolve);
    if (releaseScheduled) return;
    releaseScheduled = true;
    setImmediate(releaseOne);
  });
}

function openSliceForThisTurn(): void {
  if (sliceOpen) return;
  sliceOpen = true;
  sliceStart = performance.now();
  // the check phase ends this turn: the next caller after it opens a new slice
  setImmediate(() => {
    sliceOpen = false;
  });
}

/** Resumes the longest-waiting caller, work under way first; it runs in this turn's microtasks. */
function releaseOne(): void {
  releaseScheduled = false;
  const next = resuming.shift() ?? arriving.shift();
  if (resuming.length + arriving.length > 0) {
    releaseScheduled = true;
    setImmediate(releaseOne);
  }
  if (!next) return;
  // the released caller gets a slice of its own in this turn
  sliceStart = performance.now();
  next();
}

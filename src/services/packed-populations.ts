/**
 * The populations of many models as one JSON array, written as UTF-8 into shared memory a slice
 * at a time, for the compute tasks (core/tasks.ts `PopulationsJson`).
 *
 * Why not one joined string: for a cold matrix of 2,000 models the join made a string of tens of
 * MB, posting it to a worker copied it again, and collecting it later cost a long pause; together
 * they held the event loop for 300 to 600 ms, twice per matrix (coverage, then the blocked
 * product's layout), and `/healthz` waited behind them (bench/responsiveness.bench.ts, CPU
 * profile of the server). Shared memory is handed to a worker without a copy, the encoding is
 * paced between slices, and nothing large is left on the JavaScript heap.
 */
import { pace } from './time-slice';

/** texts encoded between two turns of the event loop (about 1 MB of population JSON) */
const TEXTS_PER_SLICE = 64;

const encoder = new TextEncoder();

/** `[t0,t1,…]` as UTF-8 bytes in a SharedArrayBuffer; each text is one population's JSON. */
export async function packPopulations(texts: readonly string[]): Promise<Uint8Array> {
  let size = 2 + Math.max(0, texts.length - 1); // brackets and commas
  for (let i = 0; i < texts.length; i++) {
    size += Buffer.byteLength(texts[i], 'utf8');
    if (i % (8 * TEXTS_PER_SLICE) === 8 * TEXTS_PER_SLICE - 1) await pace();
  }
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  let at = 0;
  bytes[at++] = 0x5b; // [
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) bytes[at++] = 0x2c; // ,
    at += encoder.encodeInto(texts[i], bytes.subarray(at)).written;
    if (i % TEXTS_PER_SLICE === TEXTS_PER_SLICE - 1) await pace();
  }
  bytes[at++] = 0x5d; // ]
  if (at !== size) throw new Error(`packed ${at} bytes where ${size} were measured`);
  return bytes;
}

/** Byte encodings of cached results: raw float64 for matrices (fast, exact), JSON for the rest. */
import type { Codec } from './computation-cache';

export const float64Codec: Codec<Float64Array> = {
  encode: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  decode: (payload) => {
    // A payload the store made for this read alone (its whole memory, not shared) is taken as
    // is: an 800 MB matrix read back cost another 800 MB and its copy (issue 10).
    const { buffer } = payload;
    const whole = payload.byteOffset === 0 && payload.byteLength === buffer.byteLength;
    if (whole && buffer instanceof ArrayBuffer && buffer.byteLength % 8 === 0) return new Float64Array(buffer);
    // Otherwise copy: the payload's memory may be shared or misaligned for a Float64Array view.
    const copy = new Uint8Array(payload.byteLength);
    copy.set(payload);
    return new Float64Array(copy.buffer);
  },
  size: (value) => value.byteLength,
};

export function jsonCodec<T>(): Codec<T> {
  return {
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (payload) => JSON.parse(payload.toString()) as T,
    size: (value) => JSON.stringify(value).length,
  };
}

/** Byte encodings of cached results: raw float64 for matrices (fast, exact), JSON for the rest. */
import type { Codec } from './computation-cache';

export const float64Codec: Codec<Float64Array> = {
  encode: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  decode: (payload) => {
    // Copy: the payload's memory may be shared or misaligned for a Float64Array view.
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

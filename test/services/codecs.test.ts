/**
 * The float64 codec of cached matrices: exact both ways, and (issue 10) a payload the store made
 * for this read alone is taken as it is, not copied: an 800 MB matrix read back cost another
 * 800 MB and its copy. A payload in shared memory, or not on an 8-byte boundary, is copied.
 */
import { float64Codec } from '../../src/services/codecs';

const matrix = Float64Array.from([0, 1 / 3, Math.PI, -0, Number.MAX_VALUE, 1e-300]);

it('decodes what it encodes, bit for bit', () => {
  const decoded = float64Codec.decode(Buffer.from(float64Codec.encode(matrix)));
  expect(Buffer.from(decoded.buffer).equals(Buffer.from(matrix.buffer))).toBe(true);
});

it('takes a payload that owns its whole memory without copying it', () => {
  const payload = Buffer.allocUnsafeSlow(matrix.byteLength);
  Buffer.from(matrix.buffer).copy(payload);
  const decoded = float64Codec.decode(payload);
  expect(decoded.buffer).toBe(payload.buffer);
  expect([...decoded]).toEqual([...matrix]);
});

it('copies a payload in shared memory, one that is part of a larger buffer, or one off an 8-byte boundary', () => {
  const shared = Buffer.from(new SharedArrayBuffer(matrix.byteLength));
  Buffer.from(matrix.buffer).copy(shared);
  const larger = Buffer.alloc(matrix.byteLength + 8);
  Buffer.from(matrix.buffer).copy(larger, 0);
  const offBoundary = Buffer.alloc(matrix.byteLength + 1).subarray(1);
  Buffer.from(matrix.buffer).copy(offBoundary);
  for (const payload of [shared, larger.subarray(0, matrix.byteLength), offBoundary]) {
    const decoded = float64Codec.decode(payload);
    expect(decoded.buffer).not.toBe(payload.buffer);
    expect([...decoded]).toEqual([...matrix]);
  }
});

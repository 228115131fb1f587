/**
 * A whole distance matrix as a file, made a block of rows at a time (about 1 MB each) so the
 * server never holds the file whole: at 10,000 models the matrix is 800 MB of doubles, its PHYLIP
 * text over 1 GB, more than one JavaScript string may hold. The caller writes each block to the
 * response as it comes and waits for the client to drain it (src/server/matrix-stream.ts).
 *
 * Two formats:
 *   - PHYLIP, byte for byte the text `distanceMatrix { phylip }` gives (core/format/phylip.ts);
 *   - a compact binary layout (README "Files for other tools"), all integers and numbers
 *     little-endian whatever the server's platform:
 *
 *       offset  size  field
 *       0       8     magic: the ASCII bytes "PHYLOLMM"
 *       8       4     uint32: layout version, 1
 *       12      4     uint32: n, the number of models (rows = columns)
 *       16      4     uint32: bytes per value: 8 (float64) or 4 (float32)
 *       20      4     uint32: what the values are: 0 = Nei distance D, 1 = Nei identity S
 *       24      4     uint32: L, the byte length of the names block
 *       28      L     names: UTF-8 JSON array of {"id","name"} in row order, padded with spaces
 *                     so the values start at a multiple of 8
 *       28 + L  n*n*b the matrix, row-major, IEEE 754 little-endian
 */
import { phylipHeader, phylipRows } from '../core/format/phylip';
import { neiDistance } from '../core/genetics/nei';
import type { SimilarityMatrix } from './distance.service';

export const BINARY_MAGIC = 'PHYLOLMM';
export const BINARY_VERSION = 1;
export const BINARY_HEADER_BYTES = 28;

export type MatrixValues = 'distance' | 'similarity';
export type MatrixPrecision = 32 | 64;

/** Bytes of one block of a streamed file, about. */
const BLOCK_BYTES = 1 << 20;

/** Rows per block of about `blockBytes` when a row takes `rowBytes`. */
function rowsPerBlock(rowBytes: number, blockBytes: number): number {
  return Math.max(1, Math.floor(blockBytes / Math.max(1, rowBytes)));
}

/** The PHYLIP text of the matrix's distances, in blocks of rows; `short` are the PHYLIP names. */
export function* phylipBlocks(
  matrix: SimilarityMatrix,
  short: readonly string[],
  digits: number,
  blockBytes = BLOCK_BYTES,
): Generator<string> {
  const n = matrix.modelIds.length;
  const s = matrix.similarity;
  const row = (i: number) => s.subarray(i * n, (i + 1) * n).map(neiDistance);
  yield phylipHeader(n);
  // a cell is its digits, a point, a few integer digits and two blanks
  const step = rowsPerBlock(n * (digits + 6), blockBytes);
  for (let from = 0; from < n; from += step) yield phylipRows(short, row, from, Math.min(n, from + step), digits);
}

/** The binary layout above: the header with the names, then the values in blocks of rows. */
export function* binaryBlocks(
  matrix: SimilarityMatrix,
  models: readonly { id: number; name: string }[],
  values: MatrixValues,
  precision: MatrixPrecision,
  blockBytes = BLOCK_BYTES,
): Generator<Buffer> {
  const n = matrix.modelIds.length;
  const bytes = precision / 8;
  let names = Buffer.from(JSON.stringify(models.map((m) => ({ id: String(m.id), name: m.name }))));
  const pad = (8 - ((BINARY_HEADER_BYTES + names.length) % 8)) % 8;
  if (pad > 0) names = Buffer.concat([names, Buffer.alloc(pad, 0x20)]);
  const header = Buffer.alloc(BINARY_HEADER_BYTES);
  header.write(BINARY_MAGIC, 0, 'latin1');
  header.writeUInt32LE(BINARY_VERSION, 8);
  header.writeUInt32LE(n, 12);
  header.writeUInt32LE(bytes, 16);
  header.writeUInt32LE(values === 'distance' ? 0 : 1, 20);
  header.writeUInt32LE(names.length, 24);
  yield Buffer.concat([header, names]);
  const s = matrix.similarity;
  const step = rowsPerBlock(n * bytes, blockBytes);
  for (let from = 0; from < n; from += step) {
    const to = Math.min(n, from + step);
    const block = Buffer.alloc((to - from) * n * bytes);
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    let at = 0;
    for (let k = from * n; k < to * n; k++, at += bytes) {
      // + 0 turns -ln(1) = -0 into 0, as JSON and PHYLIP show it
      const v = values === 'distance' ? neiDistance(s[k]) + 0 : s[k];
      if (bytes === 8) view.setFloat64(at, v, true);
      else view.setFloat32(at, v, true);
    }
    yield block;
  }
}

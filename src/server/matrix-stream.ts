/**
 * Streams a matrix file (`/matrices/<genome>.phy | .bin`, exports-routes.ts) to the client a
 * block of rows at a time, with back-pressure: the next block is made only once the socket has
 * taken the previous one (`write` returned true, or 'drain'), so a slow client holds the server
 * to one block in flight (about 1 MB) instead of the whole file, and a client that hangs up
 * stops the work. The data comes from the matrix the route's GraphQL query computed.
 *
 * @see https://nodejs.org/api/stream.html#writablewritechunk-encoding-callback (back-pressure)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../services';
import type { DistanceMatrixView } from '../services/distance.service';
import { ifNoneMatchHits } from './etag';
import type { ExportOperation, MatrixFile } from './exports-routes';

/** The smallest part of a writable response this module needs (tests use a plain Writable). */
export interface BlockSink {
  write(chunk: string | Buffer): boolean;
  end(): void;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
}

/**
 * Writes every block to `sink`, waiting for 'drain' whenever the sink's buffer is full; false
 * when the sink was closed before the end (the remaining blocks are never made).
 */
export async function writeBlocks(sink: BlockSink, blocks: Iterable<string | Buffer>): Promise<boolean> {
  for (const block of blocks) {
    if (sink.destroyed) return false;
    if (!sink.write(block)) await drained(sink);
  }
  if (sink.destroyed) return false;
  sink.end();
  return true;
}

function drained(sink: BlockSink): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.once('drain', done);
    sink.once('close', done);
  });
}

/** Answers an export of a streamed matrix file: 304 on a matching ETag, else 200 and the blocks. */
export async function sendMatrixFile(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
  operation: ExportOperation & { stream: MatrixFile },
  view: DistanceMatrixView,
  corsHeaders: Record<string, string>,
): Promise<void> {
  const { stream } = operation;
  // the matrix's fingerprint names every input; the format and its options name the bytes
  const variant = stream.format === 'phylip' ? `phy${stream.digits}` : `bin-${stream.values}-${stream.precision}`;
  const etag = `"${view.fingerprint.slice(0, 40)}-${variant}"`;
  const headers: Record<string, string> = {
    ...corsHeaders,
    etag,
    'cache-control': 'no-cache',
    'content-type': operation.contentType,
    'content-disposition': `${operation.disposition}; filename="${operation.filename}"`,
  };
  if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
    delete headers['content-type'];
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const blocks =
    stream.format === 'phylip'
      ? await services.distances.phylipFile(view.matrix, stream.digits)
      : await services.distances.binaryFile(view.matrix, stream.values, stream.precision);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await writeBlocks(res, blocks);
}

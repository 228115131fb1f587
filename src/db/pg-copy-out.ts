/**
 * Reads `bytea` values from PostgreSQL as raw bytes, through `COPY (query) TO STDOUT (FORMAT
 * binary)` (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"), straight into
 * one buffer. node-postgres reads a query's `bytea` only as hex text (its protocol parser has no
 * binary result format): twice the bytes on the wire, a string made of them, then decoded; a value
 * over about 256 MB is a string longer than V8 allows, thrown from the socket's callback where
 * nothing can catch it. A COPY's data messages come as raw buffers instead.
 *
 * The query runs as a node-postgres "submittable" (an object with `submit`, as pg-cursor and
 * pg-copy-streams are): the client sends it and hands it the server's messages in turn.
 */
import type { PoolClient } from 'pg';

/** The binary COPY signature (11 bytes), then flags and header extension length (int32 each). */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = SIGNATURE.length + 8;

type State = 'header' | 'tuple' | 'length' | 'data' | 'done';

/**
 * Runs `copyQuery` (a whole `COPY (SELECT one bytea column ...) TO STDOUT (FORMAT binary)`, every
 * value inlined: the simple query protocol has no parameters, so quote them with the client's
 * `escapeLiteral`) and writes the values one after the other into `out`. Resolves to the bytes
 * written; rejects when they would not fit in `out`, on a NULL, or on the server's error.
 */
export function copyByteaOut(client: PoolClient, copyQuery: string, out: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const reader = new BinaryCopyReader(out);
    const submittable = {
      submit(connection: { query(text: string): void }) {
        connection.query(copyQuery);
      },
      handleCopyData(message: { chunk: Buffer }) {
        reader.feed(message.chunk);
      },
      handleCommandComplete() {},
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handleReadyForQuery() {
        if (reader.failure) reject(new Error(`COPY of cached computation bytes: ${reader.failure}`));
        else if (reader.state !== 'done') reject(new Error('COPY of cached computation bytes: ended early'));
        else resolve(reader.at);
      },
      handleError(error: Error) {
        reject(error);
      },
    };
    // a submittable is typed as a query config with `submit`; the client drives it by the handlers above
    client.query(submittable as unknown as Parameters<PoolClient['query']>[0]);
  });
}

/** The binary COPY format, read from chunks cut anywhere, values copied into `out` as they come. */
export class BinaryCopyReader {
  state: State = 'header';
  /** bytes written into `out` */
  at = 0;
  failure?: string;
  /** a fixed-size item (header, field count, length) cut between chunks */
  private head = Buffer.alloc(0);
  /** bytes of the current value still to come */
  private remaining = 0;

  constructor(private readonly out: Buffer) {}

  feed(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && this.failure === undefined) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, chunk.length - i);
        if (this.at + n > this.out.length) return this.fail('more bytes than the values measured');
        chunk.copy(this.out, this.at, i, i + n);
        this.at += n;
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = 'tuple';
        continue;
      }
      if (this.state === 'done') return this.fail('data after the trailer');
      const size = this.state === 'header' ? HEADER_BYTES : this.state === 'tuple' ? 2 : 4;
      const n = Math.min(size - this.head.length, chunk.length - i);
      this.head = Buffer.concat([this.head, chunk.subarray(i, i + n)]);
      i += n;
      if (this.head.length < size) return;
      const item = this.head;
      this.head = Buffer.alloc(0);
      this.take(item);
    }
  }

  private take(item: Buffer): void {
    if (this.state === 'header') {
      if (!item.subarray(0, SIGNATURE.length).equals(SIGNATURE)) return this.fail('not a binary COPY');
      // flags (bit 16: OIDs included) and a header extension: PostgreSQL writes neither
      if (item.readInt32BE(SIGNATURE.length) !== 0 || item.readInt32BE(SIGNATURE.length + 4) !== 0) {
        return this.fail('unexpected header flags or extension');
      }
      this.state = 'tuple';
    } else if (this.state === 'tuple') {
      const fields = item.readInt16BE(0);
      if (fields === -1) this.state = 'done';
      else if (fields !== 1) this.fail(`${fields} columns, expected 1`);
      else this.state = 'length';
    } else {
      const length = item.readInt32BE(0);
      if (length < 0) return this.fail('a NULL value');
      this.remaining = length;
      this.state = length === 0 ? 'tuple' : 'data';
    }
  }

  private fail(reason: string): void {
    this.failure = reason;
  }
}

/**
 * The binary COPY reader (src/db/pg-copy-out.ts) on streams built by hand after PostgreSQL's
 * "Binary Format" (https://www.postgresql.org/docs/current/sql-copy.html): values land in order
 * however the stream is cut into messages, and anything but one non-NULL column per row fails.
 */
import { BinaryCopyReader } from '../../src/db/pg-copy-out';

const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const trailer = Buffer.from([0xff, 0xff]);

/** A binary COPY of rows of one column each: `null` is a NULL. */
function copyStream(values: (Buffer | null)[], columns = 1): Buffer {
  const rows = values.map((value) => {
    const row = Buffer.alloc(6);
    row.writeInt16BE(columns, 0);
    row.writeInt32BE(value === null ? -1 : value.length, 2);
    return value === null ? row : Buffer.concat([row, value]);
  });
  return Buffer.concat([header, ...rows, trailer]);
}

function read(stream: Buffer, cut: number, room: number): BinaryCopyReader {
  const reader = new BinaryCopyReader(Buffer.alloc(room));
  for (let at = 0; at < stream.length; at += cut) reader.feed(stream.subarray(at, at + cut));
  return reader;
}

const values = [Buffer.from('first part,'), Buffer.alloc(0), Buffer.from(' second'), Buffer.from([0, 255, 7])];
const whole = Buffer.concat(values);

it('copies the values one after the other, whatever the chunks the stream comes in', () => {
  const stream = copyStream(values);
  for (let cut = 1; cut <= stream.length; cut++) {
    const out = Buffer.alloc(whole.length);
    const reader = new BinaryCopyReader(out);
    for (let at = 0; at < stream.length; at += cut) reader.feed(stream.subarray(at, at + cut));
    expect([cut, reader.failure, reader.state, reader.at]).toEqual([cut, undefined, 'done', whole.length]);
    expect(out.equals(whole)).toBe(true);
  }
});

it('an empty result is no bytes', () => {
  expect(read(copyStream([]), 3, 0)).toMatchObject({ state: 'done', at: 0, failure: undefined });
});

it('fails on more bytes than measured, a NULL, two columns, a foreign stream or data after the end', () => {
  expect(read(copyStream(values), 5, whole.length - 1).failure).toMatch(/more bytes/);
  expect(read(copyStream([values[0], null]), 5, whole.length).failure).toMatch(/NULL/);
  expect(read(copyStream(values, 2), 5, whole.length).failure).toMatch(/2 columns/);
  expect(read(Buffer.concat([Buffer.from('COPY'), copyStream(values)]), 5, whole.length).failure).toMatch(
    /not a binary COPY/,
  );
  expect(read(Buffer.concat([copyStream(values), trailer]), 5, whole.length).failure).toMatch(/after the trailer/);
});

it('a stream cut short is not done', () => {
  const stream = copyStream(values);
  expect(read(stream.subarray(0, stream.length - 2), 4, whole.length)).toMatchObject({
    state: 'tuple',
    failure: undefined,
  });
});

import { Writable } from 'node:stream';
import { writeBlocks } from '../../src/server/matrix-stream';

/** A sink that takes one chunk at a time and holds it until `release` is called. */
function slowSink() {
  const received: string[] = [];
  let release: (() => void) | undefined;
  const sink = new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk.toString());
      release = callback;
    },
  });
  return { sink, received, release: () => release?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

it('writeBlocks makes the next block only when the sink has drained the last one', async () => {
  const { sink, received, release } = slowSink();
  let made = 0;
  function* blocks() {
    for (let k = 0; k < 5; k++) {
      made++;
      yield `block${k}`;
    }
  }
  const done = writeBlocks(sink, blocks());
  await tick();
  // one block taken, none queued behind it: the generator waits
  expect(made).toBe(1);
  for (let k = 0; k < 5; k++) {
    release();
    await tick();
  }
  release();
  expect(await done).toBe(true);
  expect(received).toEqual(['block0', 'block1', 'block2', 'block3', 'block4']);
});

it('writeBlocks stops making blocks when the client goes away', async () => {
  const { sink } = slowSink();
  let made = 0;
  function* blocks() {
    for (;;) {
      made++;
      yield 'xxxxxxxx';
    }
  }
  const done = writeBlocks(sink, blocks());
  await tick();
  sink.destroy();
  expect(await done).toBe(false);
  expect(made).toBeLessThanOrEqual(2);
});

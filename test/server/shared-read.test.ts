/**
 * The response cache's key includes the store's data revision. SharedRead gives every request a
 * read begun after it arrived, shared with every other request that arrived before that read:
 * one read for a whole queue of cached queries, and never an answer older than the request.
 */
import { SharedRead } from '../../src/server/shared-read';

function counting(values: number[]) {
  let calls = 0;
  let clock = 0n;
  const memo = new SharedRead(
    async () => values[Math.min(calls++, values.length - 1)],
    () => clock,
  );
  return { memo, calls: () => calls, tick: () => ++clock, at: () => clock };
}

it('requests that arrived before a read share it, even when they are handled turns later', async () => {
  const { memo, calls, tick } = counting([7, 8]);
  const arrivals = Array.from({ length: 100 }, () => tick());
  tick(); // the first read begins after every one of them arrived
  const answers: number[] = [];
  for (const arrived of arrivals) {
    answers.push(await memo.get(arrived));
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(answers.every((value) => value === 7)).toBe(true);
  expect(calls()).toBe(1);
});

it('a request that arrives after the read began reads again and sees the new value', async () => {
  const { memo, calls, tick } = counting([1, 2]);
  expect(await memo.get(tick())).toBe(1);
  expect(await memo.get(tick())).toBe(2);
  expect(calls()).toBe(2);
});

it('a request arriving at the very moment the read begins may share it', async () => {
  const { memo, calls, at } = counting([1, 2]);
  expect(await memo.get(at())).toBe(1);
  expect(await memo.get(at())).toBe(1);
  expect(calls()).toBe(1);
});

it('invalidate makes the next request read again (after a write by this process)', async () => {
  const { memo, calls, tick } = counting([1, 2]);
  const arrived = tick();
  expect(await memo.get(arrived)).toBe(1);
  memo.invalidate();
  expect(await memo.get(arrived)).toBe(2);
  expect(calls()).toBe(2);
});

it('a failed read is not shared with later callers', async () => {
  let calls = 0;
  const memo = new SharedRead(
    async () => {
      calls += 1;
      if (calls === 1) throw new Error('database is locked');
      return 5;
    },
    () => 10n,
  );
  await expect(memo.get(1n)).rejects.toThrow('database is locked');
  expect(await memo.get(1n)).toBe(5);
});

it('uses the process clock by default: a read begun now serves a request that arrived before', async () => {
  let calls = 0;
  const memo = new SharedRead(async () => ++calls);
  const arrived = process.hrtime.bigint();
  expect(await memo.get(arrived)).toBe(1);
  expect(await memo.get(arrived)).toBe(1);
  expect(await memo.get(process.hrtime.bigint())).toBe(2);
});

/**
 * The response cache's key includes the store's data revision, read on every request: under
 * 1,000 concurrent cached queries that read was the server's largest cost after the socket
 * writes. TurnMemo shares one read among the requests handled in the same event-loop turn.
 */
import { TurnMemo } from '../../src/server/turn-memo';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function counting(values: number[]) {
  let calls = 0;
  const memo = new TurnMemo(async () => values[Math.min(calls++, values.length - 1)]);
  return { memo, calls: () => calls };
}

it('requests in the same turn share one read', async () => {
  const { memo, calls } = counting([7]);
  const answers = await Promise.all(Array.from({ length: 100 }, () => memo.get()));
  expect(answers.every((value) => value === 7)).toBe(true);
  expect(calls()).toBe(1);
});

it('a later turn reads again and sees a new value', async () => {
  const { memo, calls } = counting([1, 2]);
  expect(await memo.get()).toBe(1);
  await nextTurn();
  expect(await memo.get()).toBe(2);
  expect(calls()).toBe(2);
});

it('invalidate makes the next call read again within the same turn (after a local write)', async () => {
  const { memo, calls } = counting([1, 2]);
  expect(await memo.get()).toBe(1);
  memo.invalidate();
  expect(await memo.get()).toBe(2);
  expect(calls()).toBe(2);
});

it('a failed read is not shared with later callers', async () => {
  let calls = 0;
  const memo = new TurnMemo(async () => {
    calls += 1;
    if (calls === 1) throw new Error('database is locked');
    return 5;
  });
  await expect(memo.get()).rejects.toThrow('database is locked');
  expect(await memo.get()).toBe(5);
});

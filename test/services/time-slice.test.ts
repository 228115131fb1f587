/**
 * The main thread's cooperative scheduler (src/services/time-slice.ts): work that had to wait for
 * a later turn of the event loop resumes in the order it asked, a newcomer never overtakes work
 * already waiting (under 500 clients that overtaking starved some requests for 20 s), and I/O
 * and timers get their turn between two waiting callers. Work under way (`pace`) resumes before
 * new requests (`paceArrival`), so a started request finishes instead of queueing behind hundreds.
 */
import { performance } from 'node:perf_hooks';
import { pace, paceArrival, SLICE_MS } from '../../src/services/time-slice';

/** Keeps this thread busy past the current slice (opened first, as paced work does). */
function spin(ms = SLICE_MS + 2): void {
  void pace();
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

it('resumes waiting callers first come, first served, and a newcomer queues behind them', async () => {
  await nextTurn();
  const order: string[] = [];
  spin();
  const waits = ['a', 'b', 'c'].map((name) =>
    pace().then(() => {
      order.push(name);
      // work that arrives while b and c still wait, as a new request would
      if (name === 'a') waits.push(pace().then(() => void order.push('d')));
    }),
  );
  await Promise.all(waits);
  await waits[3];
  expect(order).toEqual(['a', 'b', 'c', 'd']);
});

it('lets timers and I/O run between two callers that waited', async () => {
  await nextTurn();
  const events: string[] = [];
  spin();
  setTimeout(() => events.push('timer'), 0);
  const waits = [1, 2, 3].map((n) =>
    pace().then(() => {
      events.push(`work ${n}`);
      spin();
    }),
  );
  await Promise.all(waits);
  // the timer fired before the last of the three resumed, not after all of them
  expect(events.indexOf('timer')).toBeLessThan(events.indexOf('work 3'));
  expect(events.filter((e) => e.startsWith('work'))).toEqual(['work 1', 'work 2', 'work 3']);
});

it('resumes work under way before new requests that waited longer', async () => {
  await nextTurn();
  const order: string[] = [];
  spin();
  const waits = [
    paceArrival().then(() => void order.push('new 1')),
    paceArrival().then(() => void order.push('new 2')),
    pace().then(() => void order.push('under way')),
  ];
  await Promise.all(waits);
  expect(order).toEqual(['under way', 'new 1', 'new 2']);
});

it('queues a new request behind waiting work even when the slice is young', async () => {
  await nextTurn();
  const order: string[] = [];
  spin();
  const first = pace().then(() => {
    order.push('under way 1');
    // in the released caller's own fresh slice: a newcomer still waits for 'under way 2'
    return paceArrival().then(() => void order.push('new'));
  });
  const second = pace().then(() => void order.push('under way 2'));
  await Promise.all([first, second]);
  expect(order).toEqual(['under way 1', 'under way 2', 'new']);
});

/**
 * The memory LRU in front of the cached computations: bounded by bytes, least recently used out
 * first, and (issue 10) one entry larger than the whole budget kept beside it when allowed, so a
 * 10,000-model matrix (800 MB, over the 256 MB budget) asked again is not read back each time.
 */
import { LruCache } from '../../src/services/lru-cache';

const sized = (capacity: number, largest?: number) => new LruCache<number>(capacity, (value) => value, largest);

it('keeps entries up to its capacity, dropping the least recently used first', () => {
  const lru = sized(10);
  lru.set('a', 4);
  lru.set('b', 4);
  expect(lru.get('a')).toBe(4); // a is now the most recently used
  lru.set('c', 4);
  expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([4, undefined, 4]);
});

it('refuses an entry larger than its capacity unless a larger one is allowed', () => {
  const lru = sized(10);
  lru.set('small', 3);
  lru.set('huge', 11);
  expect(lru.get('huge')).toBeUndefined();
  expect(lru.get('small')).toBe(3);
});

it('keeps one entry larger than its capacity beside the others, the newest such one', () => {
  const lru = sized(10, 100);
  lru.set('a', 5);
  lru.set('huge', 80);
  lru.set('b', 5);
  // the large entry neither counts against the capacity nor is dropped for the small ones
  lru.set('c', 5);
  expect([lru.get('huge'), lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([80, undefined, 5, 5]);
  expect(lru.values()).toEqual([80, 5, 5]); // least recently used first, the large one among them

  lru.set('huger', 90);
  expect([lru.get('huge'), lru.get('huger')]).toEqual([undefined, 90]);
  lru.set('too-large', 101);
  expect([lru.get('too-large'), lru.get('huger')]).toEqual([undefined, 90]);

  lru.delete('huger');
  expect(lru.get('huger')).toBeUndefined();
  lru.set('d', 5);
  lru.set('e', 5);
  expect([lru.get('b'), lru.get('c'), lru.get('d'), lru.get('e')]).toEqual([undefined, undefined, 5, 5]);
});

it('a key set again at another size moves between the large slot and the others', () => {
  const lru = sized(10, 100);
  lru.set('k', 50);
  lru.set('k', 4);
  lru.set('huge', 60);
  expect([lru.get('k'), lru.get('huge')]).toEqual([4, 60]);
  lru.set('x', 6);
  expect([lru.get('k'), lru.get('x'), lru.get('huge')]).toEqual([4, 6, 60]);
});

import { createRandom, hashString, keyedRandom, mix32, normal, sampleIndices } from '../../src/core/random';

describe('createRandom', () => {
  it('createRandom(seed) is deterministic and seed-dependent', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('createRandom() draws lie in [0, 1) with mean near 1/2 and normal() has unit variance', () => {
    const random = createRandom(7);
    const u = Array.from({ length: 20000 }, () => random());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 2);
    const z = Array.from({ length: 20000 }, () => normal(random));
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('sampleIndices(random, n, k) returns k distinct sorted indices', () => {
    const idx = sampleIndices(createRandom(1), 50, 10);
    expect(idx).toHaveLength(10);
    expect(new Set(idx).size).toBe(10);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });

  it('createRandom(NaN) throws', () => {
    expect(() => createRandom(NaN)).toThrow(/seed must be a finite number/);
  });
});

describe('keyed randomness (the simulated zoo draws every value from these)', () => {
  // Pinned values: a change here changes every simulated sample, zoo tree and score.
  it('hashString() is FNV-1a then fmix32, and mix32() is fmix32', () => {
    expect(hashString('')).toBe(2872998923);
    expect(hashString('The cat sat on')).toBe(2759320804);
    expect(mix32(1)).toBe(1364076727);
    expect(mix32(0xdeadbeef)).toBe(233162409);
  });

  it('keyedRandom(...parts) is createRandom seeded by the hash of the joined parts', () => {
    expect(keyedRandom('zoo-branches', 0)()).toBe(0.6610553581267595);
    const a = keyedRandom('drift', 3, 'node');
    const b = createRandom(hashString('drift\u001f3\u001fnode'));
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
    expect(keyedRandom('drift', 3, 'node')()).not.toBe(keyedRandom('drift', 4, 'node')());
  });
});

import { PhyloInputError } from '../../../src/core/errors';
import { neiDistance, neiSimilarity } from '../../../src/core/genetics/nei';
import type { AlleleCounts } from '../../../src/core/genetics/population';
import { createRandom } from '../../../src/core/random';
import { stoppingDecision, type StoppingRuleOptions } from '../../../src/core/adaptive/stopping-rule';

const RULE: StoppingRuleOptions = { targetStandardError: 0.05, placementConfidence: 0, replicates: 60, seed: 3 };

/** `genes` genes; on each, n samples drawn from the allele frequencies `p(g)` */
function population(genes: number, n: number, p: (g: number) => number[], seed: number): AlleleCounts {
  const random = createRandom(seed);
  return Array.from({ length: genes }, (_, g) => {
    const probs = p(g);
    const counts: Record<string, number> = {};
    for (let s = 0; s < n; s++) {
      let u = random();
      let a = 0;
      while (a < probs.length - 1 && u >= probs[a]) u -= probs[a++];
      counts[`a${a}`] = (counts[`a${a}`] ?? 0) + 1;
    }
    return counts;
  });
}

/** a model whose gene g favours allele (g + shift) mod 4 with weight `w` */
const leaning = (shift: number, w: number) => (g: number) =>
  Array.from({ length: 4 }, (_, a) => (a === (g + shift) % 4 ? w : (1 - w) / 3));

it('never stops without another model to compare with', () => {
  const target = population(20, 8, leaning(0, 0.7), 1);
  expect(stoppingDecision(target, [], RULE)).toEqual({
    stop: false,
    reason: null,
    maxStandardError: NaN,
    placementSupport: null,
  });
});

it('a model answering one allele per gene has no sampling error: it stops on precision at once', () => {
  const target: AlleleCounts = Array.from({ length: 10 }, (_, g) => ({ [`a${g % 3}`]: 4 }));
  const other = population(10, 32, leaning(1, 0.6), 2);
  const decision = stoppingDecision(target, [other], RULE);
  expect(decision).toMatchObject({ stop: true, reason: 'PRECISION' });
  expect(decision.maxStandardError).toBeCloseTo(0, 12);
});

it('the sampling standard error shrinks as samples grow, and a tight target waits for more', () => {
  const others = [population(40, 32, leaning(1, 0.5), 5), population(40, 32, leaning(2, 0.5), 6)];
  const se = (n: number) => stoppingDecision(population(40, n, leaning(0, 0.5), 7), others, RULE).maxStandardError;
  const [few, many] = [se(4), se(64)];
  expect(many).toBeLessThan(few / 2);
  const tight = { ...RULE, targetStandardError: (few + many) / 2 };
  expect(stoppingDecision(population(40, 4, leaning(0, 0.5), 7), others, tight).stop).toBe(false);
  expect(stoppingDecision(population(40, 64, leaning(0, 0.5), 7), others, tight)).toMatchObject({
    stop: true,
    reason: 'PRECISION',
  });
});

it('its observed distances are Nei distances (the replicates vary around them)', () => {
  const target = population(30, 16, leaning(0, 0.6), 8);
  const other = population(30, 16, leaning(0, 0.4), 9);
  // with one other model and a standard error target no replicate could miss, the rule stops:
  // the spread is small next to D itself
  const d = neiDistance(neiSimilarity(target, other));
  const decision = stoppingDecision(target, [other], { ...RULE, targetStandardError: d });
  expect(decision.stop).toBe(true);
  expect(decision.maxStandardError).toBeGreaterThan(0);
  expect(decision.maxStandardError).toBeLessThan(d);
});

it('placement: a model plainly next to one relative keeps its place; one halfway between two does not', () => {
  // three clusters of models, each a fixed allele leaning; the target copies cluster 0 exactly
  const genes = 60;
  const others = [0, 1, 1, 2, 2].map((shift, i) => population(genes, 32, leaning(shift, 0.8), 20 + i));
  const rule = { ...RULE, targetStandardError: 0, placementConfidence: 0.9 };
  const near = stoppingDecision(population(genes, 32, leaning(0, 0.8), 40), others, rule);
  expect(near).toMatchObject({ stop: true, reason: 'PLACEMENT' });
  expect(near.placementSupport).toBeGreaterThanOrEqual(0.9);
  // halfway between clusters 0 and 1, with few samples: where NJ puts it is a coin toss
  const between = (g: number) => leaning(0, 0.8)(g).map((p, a) => (p + leaning(1, 0.8)(g)[a]) / 2);
  const torn = stoppingDecision(population(genes, 4, between, 41), others, rule);
  expect(torn.stop).toBe(false);
  expect(torn.placementSupport).toBeLessThan(0.9);
});

it('is a pure function of its inputs and seed', () => {
  const target = population(20, 8, leaning(0, 0.6), 11);
  const others = [population(20, 32, leaning(1, 0.6), 12), population(20, 32, leaning(2, 0.6), 13)];
  const rule = { ...RULE, placementConfidence: 0.5 };
  expect(stoppingDecision(target, others, rule)).toEqual(stoppingDecision(target, others, rule));
});

it('refuses settings that mean nothing', () => {
  const target = population(5, 4, leaning(0, 0.6), 1);
  for (const bad of [
    { targetStandardError: -1 },
    { targetStandardError: Infinity },
    { placementConfidence: 1.5 },
    { replicates: 1 },
    { replicates: 2.5 },
  ]) {
    expect(() => stoppingDecision(target, [target], { ...RULE, ...bad })).toThrow(PhyloInputError);
  }
});

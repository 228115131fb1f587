/**
 * Issue 13, what must be true 2: adaptive sampling of the whole simulated zoo (25 models, 5
 * families), every model with the default settings of an adaptive job (services/probing/adaptive.ts),
 * against the full plan N = 32, over 10 zoo seeds. In memory (test/helpers/adaptive-zoo.ts): the
 * job engine's part is tested through GraphQL in test/graphql/adaptive-probing.test.ts.
 *
 * What it holds (measured; README "Adaptive sampling" and the report of issue 13):
 * - the splits of the full plan's tree that the full plan reproduces (in most of 9 fresh N = 32
 *   draws) are all in the adaptive tree in at least 9 of 10 seeds;
 * - tokens: at least 40% fewer on average over the seeds.
 * The strict topology (Robinson-Foulds 0) is recorded, not required: fresh N = 32 draws
 * themselves give the same strict topology in only 3 of 10 seeds (star-shaped triples of a base
 * model and two fine-tunes, which NJ resolves at random). The default keeps it in 7 of 10;
 * `firstRound: 16` in 9 of 10 with 26.6% saved, and keeping the 15 models of the triples at the
 * full plan while the others stop at 8 in one round (an oracle's choice) saves only 25.8% and
 * keeps it in 8 of 10: the strict target and 40% are not both within reach on this zoo
 * (`BENCH=probing-cost`, `tripleOracle` in test/helpers/adaptive-zoo.ts).
 */
import { DEFAULT_ADAPTIVE } from '../../../src/services/probing/adaptive';
import { builtinGenes, findBuiltinGenome } from '../../../src/genomes/builtin';
import { runAdaptiveZoo, type AdaptiveZooResult } from '../../helpers/adaptive-zoo';

const GENES = builtinGenes(findBuiltinGenome('math-owm-128')!).map((g) => g.text);
const SEEDS = Array.from({ length: 10 }, (_, seed) => seed);

jest.setTimeout(600_000);

it('keeps the reproduced splits of the full plan in 9 of 10 seeds with at least 40% fewer tokens on average', async () => {
  const { firstRound, ...rule } = DEFAULT_ADAPTIVE;
  const results: AdaptiveZooResult[] = [];
  for (const seed of SEEDS) results.push(await runAdaptiveZoo(seed, GENES, rule, { samplesPerGene: 32, firstRound }));
  const kept = results.filter((r) => r.lost === 0).length;
  const savings = results.map((r) => 1 - r.tokensAdaptive / r.tokensFull);
  const mean = savings.reduce((s, x) => s + x, 0) / savings.length;
  expect(kept).toBeGreaterThanOrEqual(9);
  expect(mean).toBeGreaterThanOrEqual(0.4);
  // every model stopped at a round of the plan, and some stopped early
  for (const r of results) for (const n of Object.values(r.reached)) expect([8, 16, 32]).toContain(n);
  expect(results.every((r) => r.samplesAdaptive < r.samplesFull)).toBe(true);
});

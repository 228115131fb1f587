/**
 * `BENCH=probing-cost npm run bench`, second part (issue 13, what must be true 4): what probing one model on
 * math-owm-128 costs, in tokens and dollars from the plugins' price tables, at the reference plan
 * (128 genes x 32 samples, maxTokens 5), through a batch API, with adaptive sampling, with a
 * designed 32-gene genome, and with all three, side by side; for a provider that returns n samples
 * per request (OpenAI: the prompt is paid once per request) and one that returns one (Anthropic).
 *
 * Tokens are the planner's estimates (token-estimate.ts: ~4 characters per token; every completion
 * at maxTokens), as `probingEstimate` shows them. Adaptive sampling is costed from the samples per
 * gene the models of the simulated zoo stopped at (10 seeds, default settings): a model stopping
 * at 8 pays one request per gene, at 16 two, at 32 three (one per round). The batch price is the
 * factor the batch plugins declare (`priceFactor` 0.5 in plugins/openai/openai-batch.ts and
 * plugins/anthropic/batch.ts: the 50% of both providers' pricing pages), which the first part of
 * the group (probing-cost.ts) shows through `probingEstimate`. Adaptive sampling and a batch
 * cannot be combined (rounds decide from the previous round's answers), so no row does. The designed genome is chosen on
 * the zoo (seed 0, all 25 models at N = 32).
 *
 * Also printed: the zoo figures behind the adaptive row (topology kept, savings per seed), other
 * adaptive settings and the bound a strict topology puts on savings, the zoo design against
 * random gene subsets in both readings, and the MisguidedAttention designs' family-level splits
 * against random subsets of 13, 26 and 39 genes.
 */
import { ANTHROPIC_CAPABILITIES } from '../plugins/anthropic/catalog';
import { OPENAI_CAPABILITIES } from '../plugins/openai/catalog';
import { roundTargets } from '../src/core/adaptive/rounds';
import { selectGenes } from '../src/core/genome-design/select-genes';
import { builtinGenes, findBuiltinGenome } from '../src/genomes/builtin';
import { costOf, type ProviderCapabilities } from '../src/providers/provider';
import { DEFAULT_ADAPTIVE } from '../src/services/probing/adaptive';
import { estimateTokens } from '../src/services/probing/token-estimate';
import { runAdaptiveZoo, tripleOracle, type AdaptiveZooResult } from '../test/helpers/adaptive-zoo';
import { misguidedDesign, misguidedRandomSubsets, misguidedSplitSearch } from '../test/helpers/misguided-design';
import { DESIGN_FAMILIES, heldOutReadings, meanAndSpread, randomSubsetReadings } from '../test/helpers/zoo-design';
import { zooPopulations } from '../test/helpers/zoo-populations';

/** zoo seeds the figures are reported on, and the seeds settings were chosen on */
const EVALUATION_SEEDS = Array.from({ length: 10 }, (_, k) => k);
const TUNING_SEEDS = Array.from({ length: 10 }, (_, k) => 100 + k);

const N = 32;
const MAX_TOKENS = 5;
const BATCH_DISCOUNT = 0.5;
const PROVIDERS: { name: string; model: string; capabilities: ProviderCapabilities }[] = [
  { name: 'openai', model: 'gpt-4o-mini', capabilities: OPENAI_CAPABILITIES },
  { name: 'openai', model: 'gpt-4o', capabilities: OPENAI_CAPABILITIES },
  { name: 'anthropic', model: 'claude-3-5-haiku-20241022', capabilities: ANTHROPIC_CAPABILITIES },
];

interface Usage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * One model's usage on `genes` when a share `weights[k]` of models stops at `targets[k]` samples per
 * gene (rounds: each round is its own requests).
 */
function usage(
  genes: readonly string[],
  targets: readonly number[],
  weights: readonly number[],
  perRequest: number,
): Usage {
  const total: Usage = { requests: 0, promptTokens: 0, completionTokens: 0 };
  for (const gene of genes) {
    targets.forEach((stop, k) => {
      let requests = 0;
      let before = 0;
      for (const n of targets.slice(0, k + 1)) {
        requests += Math.ceil((n - before) / perRequest);
        before = n;
      }
      total.requests += weights[k] * requests;
      total.promptTokens += weights[k] * requests * estimateTokens(gene);
      total.completionTokens += weights[k] * stop * MAX_TOKENS;
    });
  }
  return total;
}

export async function benchProbingPlans(): Promise<void> {
  const genes = builtinGenes(findBuiltinGenome('math-owm-128')!).map((g) => g.text);
  const { firstRound, ...rule } = DEFAULT_ADAPTIVE;
  const targets = roundTargets(firstRound, N);

  const zoo: AdaptiveZooResult[] = [];
  for (let seed = 0; seed < 10; seed++)
    zoo.push(await runAdaptiveZoo(seed, genes, rule, { samplesPerGene: N, firstRound }));
  const stops = zoo.flatMap((r) => Object.values(r.reached));
  const weights = targets.map((t) => stops.filter((s) => s === t).length / stops.length);

  const designed = await zooPopulations(0, genes);
  const chosen = selectGenes(designed.pops, 32).genes.map((g) => genes[g]);

  const plans: { plan: string; genes: readonly string[]; targets: number[]; weights: number[]; discount: number }[] = [
    { plan: 'reference (128 genes x 32)', genes, targets: [N], weights: [1], discount: 1 },
    { plan: 'batch', genes, targets: [N], weights: [1], discount: BATCH_DISCOUNT },
    { plan: 'adaptive', genes, targets, weights, discount: 1 },
    { plan: 'designed 32 genes', genes: chosen, targets: [N], weights: [1], discount: 1 },
    { plan: 'designed + batch', genes: chosen, targets: [N], weights: [1], discount: BATCH_DISCOUNT },
    { plan: 'designed + adaptive', genes: chosen, targets, weights, discount: 1 },
  ];
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `adaptive: ${targets.join('/')} samples per gene, zoo share stopping at each: ${weights.map((w) => w.toFixed(2)).join('/')}`,
  );
  for (const provider of PROVIDERS) {
    const perRequest = provider.capabilities.maxSamplesPerRequest;
    out(`\n${provider.name} ${provider.model} (${perRequest} samples per request)`);
    out(
      `${'plan'.padEnd(30)} ${'requests'.padStart(9)} ${'prompt tok'.padStart(11)} ${'compl. tok'.padStart(11)} ${'USD'.padStart(9)}  vs reference`,
    );
    let reference = 0;
    for (const p of plans) {
      const u = usage(p.genes, p.targets, p.weights, perRequest);
      const usd = costOf(provider.capabilities, provider.model, u) * p.discount;
      if (reference === 0) reference = usd;
      out(
        `${p.plan.padEnd(30)} ${Math.round(u.requests).toString().padStart(9)} ${Math.round(u.promptTokens).toString().padStart(11)} ${Math.round(u.completionTokens).toString().padStart(11)} ${usd.toFixed(4).padStart(9)}  ${(usd / reference).toFixed(2)}`,
      );
    }
  }

  out(
    '\nadaptive on the simulated zoo (25 models, default settings), per seed, tokens as the simulated provider reports them:',
  );
  for (const r of zoo) {
    out(
      `  seed ${r.seed}: RF to the full plan ${r.rf}, reproduced splits lost ${r.lost} of ${r.supported}, tokens saved ${(100 * (1 - r.tokensAdaptive / r.tokensFull)).toFixed(1)}%, samples saved ${(100 * (1 - r.samplesAdaptive / r.samplesFull)).toFixed(1)}%`,
    );
  }
  const savings = zoo.map((r) => 1 - r.tokensAdaptive / r.tokensFull);
  out(
    `  strict topology kept in ${zoo.filter((r) => r.rf === 0).length}/10, reproduced splits kept in ${zoo.filter((r) => r.lost === 0).length}/10; ` +
      `tokens saved: mean ${(100 * (savings.reduce((s, x) => s + x, 0) / savings.length)).toFixed(1)}%, worst ${(100 * Math.min(...savings)).toFixed(1)}%`,
  );

  await adaptiveSettingsTable(genes, zoo, out);
  await zooDesignTable(genes, out);

  const ma = misguidedDesign(13);
  out(
    `\nMisguidedAttention, 13 of 52 genes chosen on ${ma.designFamilies.join(', ')}; held out: ${ma.heldOutFamilies.join(', ')}`,
  );
  out(
    `  held-out families that are clades of the full tree: ${ma.wholeFamilies.length === 0 ? 'none' : ma.wholeFamilies.join(', ')}`,
  );
  out(
    `  family-level splits of the full tree kept by the design: ${ma.splits.filter((s) => s.kept).length} of ${ma.splits.length}`,
  );
  for (const s of ma.splits) out(`    ${s.kept ? 'kept' : 'lost'}  ${s.family}: ${s.models.join(', ')}`);
  for (const size of [13, 26, 39]) {
    const random = misguidedRandomSubsets(size, 100, 1);
    out(
      `  ${size} genes: the design keeps ${misguidedDesign(size).splits.filter((s) => s.kept).length} of ${random.splits}; ` +
        `100 random subsets keep ${random.mean.toFixed(2)} on average, ${random.max} at most, all ${random.splits} in ${(100 * random.allKept).toFixed(0)}%`,
    );
  }
  const search = misguidedSplitSearch(13, 6, 1);
  const fittedHeld = search.fitted.map((f) => f.heldKept);
  out(
    `  13 genes, swap search seeing the held-out models: keeps ${search.inSample} of ${search.splits}; ` +
      `fitted to the design families' own ${search.fitted[0].designSplits} splits (kept ${search.fitted.map((f) => f.designKept).join(', ')}), ` +
      `the same subsets keep ${fittedHeld.join(', ')} of the held-out ${search.splits} (mean ${(fittedHeld.reduce((a, b) => a + b, 0) / fittedHeld.length).toFixed(1)})`,
  );
}

/**
 * Strict topology (RF 0 against the full plan) and token savings of adaptive settings on the
 * tuning seeds and the evaluation seeds, and the bound of `tripleOracle`: what keeping every
 * star-shaped triple at the full plan leaves to save.
 */
async function adaptiveSettingsTable(
  genes: readonly string[],
  evaluated: readonly AdaptiveZooResult[],
  out: (line: string) => void,
): Promise<void> {
  const { firstRound, ...rule } = DEFAULT_ADAPTIVE;
  const summary = (rs: readonly { rf: number; saving: number }[]): string => {
    const s = rs.map((r) => r.saving);
    return (
      `strict topology ${rs.filter((r) => r.rf === 0).length}/${rs.length}, tokens saved mean ` +
      `${(100 * (s.reduce((a, x) => a + x, 0) / s.length)).toFixed(1)}%, worst ${(100 * Math.min(...s)).toFixed(1)}%`
    );
  };
  const run = async (seeds: readonly number[], first: number) => {
    const rs: { rf: number; saving: number }[] = [];
    for (const seed of seeds) {
      const r = await runAdaptiveZoo(seed, genes, rule, { samplesPerGene: N, firstRound: first }, 0);
      rs.push({ rf: r.rf, saving: 1 - r.tokensAdaptive / r.tokensFull });
    }
    return rs;
  };
  out('\nadaptive settings on the zoo (tuning seeds 100-109 | evaluation seeds 0-9):');
  const byDefault = evaluated.map((r) => ({ rf: r.rf, saving: 1 - r.tokensAdaptive / r.tokensFull }));
  out(`  default, firstRound ${firstRound}: ${summary(await run(TUNING_SEEDS, firstRound))} | ${summary(byDefault)}`);
  out(`  firstRound 16:   ${summary(await run(TUNING_SEEDS, 16))} | ${summary(await run(EVALUATION_SEEDS, 16))}`);
  for (const othersAt of [8, 16]) {
    const bound = async (seeds: readonly number[]) => {
      const rs: { rf: number; saving: number }[] = [];
      for (const seed of seeds) {
        const r = await tripleOracle(seed, genes, othersAt, N);
        rs.push({ rf: r.rf, saving: 1 - r.tokensOracle / r.tokensFull });
      }
      return rs;
    };
    out(
      `  bound: triples at ${N}, the others at ${othersAt}, one round: ${summary(await bound(TUNING_SEEDS))} | ${summary(await bound(EVALUATION_SEEDS))}`,
    );
  }
}

/**
 * The 32-gene design on three zoo families against 50 random 32-gene subsets, both readings of
 * test/helpers/zoo-design.ts, and the same greedy selection run on all 25 models (in-sample: the
 * most a design could reach if it saw the held-out models).
 */
async function zooDesignTable(genes: readonly string[], out: (line: string) => void): Promise<void> {
  out(
    '\n32-gene design on llama, mistral, qwen; Spearman with the full genome, held out gemma and gpt (toAll / within):',
  );
  const rows: { designed: number[]; random: number[]; inSample: number[] } = { designed: [], random: [], inSample: [] };
  for (const seed of EVALUATION_SEEDS) {
    const zoo = await zooPopulations(seed, genes);
    const heldOut = zoo.families.map((f) => !DESIGN_FAMILIES.has(f));
    const designed = heldOutReadings(
      zoo.pops,
      selectGenes(
        zoo.pops.filter((_, i) => !heldOut[i]),
        32,
      ).genes,
      heldOut,
    );
    const random = randomSubsetReadings(zoo.pops, heldOut, 32, 50, seed);
    const toAll = meanAndSpread(random.map((r) => r.toAll));
    const within = meanAndSpread(random.map((r) => r.within));
    const inSample = heldOutReadings(zoo.pops, selectGenes(zoo.pops, 32).genes, heldOut);
    rows.designed.push(designed.toAll);
    rows.random.push(toAll.mean);
    rows.inSample.push(inSample.toAll);
    out(
      `  seed ${seed}: designed ${designed.toAll.toFixed(3)} / ${designed.within.toFixed(3)}; random ${toAll.mean.toFixed(3)} ± ${toAll.sd.toFixed(3)} / ` +
        `${within.mean.toFixed(3)} ± ${within.sd.toFixed(3)}; in-sample (all 25 models) ${inSample.toAll.toFixed(3)} / ${inSample.within.toFixed(3)}`,
    );
  }
  const mean = (xs: number[]) => (xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(3);
  out(
    `  toAll means: designed ${mean(rows.designed)}, random ${mean(rows.random)}, in-sample ${mean(rows.inSample)}; ` +
      `designed above the random mean in ${rows.designed.filter((d, k) => d > rows.random[k]).length}/10 seeds`,
  );
}

/**
 * The evidence behind `defaultPredictor` (issue 15): leave-one-family-out evaluation of every
 * predictor, intervals calibrated as the server calibrates them (nested, or cross above its
 * budget), on
 *   - MisguidedAttention, real data: 58 scored LLMs in 16 families, 52 prompts, about 3 samples
 *     of 64 characters per prompt (test/fixtures/misguided-attention), judge score;
 *   - the simulated zoo, seeds 0 to ZOO_SEEDS - 1: 25 models in 5 families on math-owm-128 with
 *     32 samples per gene, ARC, the end-to-end test's target model left out (n 24), in both of
 *     its text variants: `classic` (candidates differ from their first characters on) and
 *     `long-alleles` (candidates share a few chat openers and differ after them,
 *     plugins/simulated/alleles.ts), the case longer alleles are meant for.
 * Populations are counted at every allele length `tuned` chooses among, from the raw texts, as
 * the server counts them (core countAlleles), so the figures are the server's.
 *   BENCH=prediction-evidence npm run bench      (ZOO_SEEDS=16 by default; fewer runs faster)
 */
import { sampleModel } from '../test/helpers/zoo-populations';
import { createSimulatedProvider, simulatedZoo, ZOO_VARIANTS, type ZooVariant } from '../plugins/simulated';
import {
  evaluatePredictor,
  type Evaluation,
  type LabelledSet,
  leaveOneFamilyOut,
} from '../src/core/prediction/evaluation';
import { defaultPredictorName, getPredictor, predictorNames } from '../src/core/prediction/registry';
import { TUNED_ALLELE_LENGTHS } from '../src/core/prediction/tuned';
import { builtinGenes, findBuiltinGenome } from '../src/genomes/builtin';
import { costOf, evaluationCalibration } from '../src/services/prediction.service';
import { labelledSet, misguidedAttention, type SampledSet } from '../test/helpers/allele-views';

const ZOO_SEEDS = Number(process.env.ZOO_SEEDS ?? 16);
const ZOO_TARGET = 'llama-3-8b-instruct';
const SAMPLES = 32;
/** the predictors compared: today's default first, then the rest */
const COMPARED = ['ensemble', 'multiscale', 'tuned', 'knn', 'kernel-ridge', 'reference', 'mean'].filter((n) =>
  predictorNames.includes(n),
);

export async function zooSet(seed: number, variant: ZooVariant = 'classic'): Promise<SampledSet> {
  const zoo = simulatedZoo(seed);
  const genes = builtinGenes(findBuiltinGenome('math-owm-128')!).map((g) => g.text);
  const provider = createSimulatedProvider({ seed, variant });
  const models = zoo.models.filter((m) => m.id !== ZOO_TARGET);
  const samples = [];
  for (const m of models) {
    const out = (await sampleModel(provider, m, genes, SAMPLES)).samples;
    samples.push(out);
  }
  return {
    geneCount: genes.length,
    samples,
    scores: models.map((m) => zoo.scores[m.id].ARC),
    families: models.map((m) => m.family),
    names: models.map((m) => m.id),
  };
}

/** The evaluation the server would answer `predictionEvaluation(method: name)` with. */
export function evaluateAsServer(name: string, set: LabelledSet): Evaluation {
  const calibration = evaluationCalibration(new Set(set.families).size, set.scores.length, costOf(name));
  return evaluatePredictor(getPredictor(name), set, { seed: 0, level: 0.8, calibration });
}

/** "knn.alleleLength 12 (9), 16 (7)": how often each value was chosen over the folds. */
function chosenLengths(e: Evaluation): string {
  const byName = new Map<string, Map<number, number>>();
  for (const f of e.folds)
    for (const p of f.hyperparameters.filter((h) => h.name.endsWith('alleleLength'))) {
      const m = byName.get(p.name) ?? byName.set(p.name, new Map()).get(p.name)!;
      m.set(p.value, (m.get(p.value) ?? 0) + 1);
    }
  return [...byName].map(([name, m]) => `${name} ${[...m].map(([v, c]) => `${v} (${c})`).join(', ')}`).join('; ');
}

const f3 = (x: number) => x.toFixed(3);

export async function benchPredictionEvidence(): Promise<void> {
  process.stdout.write(
    `default predictor: ${defaultPredictorName}; allele lengths of tuned: ${TUNED_ALLELE_LENGTHS}\n`,
  );
  const ma = labelledSet(misguidedAttention(), TUNED_ALLELE_LENGTHS);
  const maRows = new Map<string, Evaluation>();
  for (const name of COMPARED) {
    const start = process.hrtime.bigint();
    maRows.set(name, evaluateAsServer(name, ma));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const e = maRows.get(name)!;
    process.stdout.write(
      `MisguidedAttention ${name.padEnd(13)} r ${f3(e.pearson)}  MAE ${f3(e.mae)}  coverage ${f3(e.coverage)}  width ${f3(e.meanWidth)}  ${e.calibration}  ${(ms / 1000).toFixed(1)} s  ${chosenLengths(e)}\n`,
    );
  }

  // for orientation only (nothing is chosen from it): the ensemble held to one allele length
  const sweep = ma.views!.map((v) => {
    const e = leaveOneFamilyOut(getPredictor('ensemble'), { ...ma, distances: v.distances, views: [] }, { seed: 0 });
    return `${v.alleleLength}: r ${f3(e.pearson)} MAE ${f3(e.mae)}`;
  });
  process.stdout.write(`MisguidedAttention, ensemble at one other allele length: ${sweep.join('; ')}\n`);

  const zoos = new Map<ZooVariant, Map<string, Evaluation[]>>();
  for (const variant of ZOO_VARIANTS) zoos.set(variant, await zooRows(variant));

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const head = ZOO_VARIANTS.map(
    (v) => `zoo ${v}: mean r | mean MAE | mean coverage | seeds with lower MAE / higher r than ensemble`,
  );
  process.stdout.write(
    `\n| predictor | MisguidedAttention r | MAE | coverage | ${head.join(' | ')} |\n|${'---|'.repeat(4 + 4 * ZOO_VARIANTS.length)}\n`,
  );
  for (const name of COMPARED) {
    const m = maRows.get(name)!;
    const cells = ZOO_VARIANTS.map((v) => {
      const z = zoos.get(v)!.get(name)!;
      const base = zoos.get(v)!.get('ensemble')!;
      const maeWins = z.filter((e, s) => e.mae < base[s].mae).length;
      const rWins = z.filter((e, s) => e.pearson > base[s].pearson).length;
      return `${f3(mean(z.map((e) => e.pearson)))} | ${f3(mean(z.map((e) => e.mae)))} | ${f3(mean(z.map((e) => e.coverage)))} | ${name === 'ensemble' ? '-' : `${maeWins} / ${rWins} of ${z.length}`}`;
    });
    process.stdout.write(`| ${name} | ${f3(m.pearson)} | ${f3(m.mae)} | ${f3(m.coverage)} | ${cells.join(' | ')} |\n`);
  }
}

/** Every compared predictor on zoo seeds 0 .. ZOO_SEEDS - 1 of one variant, a line per seed. */
async function zooRows(variant: ZooVariant): Promise<Map<string, Evaluation[]>> {
  const zoo = new Map<string, Evaluation[]>(COMPARED.map((n) => [n, []]));
  for (let seed = 0; seed < ZOO_SEEDS; seed++) {
    const set = labelledSet(await zooSet(seed, variant), TUNED_ALLELE_LENGTHS);
    const line: string[] = [];
    for (const name of COMPARED) {
      const e = evaluateAsServer(name, set);
      zoo.get(name)!.push(e);
      line.push(`${name} ${f3(e.pearson)}/${f3(e.mae)}/${f3(e.coverage)}`);
    }
    process.stdout.write(`zoo ${variant} seed ${String(seed).padStart(2)} (r/MAE/coverage): ${line.join('  ')}\n`);
    process.stdout.write(`  tuned chose: ${chosenLengths(zoo.get('tuned')!.at(-1)!)}\n`);
  }
  return zoo;
}

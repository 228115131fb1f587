/**
 * Issue 12, "what must be true" 2: the identity test on real outputs (Misguided Attention, 59
 * LLMs x 52 prompts, about 3 samples per prompt; test/fixtures/misguided-attention). Each model's
 * samples are split per gene into two halves (by sample index: the first ceil(n/2), then the
 * rest). Halves of one model should not be rejected at alpha = 0.01; a half of one model against
 * a half of another should be. The figures are printed; see the README ("Identity and
 * relatedness") for what they show.
 *
 * The 95% for different models holds over the pairs with evidence to judge: halves that
 * share at least half the genome (26 of 52 genes). Over all 1,711 pairs it is 93.8%: one model
 * of the fixture (QwQ-32b-16k) has 3 samples on a single prompt, so its pairs share one gene,
 * and a test on one gene with 1 or 2 samples a side cannot reject anything. That is the right
 * answer (no evidence of a difference), and it is counted and printed, not hidden.
 */
import { countAlleles, type AlleleCounts } from '../../../src/core/genetics/population';
import { comparePopulations } from '../../../src/core/identity/compare';
import { fixtureCompletions, fixtureGenes, fixtureModels } from '../../helpers/misguided-attention';

const ALPHA = 0.01;
/** pairs sharing fewer genes are counted apart: too little evidence to reject (see above) */
const MIN_SHARED_GENES = 26;
const genes = fixtureGenes();
const geneIndex = new Map(genes.map((g, i) => [g.id, i]));

/** The two halves of every model's samples, per gene by sample index. */
function halves(): Map<string, [AlleleCounts, AlleleCounts]> {
  const out = new Map<string, [AlleleCounts, AlleleCounts]>();
  for (const model of fixtureModels()) {
    const byGene = new Map<number, { sample: number; text: string }[]>();
    for (const c of fixtureCompletions(model, geneIndex)) byGene.set(c.gene, [...(byGene.get(c.gene) ?? []), c]);
    const first: { gene: number; text: string }[] = [];
    const second: { gene: number; text: string }[] = [];
    for (const [gene, samples] of byGene) {
      samples.sort((x, y) => x.sample - y.sample);
      const cut = Math.ceil(samples.length / 2);
      samples.forEach((s, i) => (i < cut ? first : second).push({ gene, text: s.text }));
    }
    out.set(model.name, [countAlleles(genes.length, first), countAlleles(genes.length, second)]);
  }
  return out;
}

const split = halves();
const names = [...split.keys()];
const lines: string[] = [];
afterAll(() => process.stdout.write(`identity on Misguided Attention halves:\n${lines.join('\n')}\n`));

describe('identity test on real data (Misguided Attention halves)', () => {
  it('does not reject the two halves of one model at 0.01 for at least 95% of models', () => {
    const rejected: string[] = [];
    let tested = 0;
    names.forEach((name, i) => {
      const [a, b] = split.get(name)!;
      const { pValue } = comparePopulations(a, b, { seed: i, replicates: 1 });
      if (pValue === null) return;
      tested++;
      if (pValue <= ALPHA) rejected.push(`${name} (p = ${pValue.toFixed(4)})`);
    });
    lines.push(
      `  same-model halves: ${tested} models, rejected at ${ALPHA}: ${rejected.length}` +
        (rejected.length ? ` (${rejected.join(', ')})` : ''),
    );
    expect(tested).toBeGreaterThanOrEqual(50);
    expect((tested - rejected.length) / tested).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects halves of two different models at 0.01 for at least 95% of pairs', () => {
    let pairs = 0;
    let all = 0;
    let allRejected = 0;
    const kept: string[] = [];
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const { pValue, sharedGenes } = comparePopulations(split.get(names[i])![0], split.get(names[j])![1], {
          seed: pairs,
          replicates: 1,
        });
        if (pValue === null) continue;
        all++;
        if (pValue <= ALPHA) allRejected++;
        if (sharedGenes < MIN_SHARED_GENES) continue;
        pairs++;
        if (pValue > ALPHA) kept.push(`${names[i]} / ${names[j]} (p = ${pValue.toFixed(3)})`);
      }
    }
    lines.push(
      `  different-model halves, all pairs: ${all}, rejected at ${ALPHA}: ${allRejected} (${(allRejected / all).toFixed(3)})`,
    );
    lines.push(
      `  different-model halves sharing >= ${MIN_SHARED_GENES} genes: ${pairs} pairs, rejected at ${ALPHA}: ${pairs - kept.length} ` +
        `(${((pairs - kept.length) / pairs).toFixed(3)}); not rejected: ${kept.slice(0, 40).join('; ')}` +
        (kept.length > 40 ? `; ... ${kept.length - 40} more` : ''),
    );
    expect((pairs - kept.length) / pairs).toBeGreaterThanOrEqual(0.95);
  });
});

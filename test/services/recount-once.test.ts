/**
 * Issue 15: a predictor that reads several allele lengths (multiscale, tuned: 6, 8, 12, 16 beside
 * the stored 4) recounts them from the raw samples, and reads each model's raw samples once for
 * all of them, not once per length; each length's populations and matrix are still kept apart,
 * so asking again (another method on the same lengths, one matrix at one length) reads nothing.
 */
import { countAlleles } from '../../src/core/genetics/population';
import { alleleLengthsOf } from '../../src/services/prediction.service';
import { startGraphQL, type GraphQLHarness } from '../helpers/graphql';

let h: GraphQLHarness;
let genome: string;
const models: string[] = [];
const GENES = 8;
const MODELS = 16;

/** completions that differ after their 4th character, so every length counts differently */
const completions = (m: number) =>
  Array.from({ length: GENES * 4 }, (_, k) => ({
    gene: k % GENES,
    text: ` ${m % 2 ? 'Sure' : 'Okay'} ${'abcde'[(k * (m + 3)) % 5]}${(k * (m + 5)) % 7} ${m % 3}x${k % 2} tail`,
  }));

beforeAll(async () => {
  h = await startGraphQL();
  const s = h.services;
  genome = String((await s.genomes.create({ name: 'g', genes: Array.from({ length: GENES }, (_, i) => `q${i}`) })).id);
  for (let m = 0; m < MODELS; m++) {
    const model = await s.models.register({ name: `m${m}`, provider: 'external', family: `f${m % 5}` });
    await s.samples.importCompletions({ model: String(model.id), genome, completions: completions(m) });
    models.push(String(model.id));
  }
  await s.scores.set(models.slice(1).map((model, i) => ({ model, benchmark: 'b', value: 0.2 + 0.04 * i })));
});

afterAll(() => h.close());

it('a cold multi-length prediction reads each model raw samples once, then never again for those lengths', async () => {
  const read = jest.spyOn(h.services.store, 'sampleTexts');
  const lengths = alleleLengthsOf('multiscale');
  expect(lengths.length).toBeGreaterThan(1);
  const p = await h.services.predictions.predict({ model: models[0], benchmark: 'b', genome, method: 'multiscale' });
  expect(p.value).toBeGreaterThan(0);
  const perModel = new Map<number, number>();
  for (const [modelId] of read.mock.calls) perModel.set(modelId, (perModel.get(modelId) ?? 0) + 1);
  expect(perModel.size).toBe(MODELS);
  for (const count of perModel.values()) expect(count).toBe(1);

  // the same lengths for another method, and one length's matrix alone: all from memory
  await h.services.predictions.evaluate({ benchmark: 'b', genome, method: 'tuned' });
  const g = await h.services.genomes.get(genome);
  const at12 = await h.services.distances.similarity(g, undefined, 12);
  expect(read).toHaveBeenCalledTimes(MODELS);
  read.mockRestore();

  // each length's populations are its own count of the raw samples
  const rows = await h.services.populations.revisions(g.id);
  expect(rows.map((r) => r.modelId)).toEqual(at12.modelIds);
  for (const length of lengths) {
    const texts = await h.services.populations.textsOf(g, rows, length);
    texts.forEach((t) => {
      const m = models.indexOf(String(t.modelId));
      expect(JSON.parse(t.json)).toEqual(JSON.parse(JSON.stringify(countAlleles(GENES, completions(m), length))));
    });
  }
});

it('the recounts of one read fail together and are read anew by the next caller', async () => {
  const g = await h.services.genomes.create({ name: 'g2', genes: ['q0', 'q1'] });
  const model = await h.services.models.register({ name: 'lone', provider: 'external' });
  await h.services.samples.importCompletions({
    model: String(model.id),
    genome: String(g.id),
    completions: [{ gene: 0, text: ' Sure thing' }],
  });
  const rows = await h.services.populations.revisions(g.id);
  const read = jest.spyOn(h.services.store, 'sampleTexts').mockRejectedValueOnce(new Error('disk gone'));
  await expect(h.services.populations.textsOf(g, rows, 6, [8])).rejects.toThrow('disk gone');
  const again = await h.services.populations.textsOf(g, rows, 8, [6]);
  expect(JSON.parse(again[0].json)).toEqual([{ 'Sure thi': 1 }, null]);
  expect(read).toHaveBeenCalledTimes(2);
  read.mockRestore();
});

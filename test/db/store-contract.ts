/**
 * What every `Store` implementation must do, written against the interface only (no SQL, no
 * driver): `describeStoreContract(name, makeStore)` registers the whole suite for one backend.
 * test/db/sqlite-store.test.ts runs it on SQLite in memory and on a file; a PostgreSQL store
 * runs the same suite by calling it with its own `makeStore`.
 *
 * Each test gets a fresh, empty store from `makeStore` and closes it afterwards.
 */
import { DuplicateError, type AppendSamplesInput, type NewSample, type Store } from '../../src/db/store';

export interface StoreUnderTest {
  store: Store;
  close(): Promise<void> | void;
}

type NewModel = Parameters<Store['createModel']>[0];

/** A model input with every required field; `overrides` sets the rest. */
export function modelInput(name: string, overrides: Partial<NewModel> = {}): NewModel {
  return { name, provider: 'simulated', mode: 'COMPLETION', temperature: 1, topP: 1, maxTokens: 8, ...overrides };
}

/**
 * A population serialisation the store treats as opaque: samples per gene, summed onto the
 * previous state. Summing onto `previous` is what shows the store handed over the right one.
 */
function countPerGene(previous: { counts: string } | null, inserted: readonly { gene: number }[]) {
  const counts = previous ? (JSON.parse(previous.counts) as Record<string, number>) : {};
  for (const s of inserted) counts[s.gene] = (counts[s.gene] ?? 0) + 1;
  return { counts: JSON.stringify(counts), alleleLength: 3 };
}

function append(
  store: Store,
  modelId: number,
  genomeId: number,
  samples: readonly NewSample[],
  extra: Partial<AppendSamplesInput> = {},
) {
  return store.appendSamples({
    modelId,
    genomeId,
    source: 'IMPORTED',
    samples,
    updatePopulation: countPerGene,
    ...extra,
  });
}

const job = (modelId: number, genomeId: number) => ({
  modelId,
  genomeId,
  samplesPerGene: 4,
  maxTokens: 8,
  status: 'QUEUED' as const,
  completed: 0,
  total: 12,
});

const computation = (key: string, genomeId: number, kind = 'distances/v1', payload = key) => ({
  key,
  kind,
  genomeId,
  dependencies: JSON.stringify([[1, 1]]),
  payload: Buffer.from(payload),
});

/**
 * The part size every store under this contract is opened with (computation-parts.ts): small, so
 * that a payload of a few KB is stored in several parts.
 */
export const TEST_COMPUTATION_PART_BYTES = 1000;

/** `bytes` bytes that differ from part to part and within one (so a part in the wrong place shows). */
function patterned(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (i * 7 + Math.floor(i / 251)) % 256;
  return out;
}

/** Lets the clock move on, so that "most recently used" orderings have distinct timestamps. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 5));

export function describeStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let handle: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      handle = await makeStore();
      store = handle.store;
    });
    afterEach(async () => {
      await handle.close();
    });

    /** One model and one three-gene genome, the usual starting point. */
    async function modelAndGenome(modelName = 'm', genomeName = 'g') {
      const model = await store.createModel(modelInput(modelName));
      const genome = await store.createGenome({
        name: genomeName,
        fingerprint: `fp-${genomeName}`,
        genes: ['a', 'b', 'c'],
      });
      return { model, genome };
    }

    describe('models', () => {
      it('createModel returns the stored row, readable by id, by name and in batches', async () => {
        const created = await store.createModel(
          modelInput('gpt-x', {
            provider: 'openai',
            providerModel: 'gpt-x-1',
            family: 'gpt',
            temperature: 0.7,
            topP: 0.9,
          }),
        );
        expect(created).toMatchObject({
          name: 'gpt-x',
          provider: 'openai',
          providerModel: 'gpt-x-1',
          family: 'gpt',
          mode: 'COMPLETION',
          temperature: 0.7,
          topP: 0.9,
          maxTokens: 8,
        });
        expect(Number.isInteger(created.id)).toBe(true);
        expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
        const other = await store.createModel(modelInput('other'));
        expect(other.providerModel ?? null).toBeNull();
        expect(other.family ?? null).toBeNull();

        expect(await store.getModel(created.id)).toEqual(created);
        expect(await store.getModelByName('gpt-x')).toEqual(created);
        expect(await store.getModel(other.id + 1000)).toBeUndefined();
        expect(await store.getModelByName('nobody')).toBeUndefined();
        const batch = await store.getModels([other.id, created.id, other.id + 1000]);
        expect(batch.map((m) => m.name).sort()).toEqual(['gpt-x', 'other']);
        expect(await store.getModels([])).toEqual([]);
        const named = await store.getModelsByNames(['other', 'nobody', 'gpt-x', 'other']);
        expect(named.map((m) => m.id).sort((x, y) => x - y)).toEqual([created.id, other.id].sort((x, y) => x - y));
        expect(await store.getModelsByNames([])).toEqual([]);
      });

      it('a taken name is a DuplicateError and writes nothing', async () => {
        await store.createModel(modelInput('twin'));
        const revision = await store.dataRevision();
        const error = await store.createModel(modelInput('twin', { provider: 'openai' })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateError);
        expect((error as Error).message).toContain('twin');
        expect(await store.countModels({})).toBe(1);
        expect((await store.getModelByName('twin'))?.provider).toBe('simulated');
        expect(await store.dataRevision()).toBe(revision);
      });

      it('listModels pages by id (after, limit) and countModels counts the whole filter', async () => {
        const ids: number[] = [];
        for (let k = 0; k < 7; k++) ids.push((await store.createModel(modelInput(`model-${k}`))).id);
        const page1 = await store.listModels({}, null, 3);
        expect(page1.map((m) => m.id)).toEqual(ids.slice(0, 3));
        const page2 = await store.listModels({}, page1[2].id, 3);
        expect(page2.map((m) => m.id)).toEqual(ids.slice(3, 6));
        const page3 = await store.listModels({}, page2[2].id, 3);
        expect(page3.map((m) => m.id)).toEqual(ids.slice(6));
        expect(await store.listModels({}, ids[6], 3)).toEqual([]);
        expect(await store.countModels({})).toBe(7);
      });

      it('filters by provider, family, mode, name substring (case-insensitive, literal) and genome', async () => {
        const a = await store.createModel(modelInput('Llama-7B', { provider: 'openai', family: 'llama' }));
        const b = await store.createModel(
          modelInput('llama_13b', { provider: 'simulated', family: 'llama', mode: 'CHAT' }),
        );
        const c = await store.createModel(modelInput('mistral 100%', { provider: 'openai', family: 'mistral' }));
        const d = await store.createModel(modelInput('llamaX13b', { provider: 'simulated' }));
        const genome = await store.createGenome({ name: 'g', fingerprint: 'fp', genes: ['x'] });
        const other = await store.createGenome({ name: 'h', fingerprint: 'fp2', genes: ['y'] });
        await append(store, b.id, genome.id, [{ gene: 0, text: 'one' }]);
        await append(store, c.id, genome.id, [{ gene: 0, text: 'two' }]);
        await append(store, d.id, other.id, [{ gene: 0, text: 'three' }]);

        const names = async (filter: Parameters<Store['listModels']>[0]) => {
          const rows = await store.listModels(filter, null, 100);
          expect(await store.countModels(filter)).toBe(rows.length);
          return rows.map((m) => m.name);
        };
        expect(await names({ provider: 'openai' })).toEqual([a.name, c.name]);
        expect(await names({ family: 'llama' })).toEqual([a.name, b.name]);
        expect(await names({ mode: 'CHAT' })).toEqual([b.name]);
        expect(await names({ nameContains: 'LLAMA' })).toEqual([a.name, b.name, d.name]);
        // `_` and `%` are matched as themselves, not as wildcards
        expect(await names({ nameContains: '_13' })).toEqual([b.name]);
        expect(await names({ nameContains: '100%' })).toEqual([c.name]);
        expect(await names({ nameContains: '%' })).toEqual([c.name]);
        expect(await names({ genomeId: genome.id })).toEqual([b.name, c.name]);
        expect(await names({ genomeId: other.id, provider: 'simulated' })).toEqual([d.name]);
        expect(await names({ provider: 'openai', family: 'llama', mode: 'COMPLETION' })).toEqual([a.name]);
        expect(await names({ provider: 'nobody' })).toEqual([]);
        // pagination applies after the filter
        expect((await store.listModels({ family: 'llama' }, a.id, 10)).map((m) => m.name)).toEqual([b.name]);
      });

      it('deleteModel removes its samples, populations, scores and jobs, and nothing of other models', async () => {
        const { model, genome } = await modelAndGenome();
        const kept = await store.createModel(modelInput('kept'));
        for (const m of [model, kept]) {
          await append(store, m.id, genome.id, [
            { gene: 0, text: 'x' },
            { gene: 1, text: 'y' },
          ]);
          await store.createJob(job(m.id, genome.id));
        }
        await store.setScores([
          { modelId: model.id, benchmark: 'MMLU', value: 0.5 },
          { modelId: kept.id, benchmark: 'MMLU', value: 0.6 },
        ]);

        await store.deleteModel(model.id);

        expect(await store.getModel(model.id)).toBeUndefined();
        expect(await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 100)).toEqual([]);
        expect(await store.sampleTexts(model.id, genome.id)).toEqual([]);
        expect((await store.getPopulations(genome.id)).map((p) => p.modelId)).toEqual([kept.id]);
        expect((await store.scoresOf([model.id, kept.id])).map((s) => s.modelId)).toEqual([kept.id]);
        expect((await store.listJobs({}, null, 100)).map((j) => j.modelId)).toEqual([kept.id]);
        expect(await store.sampleTexts(kept.id, genome.id)).toHaveLength(2);
        expect(await store.getGenome(genome.id)).toBeDefined();
        // deleting what is not there is not an error
        await expect(store.deleteModel(model.id)).resolves.toBeUndefined();
      });
    });

    describe('genomes and genes', () => {
      it('createGenome stores a designed genome with its provenance; a plain one has none', async () => {
        const plain = await store.createGenome({ name: 'plain', fingerprint: 'p', genes: ['a', 'b', 'c'] });
        expect(plain.design).toBeNull();
        const design = JSON.stringify({
          fromGenomeId: plain.id,
          genes: [0, 2],
          method: 'greedy-spearman',
          spearman: 0.9,
        });
        const designed = await store.createGenome({ name: 'small', fingerprint: 's', genes: ['a', 'c'], design });
        expect(designed).toMatchObject({ name: 'small', geneCount: 2, design });
        expect(await store.getGenome(designed.id)).toEqual(designed);
        expect(await store.getGenomeByName('small')).toEqual(designed);
        expect(await store.geneTexts(designed.id)).toEqual(['a', 'c']);
      });

      it('createGenome stores the genes in order, readable by id, name, list and pages', async () => {
        const genes = ['first gene', 'second gene', 'third gene', 'fourth gene', 'fifth gene'];
        const genome = await store.createGenome({ name: 'g5', fingerprint: 'abc', genes });
        expect(genome).toMatchObject({ name: 'g5', fingerprint: 'abc', geneCount: 5 });
        expect(await store.getGenome(genome.id)).toEqual(genome);
        expect(await store.getGenomeByName('g5')).toEqual(genome);
        expect(await store.getGenome(genome.id + 1000)).toBeUndefined();
        expect(await store.getGenomeByName('nope')).toBeUndefined();
        const second = await store.createGenome({ name: 'g1', fingerprint: 'def', genes: ['only'] });
        expect((await store.listGenomes()).map((g) => g.name)).toEqual(['g5', 'g1']);

        expect(await store.geneTexts(genome.id)).toEqual(genes);
        expect(await store.geneTexts(second.id)).toEqual(['only']);
        expect(await store.listGenes(genome.id, null, 2)).toEqual([
          { index: 0, text: 'first gene' },
          { index: 1, text: 'second gene' },
        ]);
        expect(await store.listGenes(genome.id, 1, 2)).toEqual([
          { index: 2, text: 'third gene' },
          { index: 3, text: 'fourth gene' },
        ]);
        expect(await store.listGenes(genome.id, 4, 2)).toEqual([]);
      });

      it('keeps every gene of a large genome, in order', async () => {
        const genes = Array.from({ length: 4_500 }, (_, i) => `gene number ${i}`);
        const genome = await store.createGenome({ name: 'big', fingerprint: 'big', genes });
        expect(genome.geneCount).toBe(4_500);
        expect(await store.geneTexts(genome.id)).toEqual(genes);
        expect(await store.listGenes(genome.id, 4_497, 10)).toEqual([
          { index: 4_498, text: 'gene number 4498' },
          { index: 4_499, text: 'gene number 4499' },
        ]);
      });

      it('a taken name is a DuplicateError and leaves neither a genome nor genes behind', async () => {
        const first = await store.createGenome({ name: 'dup', fingerprint: 'one', genes: ['a'] });
        const revision = await store.dataRevision();
        const error = await store
          .createGenome({ name: 'dup', fingerprint: 'two', genes: ['b', 'c'] })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateError);
        expect((error as Error).message).toContain('dup');
        expect(await store.listGenomes()).toEqual([first]);
        expect(await store.geneTexts(first.id)).toEqual(['a']);
        expect(await store.dataRevision()).toBe(revision);
      });

      it('deleteGenome removes its genes, samples, populations, jobs and computations, keeping models', async () => {
        const { model, genome } = await modelAndGenome();
        const kept = await store.createGenome({ name: 'kept', fingerprint: 'k', genes: ['k0', 'k1'] });
        for (const g of [genome, kept]) {
          await append(store, model.id, g.id, [{ gene: 1, text: 'x' }]);
          await store.createJob(job(model.id, g.id));
          await store.putComputation(computation(`key-${g.id}`, g.id));
        }

        await store.deleteGenome(genome.id);

        expect(await store.getGenome(genome.id)).toBeUndefined();
        expect(await store.geneTexts(genome.id)).toEqual([]);
        expect(await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 100)).toEqual([]);
        expect(await store.getPopulations(genome.id)).toEqual([]);
        expect(await store.getComputation(`key-${genome.id}`)).toBeUndefined();
        expect((await store.listJobs({}, null, 100)).map((j) => j.genomeId)).toEqual([kept.id]);
        expect(await store.getModel(model.id)).toBeDefined();
        expect(await store.geneTexts(kept.id)).toEqual(['k0', 'k1']);
        expect(await store.sampleTexts(model.id, kept.id)).toEqual([{ gene: 1, text: 'x' }]);
        expect(await store.getComputation(`key-${kept.id}`)).toBeDefined();
        // the model no longer counts as having samples on the deleted genome
        expect(await store.countModels({ genomeId: genome.id })).toBe(0);
      });
    });

    describe('samples and populations', () => {
      it('numbers samples per gene from 0 and continues where the last append stopped', async () => {
        const { model, genome } = await modelAndGenome();
        const first = await append(store, model.id, genome.id, [
          { gene: 0, text: 'a0' },
          { gene: 0, text: 'a1' },
          { gene: 2, text: 'c0' },
        ]);
        expect(first).toMatchObject({ accepted: 3, rejected: 0 });
        await append(store, model.id, genome.id, [
          { gene: 0, text: 'a2' },
          { gene: 1, text: 'b0' },
        ]);
        const stored = await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 100);
        expect(stored.map((s) => [s.geneIndex, s.sampleIndex, s.text])).toEqual([
          [0, 0, 'a0'],
          [0, 1, 'a1'],
          [2, 0, 'c0'],
          [0, 2, 'a2'],
          [1, 0, 'b0'],
        ]);
        for (const s of stored) {
          expect(s).toMatchObject({ modelId: model.id, genomeId: genome.id, source: 'IMPORTED', jobId: null });
          expect(Number.isNaN(Date.parse(s.createdAt))).toBe(false);
        }
        const stats = await store.geneSampleStats(model.id, genome.id);
        expect(Object.fromEntries(stats)).toEqual({
          0: { count: 3, nextIndex: 3 },
          1: { count: 1, nextIndex: 1 },
          2: { count: 1, nextIndex: 1 },
        });
      });

      it('given sample indices make re-imports idempotent: stored ones are counted as rejected', async () => {
        const { model, genome } = await modelAndGenome();
        const batch: NewSample[] = [
          { gene: 0, text: 'a', sampleIndex: 0 },
          { gene: 0, text: 'b', sampleIndex: 1 },
          { gene: 1, text: 'c', sampleIndex: 0 },
        ];
        const first = await append(store, model.id, genome.id, batch);
        expect(first).toMatchObject({ accepted: 3, rejected: 0 });
        const revision = await store.dataRevision();

        const again = await append(store, model.id, genome.id, batch);
        expect(again.accepted).toBe(0);
        expect(again.rejected).toBe(3);
        // nothing changed: the population returned is the stored one, the revision stands still
        expect(again.population).toEqual(first.population);
        expect(await store.dataRevision()).toBe(revision);
        expect(await store.sampleTexts(model.id, genome.id)).toHaveLength(3);

        // a batch overlapping what is stored keeps the stored text and adds only the new index
        const mixed = await append(store, model.id, genome.id, [
          { gene: 0, text: 'changed', sampleIndex: 1 },
          { gene: 0, text: 'd', sampleIndex: 2 },
        ]);
        expect(mixed).toMatchObject({ accepted: 1, rejected: 1 });
        const gene0 = await store.listSamples({ modelId: model.id, genomeId: genome.id, gene: 0 }, null, 100);
        expect(gene0.map((s) => [s.sampleIndex, s.text])).toEqual([
          [0, 'a'],
          [1, 'b'],
          [2, 'd'],
        ]);
      });

      it('a gap in given indices is kept and the next free index follows the highest', async () => {
        const { model, genome } = await modelAndGenome();
        await append(store, model.id, genome.id, [{ gene: 1, text: 'late', sampleIndex: 5 }]);
        expect(Object.fromEntries(await store.geneSampleStats(model.id, genome.id))).toEqual({
          1: { count: 1, nextIndex: 6 },
        });
        await append(store, model.id, genome.id, [{ gene: 1, text: 'next' }]);
        const rows = await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 10);
        expect(rows.map((s) => s.sampleIndex)).toEqual([5, 6]);
      });

      it('updates the population in the same write: previous state in, inserted samples only', async () => {
        const { model, genome } = await modelAndGenome();
        const calls: { previous: unknown; inserted: { gene: number; text: string }[] }[] = [];
        const spying: AppendSamplesInput['updatePopulation'] = (previous, inserted) => {
          // only what the interface promises: each inserted sample's gene and text
          calls.push({ previous, inserted: inserted.map(({ gene, text }) => ({ gene, text })) });
          return countPerGene(previous, inserted);
        };
        const first = await append(
          store,
          model.id,
          genome.id,
          [
            { gene: 0, text: 'x', sampleIndex: 0 },
            { gene: 1, text: 'y', sampleIndex: 0 },
          ],
          { updatePopulation: spying },
        );
        expect(calls[0].previous).toBeNull();
        expect(calls[0].inserted).toEqual([
          { gene: 0, text: 'x' },
          { gene: 1, text: 'y' },
        ]);
        const ids = (await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 10)).map((s) => s.id);
        expect(first.population).toEqual({
          modelId: model.id,
          genomeId: genome.id,
          revision: Math.max(...ids),
          sampleCount: 2,
          alleleLength: 3,
          counts: JSON.stringify({ 0: 1, 1: 1 }),
        });

        const second = await append(
          store,
          model.id,
          genome.id,
          [
            { gene: 0, text: 'x', sampleIndex: 0 },
            { gene: 0, text: 'z', sampleIndex: 1 },
          ],
          { updatePopulation: spying },
        );
        expect(calls[1].previous).toEqual(first.population);
        expect(calls[1].inserted).toEqual([{ gene: 0, text: 'z' }]);
        expect(second.population).toMatchObject({ sampleCount: 3, counts: JSON.stringify({ 0: 2, 1: 1 }) });
        expect(second.population!.revision).toBeGreaterThan(first.population!.revision);
        expect(await store.getPopulations(genome.id)).toEqual([second.population]);
      });

      it('a failing population update stores no sample and changes nothing', async () => {
        const { model, genome } = await modelAndGenome();
        await append(store, model.id, genome.id, [{ gene: 0, text: 'kept' }]);
        const revision = await store.dataRevision();
        const before = await store.getPopulations(genome.id);
        const failing = append(store, model.id, genome.id, [{ gene: 1, text: 'lost' }], {
          updatePopulation: () => {
            throw new Error('counting failed');
          },
        });
        await expect(failing).rejects.toThrow('counting failed');
        expect(await store.sampleTexts(model.id, genome.id)).toEqual([{ gene: 0, text: 'kept' }]);
        expect(await store.getPopulations(genome.id)).toEqual(before);
        expect(await store.dataRevision()).toBe(revision);
      });

      it('samples of an unknown model, genome or gene are refused whole: nothing stored, nothing counted', async () => {
        const { model, genome } = await modelAndGenome();
        await append(store, model.id, genome.id, [{ gene: 0, text: 'kept' }]);
        const revision = await store.dataRevision();
        const before = await store.getPopulations(genome.id);
        const missingModel = model.id + 100;
        const missingGenome = genome.id + 100;
        for (const [modelId, genomeId, gene] of [
          [missingModel, genome.id, 0],
          [model.id, missingGenome, 0],
          // gene 3 is one past the genome's last gene; the valid first sample must not stay behind
          [model.id, genome.id, 3],
        ]) {
          await expect(
            append(store, modelId, genomeId, [
              { gene: 0, text: 'lost' },
              { gene, text: 'lost' },
            ]),
          ).rejects.toThrow();
        }
        expect(await store.sampleTexts(model.id, genome.id)).toEqual([{ gene: 0, text: 'kept' }]);
        expect(await store.sampleTexts(missingModel, genome.id)).toEqual([]);
        expect(await store.getPopulations(genome.id)).toEqual(before);
        expect(await store.dataRevision()).toBe(revision);
      });

      it("records a job's request and advances its counters with the samples", async () => {
        const { model, genome } = await modelAndGenome();
        const created = await store.createJob(job(model.id, genome.id));
        const request = {
          jobId: created.id,
          gene: 0,
          samples: 2,
          promptTokens: 10,
          completionTokens: 6,
          costUsd: 0.25,
        };
        const result = await append(
          store,
          model.id,
          genome.id,
          [
            { gene: 0, text: 'p', sampleIndex: 0 },
            { gene: 0, text: 'q', sampleIndex: 1 },
          ],
          { source: 'PROBED', jobId: created.id, request },
        );
        expect(result.accepted).toBe(2);
        expect(await store.getJob(created.id)).toMatchObject({
          completed: 2,
          requests: 1,
          promptTokens: 10,
          completionTokens: 6,
          costUsd: 0.25,
        });
        const stored = await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 10);
        expect(stored.every((s) => s.source === 'PROBED' && s.jobId === created.id)).toBe(true);

        // a repeated request is paid for and counted as a request, but adds no completed sample
        await append(store, model.id, genome.id, [{ gene: 0, text: 'p', sampleIndex: 0 }], {
          source: 'PROBED',
          jobId: created.id,
          request: { ...request, samples: 1, promptTokens: 5, completionTokens: 3, costUsd: 0.5 },
        });
        expect(await store.getJob(created.id)).toMatchObject({
          completed: 2,
          requests: 2,
          promptTokens: 15,
          completionTokens: 9,
          costUsd: 0.75,
        });
      });

      it('listSamples filters by gene and pages by id; sampleTexts returns every (gene, text)', async () => {
        const { model, genome } = await modelAndGenome();
        const other = await store.createModel(modelInput('other'));
        const samples = Array.from({ length: 9 }, (_, k) => ({ gene: k % 3, text: `t${k}` }));
        await append(store, model.id, genome.id, samples);
        await append(store, other.id, genome.id, [{ gene: 0, text: 'not mine' }]);

        const all = await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 100);
        expect(all.map((s) => s.text)).toEqual(samples.map((s) => s.text));
        const ids = all.map((s) => s.id);
        expect([...ids].sort((a, b) => a - b)).toEqual(ids);
        const page = await store.listSamples({ modelId: model.id, genomeId: genome.id }, ids[3], 4);
        expect(page.map((s) => s.id)).toEqual(ids.slice(4, 8));
        const gene2 = await store.listSamples({ modelId: model.id, genomeId: genome.id, gene: 2 }, null, 100);
        expect(gene2.map((s) => s.text)).toEqual(['t2', 't5', 't8']);
        const gene2After = await store.listSamples({ modelId: model.id, genomeId: genome.id, gene: 2 }, gene2[0].id, 1);
        expect(gene2After.map((s) => s.text)).toEqual(['t5']);

        const texts = await store.sampleTexts(model.id, genome.id);
        const key = (s: { gene: number; text: string }) => `${s.gene}:${s.text}`;
        expect(texts.map(key).sort()).toEqual(samples.map(key).sort());
        expect(await store.sampleTexts(other.id, genome.id)).toEqual([{ gene: 0, text: 'not mine' }]);
        expect(await store.geneSampleStats(model.id, genome.id + 1000)).toEqual(new Map());
      });

      it('getPopulations and populationRevisions list models by id, optionally only some', async () => {
        const genome = await store.createGenome({ name: 'g', fingerprint: 'fp', genes: ['a', 'b'] });
        const models = [];
        for (const name of ['m1', 'm2', 'm3']) models.push(await store.createModel(modelInput(name)));
        // appended out of id order
        for (const m of [models[2], models[0], models[1]])
          await append(store, m.id, genome.id, [{ gene: 0, text: m.name }]);
        await append(store, models[0].id, genome.id, [{ gene: 1, text: 'more' }]);

        const populations = await store.getPopulations(genome.id);
        expect(populations.map((p) => [p.modelId, p.sampleCount])).toEqual([
          [models[0].id, 2],
          [models[1].id, 1],
          [models[2].id, 1],
        ]);
        const revisions = await store.populationRevisions(genome.id);
        expect(revisions).toEqual(
          populations.map((p) => ({ modelId: p.modelId, revision: p.revision, sampleCount: p.sampleCount })),
        );
        const some = [models[2].id, models[0].id];
        expect((await store.getPopulations(genome.id, some)).map((p) => p.modelId)).toEqual([
          models[0].id,
          models[2].id,
        ]);
        expect((await store.populationRevisions(genome.id, some)).map((p) => p.modelId)).toEqual([
          models[0].id,
          models[2].id,
        ]);
        expect(await store.getPopulations(genome.id + 1000)).toEqual([]);
        // the revision is the newest sample counted: a new sample moves it, nothing else does
        const before = revisions[0].revision;
        await append(store, models[1].id, genome.id, [{ gene: 1, text: 'x' }]);
        expect((await store.populationRevisions(genome.id, [models[0].id]))[0].revision).toBe(before);
        await append(store, models[0].id, genome.id, [{ gene: 1, text: 'y' }]);
        expect((await store.populationRevisions(genome.id, [models[0].id]))[0].revision).toBeGreaterThan(before);
      });
    });

    describe('transactions and numbers', () => {
      it('appends to one population at once are applied one after another: no sample or count lost', async () => {
        const { model, genome } = await modelAndGenome();
        const writes = Array.from({ length: 12 }, (_, k) =>
          append(store, model.id, genome.id, [
            { gene: k % 3, text: `a${k}` },
            { gene: (k + 1) % 3, text: `b${k}` },
          ]),
        );
        const results = await Promise.all(writes);
        expect(results.every((r) => r.accepted === 2)).toBe(true);
        const [population] = await store.getPopulations(genome.id);
        expect(population.sampleCount).toBe(24);
        expect(JSON.parse(population.counts)).toEqual({ 0: 8, 1: 8, 2: 8 });
        const stats = await store.geneSampleStats(model.id, genome.id);
        expect([...stats.values()]).toEqual([
          { count: 8, nextIndex: 8 },
          { count: 8, nextIndex: 8 },
          { count: 8, nextIndex: 8 },
        ]);
        const ids = (await store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 100)).map((s) => s.id);
        expect(population.revision).toBe(Math.max(...ids));
      });

      it('floats read back bit for bit (binary64), in models, scores and job costs', async () => {
        const awkward = [0.1 + 0.2, 1 / 3, Math.PI, 5e-324, 1 - Number.EPSILON / 2, 123456789.12345679];
        const model = await store.createModel(modelInput('f', { temperature: awkward[0], topP: awkward[1] }));
        expect(await store.getModel(model.id)).toMatchObject({ temperature: awkward[0], topP: awkward[1] });
        await store.setScores(awkward.map((value, k) => ({ modelId: model.id, benchmark: `b${k}`, value })));
        const read = await store.scoresOf([model.id]);
        expect(Object.fromEntries(read.map((s) => [s.benchmark, s.value]))).toEqual(
          Object.fromEntries(awkward.map((v, k) => [`b${k}`, v])),
        );
        const genome = await store.createGenome({ name: 'g', fingerprint: 'g', genes: ['a'] });
        const created = await store.createJob(job(model.id, genome.id));
        for (const costUsd of [0.1, 0.2])
          await append(store, model.id, genome.id, [{ gene: 0, text: String(costUsd) }], {
            source: 'PROBED',
            jobId: created.id,
            request: { jobId: created.id, gene: 0, samples: 1, promptTokens: 1, completionTokens: 1, costUsd },
          });
        expect((await store.getJob(created.id))!.costUsd).toBe(0.1 + 0.2);
      });
    });

    describe('scores', () => {
      it('setScores inserts or replaces one score per model and benchmark', async () => {
        const a = await store.createModel(modelInput('a'));
        const b = await store.createModel(modelInput('b'));
        const written = await store.setScores([
          { modelId: b.id, benchmark: 'MMLU', value: 0.4 },
          { modelId: a.id, benchmark: 'MMLU', value: 0.5 },
          { modelId: a.id, benchmark: 'ARC', value: 0.25 },
        ]);
        expect(written.map((s) => [s.modelId, s.benchmark, s.value])).toEqual([
          [b.id, 'MMLU', 0.4],
          [a.id, 'MMLU', 0.5],
          [a.id, 'ARC', 0.25],
        ]);
        written.forEach((s) => expect(Number.isNaN(Date.parse(s.updatedAt))).toBe(false));

        await store.setScores([{ modelId: a.id, benchmark: 'MMLU', value: 0.75 }]);
        expect((await store.scoresOf([b.id, a.id])).map((s) => [s.modelId, s.benchmark, s.value])).toEqual([
          [a.id, 'ARC', 0.25],
          [a.id, 'MMLU', 0.75],
          [b.id, 'MMLU', 0.4],
        ]);
        expect((await store.scoresFor('MMLU')).map((s) => [s.modelId, s.value])).toEqual([
          [a.id, 0.75],
          [b.id, 0.4],
        ]);
        expect(await store.scoresFor('HellaSwag')).toEqual([]);
        expect(await store.scoresOf([])).toEqual([]);
        expect(await store.benchmarkNames()).toEqual(['ARC', 'MMLU']);
      });

      it("setScores stores declared ranges with the scores, replacing a benchmark's earlier range", async () => {
        const a = await store.createModel(modelInput('a'));
        expect(await store.benchmarkRanges()).toEqual([]);
        await store.setScores(
          [{ modelId: a.id, benchmark: 'Elo', value: 1210 }],
          [
            { benchmark: 'Elo', low: 0, high: 3000 },
            { benchmark: 'PCT', low: 0, high: 100 },
          ],
        );
        await store.setScores([{ modelId: a.id, benchmark: 'Elo', value: 1300 }]);
        expect(await store.benchmarkRanges()).toEqual([
          { benchmark: 'Elo', low: 0, high: 3000 },
          { benchmark: 'PCT', low: 0, high: 100 },
        ]);
        const revision = await store.dataRevision();
        await store.setScores([], [{ benchmark: 'PCT', low: -1, high: 101 }]);
        expect(await store.dataRevision()).toBeGreaterThan(revision);
        expect((await store.benchmarkRanges())[1]).toEqual({ benchmark: 'PCT', low: -1, high: 101 });
        expect((await store.scoresFor('Elo')).map((s) => s.value)).toEqual([1300]);
      });
    });

    describe('jobs', () => {
      it('createJob stores a queued job with empty counters; getJob and listJobs read it', async () => {
        const { model, genome } = await modelAndGenome();
        const created = await store.createJob(job(model.id, genome.id));
        expect(created).toMatchObject({
          modelId: model.id,
          genomeId: genome.id,
          samplesPerGene: 4,
          maxTokens: 8,
          status: 'QUEUED',
          completed: 0,
          total: 12,
          error: null,
          warnings: '[]',
          collapsed: false,
          requests: 0,
          promptTokens: 0,
          completionTokens: 0,
          costUsd: 0,
          owner: null,
          leaseUntil: null,
          batch: null,
          adaptive: null,
          adaptiveReport: null,
          startedAt: null,
          finishedAt: null,
        });
        expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
        expect(await store.getJob(created.id)).toEqual(created);
        expect(await store.getJob(created.id + 1000)).toBeUndefined();
      });

      it("a batch job's state is stored with it and replaced by updateJob (issue 13, batch APIs)", async () => {
        const { model, genome } = await modelAndGenome();
        const state = JSON.stringify({ submitted: 0, current: null });
        const created = await store.createJob({ ...job(model.id, genome.id), batch: state });
        expect(created.batch).toBe(state);
        const inFlight = JSON.stringify({ submitted: 1, current: { id: 'batch_1', requests: [[0, 0, 4]] } });
        const updated = await store.updateJob(created.id, { batch: inFlight, status: 'RUNNING' });
        expect(updated).toMatchObject({ batch: inFlight, status: 'RUNNING' });
        expect((await store.getJob(created.id))?.batch).toBe(inFlight);
        expect((await store.updateJob(created.id, { completed: 1 })).batch).toBe(inFlight);
      });

      it('an adaptive job keeps its settings, and its report is patched like any field', async () => {
        const { model, genome } = await modelAndGenome();
        const settings = JSON.stringify({
          firstRound: 8,
          targetStandardError: 0,
          placementConfidence: 0.95,
          replicates: 100,
        });
        const created = await store.createJob({ ...job(model.id, genome.id), adaptive: settings });
        expect(created).toMatchObject({ adaptive: settings, adaptiveReport: null });
        const report = JSON.stringify({ rounds: [{ samplesPerGene: 8, reason: 'PLACEMENT' }], stoppedAt: 8 });
        const updated = await store.updateJob(created.id, { adaptiveReport: report });
        expect(updated).toMatchObject({ adaptive: settings, adaptiveReport: report, status: 'QUEUED' });
        expect(await store.getJob(created.id)).toEqual(updated);
      });

      it('listJobs filters by status, model and genome and pages by id', async () => {
        const { model, genome } = await modelAndGenome();
        const other = await store.createModel(modelInput('other'));
        const otherGenome = await store.createGenome({ name: 'h', fingerprint: 'h', genes: ['h'] });
        const j1 = await store.createJob(job(model.id, genome.id));
        const j2 = await store.createJob(job(other.id, genome.id));
        const j3 = await store.createJob(job(model.id, otherGenome.id));
        const j4 = await store.createJob(job(model.id, genome.id));
        await store.updateJob(j2.id, { status: 'SUCCEEDED' });
        await store.updateJob(j3.id, { status: 'FAILED', error: 'boom' });

        const ids = async (filter: Parameters<Store['listJobs']>[0], after: number | null = null, limit = 100) =>
          (await store.listJobs(filter, after, limit)).map((j) => j.id);
        expect(await ids({})).toEqual([j1.id, j2.id, j3.id, j4.id]);
        expect(await ids({}, j1.id, 2)).toEqual([j2.id, j3.id]);
        expect(await ids({ statuses: ['QUEUED'] })).toEqual([j1.id, j4.id]);
        expect(await ids({ statuses: ['SUCCEEDED', 'FAILED'] })).toEqual([j2.id, j3.id]);
        expect(await ids({ modelId: model.id })).toEqual([j1.id, j3.id, j4.id]);
        expect(await ids({ genomeId: genome.id })).toEqual([j1.id, j2.id, j4.id]);
        expect(await ids({ modelId: model.id, genomeId: genome.id, statuses: ['QUEUED'] }, j1.id)).toEqual([j4.id]);
      });

      it('updateJob applies a patch and returns the new row; an unknown job is an error', async () => {
        const { model, genome } = await modelAndGenome();
        const created = await store.createJob(job(model.id, genome.id));
        const updated = await store.updateJob(created.id, {
          status: 'FAILED',
          error: 'provider refused',
          warnings: JSON.stringify(['slow']),
          collapsed: true,
          completed: 5,
          finishedAt: '2025-01-02T03:04:05.000Z',
        });
        expect(updated).toMatchObject({
          id: created.id,
          status: 'FAILED',
          error: 'provider refused',
          warnings: '["slow"]',
          collapsed: true,
          completed: 5,
          finishedAt: '2025-01-02T03:04:05.000Z',
          total: 12,
        });
        expect(await store.getJob(created.id)).toEqual(updated);
        await expect(store.updateJob(created.id + 1000, { status: 'CANCELLED' })).rejects.toThrow();
      });
    });

    describe('job leases', () => {
      const T = 1_000_000;

      async function queuedJob() {
        const { model, genome } = await modelAndGenome();
        return store.createJob(job(model.id, genome.id));
      }

      it('a claim takes a queued job: running, owned, leased, started at the claim time', async () => {
        const created = await queuedJob();
        const claimed = await store.claimJob(created.id, 'A', T, T + 500);
        expect(claimed).toMatchObject({ id: created.id, status: 'RUNNING', owner: 'A', leaseUntil: T + 500 });
        expect(claimed!.startedAt).toBe(new Date(T).toISOString());
        expect(await store.getJob(created.id)).toEqual(claimed);
      });

      it('nobody else can claim a job while its lease is live; the owner can claim again', async () => {
        const created = await queuedJob();
        await store.claimJob(created.id, 'A', T, T + 500);
        expect(await store.claimJob(created.id, 'B', T + 499, T + 999)).toBeUndefined();
        expect(await store.getJob(created.id)).toMatchObject({ owner: 'A', leaseUntil: T + 500 });
        expect(await store.claimJob(created.id, 'A', T + 100, T + 600)).toMatchObject({
          owner: 'A',
          leaseUntil: T + 600,
        });
      });

      it('two owners claiming at once: exactly one gets the job', async () => {
        const created = await queuedJob();
        const [a, b] = await Promise.all([
          store.claimJob(created.id, 'A', T, T + 500),
          store.claimJob(created.id, 'B', T, T + 500),
        ]);
        expect([a, b].filter((x) => x !== undefined)).toHaveLength(1);
        const winner = (a ?? b)!.owner;
        expect((await store.getJob(created.id))!.owner).toBe(winner);
      });

      it('an expired lease lets another owner take the job over, keeping the first start time', async () => {
        const created = await queuedJob();
        await store.claimJob(created.id, 'A', T, T + 500);
        const taken = await store.claimJob(created.id, 'B', T + 501, T + 1_000);
        expect(taken).toMatchObject({ owner: 'B', leaseUntil: T + 1_000, status: 'RUNNING' });
        expect(taken!.startedAt).toBe(new Date(T).toISOString());
        // the old owner has lost it: renewing fails and its claim is refused while B's lease lives
        expect(await store.renewJobLease(created.id, 'A', T + 2_000)).toBe(false);
        expect(await store.claimJob(created.id, 'A', T + 600, T + 1_100)).toBeUndefined();
        expect(await store.getJob(created.id)).toMatchObject({ owner: 'B', leaseUntil: T + 1_000 });
      });

      it('the owner renews its lease; renewing by anyone else, or a finished job, fails', async () => {
        const created = await queuedJob();
        await store.claimJob(created.id, 'A', T, T + 500);
        expect(await store.renewJobLease(created.id, 'A', T + 900)).toBe(true);
        expect((await store.getJob(created.id))!.leaseUntil).toBe(T + 900);
        // renewed: B's claim at a time past the first lease is still refused
        expect(await store.claimJob(created.id, 'B', T + 600, T + 1_200)).toBeUndefined();
        expect(await store.renewJobLease(created.id, 'B', T + 5_000)).toBe(false);
        expect((await store.getJob(created.id))!.leaseUntil).toBe(T + 900);
        expect(await store.renewJobLease(created.id + 1000, 'A', T + 5_000)).toBe(false);

        await store.updateJob(created.id, { status: 'SUCCEEDED' });
        expect(await store.renewJobLease(created.id, 'A', T + 5_000)).toBe(false);
      });

      it('release lets another owner claim at once; a release by a non-owner changes nothing', async () => {
        const created = await queuedJob();
        await store.claimJob(created.id, 'A', T, T + 10_000);
        await store.releaseJob(created.id, 'B');
        expect(await store.getJob(created.id)).toMatchObject({ owner: 'A', leaseUntil: T + 10_000 });
        expect(await store.claimJob(created.id, 'B', T + 1, T + 500)).toBeUndefined();

        await store.releaseJob(created.id, 'A');
        expect(await store.getJob(created.id)).toMatchObject({ owner: null, leaseUntil: null });
        expect(await store.claimJob(created.id, 'B', T + 2, T + 500)).toMatchObject({ owner: 'B', status: 'RUNNING' });
      });

      it('finished jobs cannot be claimed', async () => {
        const created = await queuedJob();
        for (const status of ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const) {
          await store.updateJob(created.id, { status });
          expect(await store.claimJob(created.id, 'A', T, T + 500)).toBeUndefined();
          expect((await store.getJob(created.id))!.status).toBe(status);
        }
        expect(await store.claimJob(created.id + 1000, 'A', T, T + 500)).toBeUndefined();
      });
    });

    describe('computations', () => {
      it('putComputation stores a payload by key; a second put replaces it', async () => {
        const { genome } = await modelAndGenome();
        await store.putComputation(computation('k1', genome.id, 'tree/v1', 'first'));
        const row = await store.getComputation('k1');
        expect(row).toMatchObject({ key: 'k1', kind: 'tree/v1', genomeId: genome.id, dependencies: '[[1,1]]' });
        expect(Buffer.from(row!.payload).toString()).toBe('first');
        expect(Number.isNaN(Date.parse(row!.usedAt))).toBe(false);
        expect(await store.getComputation('missing')).toBeUndefined();

        const bytes = Buffer.from([0, 255, 1, 254, 0]);
        await store.putComputation({ ...computation('k1', genome.id, 'tree/v1'), payload: bytes });
        expect(Buffer.compare(Buffer.from((await store.getComputation('k1'))!.payload), bytes)).toBe(0);
      });

      it('a payload larger than one part reads back whole; a shorter one replaces it whole; a delete drops it', async () => {
        const { genome } = await modelAndGenome();
        const P = TEST_COMPUTATION_PART_BYTES;
        // several parts and a short last one, exactly one part, none at all
        for (const bytes of [4 * P + 17, P, 0, 3 * P]) {
          const payload = patterned(bytes);
          await store.putComputation({ ...computation(`k${bytes}`, genome.id), payload });
          const row = await store.getComputation(`k${bytes}`);
          expect(row!.payload.length).toBe(bytes);
          expect(Buffer.compare(Buffer.from(row!.payload), payload)).toBe(0);
          await nextMillisecond();
        }
        const [recent] = await store.recentComputations(genome.id, 'distances/v1', 1);
        expect(recent.key).toBe(`k${3 * P}`);
        expect(Buffer.compare(Buffer.from(recent.payload), patterned(3 * P))).toBe(0);

        // a second put under the key leaves nothing of the first one's later parts
        const shorter = Buffer.from('short');
        await store.putComputation({ ...computation(`k${4 * P + 17}`, genome.id), payload: shorter });
        expect(Buffer.from((await store.getComputation(`k${4 * P + 17}`))!.payload).toString()).toBe('short');
        const longer = patterned(2 * P + 1).reverse();
        await store.putComputation({ ...computation(`k${P}`, genome.id), payload: longer });
        expect(Buffer.compare(Buffer.from((await store.getComputation(`k${P}`))!.payload), longer)).toBe(0);

        await store.deleteComputations([`k${P}`]);
        expect(await store.getComputation(`k${P}`)).toBeUndefined();
        await store.putComputation({ ...computation(`k${P}`, genome.id), payload: shorter });
        expect(Buffer.from((await store.getComputation(`k${P}`))!.payload).toString()).toBe('short');
      });

      it('recentComputations and computationIndex list one kind on one genome, most recently used first', async () => {
        const { genome } = await modelAndGenome();
        const other = await store.createGenome({ name: 'h', fingerprint: 'h', genes: ['h'] });
        for (const key of ['old', 'mid', 'new']) {
          await store.putComputation(computation(key, genome.id));
          await nextMillisecond();
        }
        await store.putComputation(computation('other-kind', genome.id, 'tree/v1'));
        await store.putComputation(computation('other-genome', other.id));

        expect((await store.recentComputations(genome.id, 'distances/v1', 10)).map((c) => c.key)).toEqual([
          'new',
          'mid',
          'old',
        ]);
        expect((await store.recentComputations(genome.id, 'distances/v1', 2)).map((c) => c.key)).toEqual([
          'new',
          'mid',
        ]);
        expect(await store.computationIndex(genome.id, 'distances/v1')).toEqual([
          { key: 'new', dependencies: '[[1,1]]' },
          { key: 'mid', dependencies: '[[1,1]]' },
          { key: 'old', dependencies: '[[1,1]]' },
        ]);

        await nextMillisecond();
        await store.touchComputation('old');
        expect((await store.recentComputations(genome.id, 'distances/v1', 1)).map((c) => c.key)).toEqual(['old']);
        expect((await store.computationIndex(genome.id, 'distances/v1')).map((c) => c.key)).toEqual([
          'old',
          'new',
          'mid',
        ]);
        // touching a missing key is harmless
        await expect(store.touchComputation('missing')).resolves.toBeUndefined();
      });

      it('deleteComputations removes exactly the given keys', async () => {
        const { genome } = await modelAndGenome();
        for (const key of ['a', 'b', 'c']) await store.putComputation(computation(key, genome.id));
        await store.deleteComputations(['a', 'c', 'missing']);
        await store.deleteComputations([]);
        expect((await store.computationIndex(genome.id, 'distances/v1')).map((c) => c.key)).toEqual(['b']);
      });

      it('claimComputation: one live claim per key; the holder may renew; expiry or release frees it', async () => {
        const T = 1_000_000;
        const revision = await store.dataRevision();
        expect(await store.claimComputation('k', 'A', T, T + 100)).toBe(true);
        expect(await store.claimComputation('k', 'B', T + 50, T + 150)).toBe(false);
        // another key is another claim
        expect(await store.claimComputation('other', 'B', T + 50, T + 150)).toBe(true);
        // the holder renews; the renewed claim holds past the first one's end
        expect(await store.claimComputation('k', 'A', T + 60, T + 300)).toBe(true);
        expect(await store.claimComputation('k', 'B', T + 200, T + 400)).toBe(false);
        // expired (A died): B takes it over, and A no longer holds it
        expect(await store.claimComputation('k', 'B', T + 301, T + 500)).toBe(true);
        expect(await store.claimComputation('k', 'A', T + 302, T + 600)).toBe(false);
        // a release by a non-holder changes nothing; the holder's release frees it at once
        await store.releaseComputation('k', 'A');
        expect(await store.claimComputation('k', 'C', T + 303, T + 700)).toBe(false);
        await store.releaseComputation('k', 'B');
        expect(await store.claimComputation('k', 'C', T + 304, T + 700)).toBe(true);
        await store.releaseComputation('missing', 'A');
        // claims are not data
        expect(await store.dataRevision()).toBe(revision);
      });

      it('claimComputation: of several claiming one key at once, exactly one wins', async () => {
        const T = 2_000_000;
        const wins = await Promise.all(
          ['A', 'B', 'C', 'D'].map((owner) => store.claimComputation('same', owner, T, T + 1_000)),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('data revision', () => {
      /** Runs a write and reports whether the data revision moved, and that it only ever grows. */
      async function bumps(write: () => Promise<unknown>): Promise<boolean> {
        const before = await store.dataRevision();
        await write();
        const after = await store.dataRevision();
        expect(after).toBeGreaterThanOrEqual(before);
        return after > before;
      }

      it('the populations revision moves with every change to populations, and only then', async () => {
        const moves = async (write: () => Promise<unknown>) => {
          const before = await store.populationsRevision();
          await write();
          const after = await store.populationsRevision();
          expect(after).toBeGreaterThanOrEqual(before);
          return after > before;
        };
        const model = await store.createModel(modelInput('first'));
        const other = await store.createModel(modelInput('second'));
        const genome = await store.createGenome({ name: 'g', fingerprint: 'g', genes: ['a'] });
        const spare = await store.createGenome({ name: 'h', fingerprint: 'h', genes: ['a'] });
        expect(await moves(() => append(store, model.id, genome.id, [{ gene: 0, text: 'x' }]))).toBe(true);
        expect(await moves(() => append(store, other.id, spare.id, [{ gene: 0, text: 'y' }]))).toBe(true);
        expect(await moves(() => store.createModel(modelInput('third')))).toBe(false);
        expect(await moves(() => store.setScores([{ modelId: model.id, benchmark: 'B', value: 1 }]))).toBe(false);
        expect(await moves(() => store.createJob(job(model.id, genome.id)))).toBe(false);
        expect(await moves(() => store.deleteModel(model.id))).toBe(true);
        expect(await moves(() => store.deleteGenome(spare.id))).toBe(true);
      });

      it('every write to user data moves it forward', async () => {
        const model = await store.createModel(modelInput('first'));
        expect(await bumps(() => store.createModel(modelInput('second')))).toBe(true);
        let genomeId = 0;
        expect(
          await bumps(async () => {
            genomeId = (await store.createGenome({ name: 'g', fingerprint: 'g', genes: ['a'] })).id;
          }),
        ).toBe(true);
        expect(await bumps(() => append(store, model.id, genomeId, [{ gene: 0, text: 'x' }]))).toBe(true);
        expect(await bumps(() => store.setScores([{ modelId: model.id, benchmark: 'B', value: 1 }]))).toBe(true);
        let jobId = 0;
        expect(
          await bumps(async () => {
            jobId = (await store.createJob(job(model.id, genomeId))).id;
          }),
        ).toBe(true);
        // a claim changes the job's visible status, so answers cached on the revision must go
        expect(await bumps(() => store.claimJob(jobId, 'A', 1, 2))).toBe(true);
        expect(await bumps(() => store.updateJob(jobId, { status: 'SUCCEEDED' }))).toBe(true);
        expect(await bumps(() => store.deleteModel(model.id))).toBe(true);
        expect(await bumps(() => store.deleteGenome(genomeId))).toBe(true);
      });

      it('reads and derived caches (computations) leave it where it is', async () => {
        const { model, genome } = await modelAndGenome();
        await append(store, model.id, genome.id, [{ gene: 0, text: 'x' }]);
        expect(await bumps(() => store.putComputation(computation('k', genome.id)))).toBe(false);
        expect(await bumps(() => store.putComputation(computation('k', genome.id, 'distances/v1', 'again')))).toBe(
          false,
        );
        expect(await bumps(() => store.touchComputation('k'))).toBe(false);
        expect(await bumps(() => store.getComputation('k'))).toBe(false);
        expect(await bumps(() => store.recentComputations(genome.id, 'distances/v1', 5))).toBe(false);
        expect(await bumps(() => store.computationIndex(genome.id, 'distances/v1'))).toBe(false);
        expect(await bumps(() => store.deleteComputations(['k']))).toBe(false);
        expect(await bumps(() => store.listModels({}, null, 10))).toBe(false);
        expect(await bumps(() => store.countModels({}))).toBe(false);
        expect(await bumps(() => store.listSamples({ modelId: model.id, genomeId: genome.id }, null, 10))).toBe(false);
        expect(await bumps(() => store.getPopulations(genome.id))).toBe(false);
        expect(await bumps(() => store.geneSampleStats(model.id, genome.id))).toBe(false);
      });
    });

    describe('schedules, rounds and drift alerts', () => {
      const schedule = (modelId: number, genomeId: number, every = 'PT1H') => ({
        modelId,
        genomeId,
        every,
        everyMs: 3_600_000,
        samplesPerGene: 4,
        nextAt: 1_700_000_000_000,
      });

      it('putSchedule stores one schedule per model and genome, replacing it but keeping its checked round', async () => {
        const { model, genome } = await modelAndGenome();
        const first = await store.putSchedule(schedule(model.id, genome.id));
        expect(first).toMatchObject({
          every: 'PT1H',
          everyMs: 3_600_000,
          nextAt: 1_700_000_000_000,
          checkedJobId: null,
        });
        await store.updateSchedule(first.id, { checkedJobId: 7, nextAt: 1_800_000_000_000 });
        const replaced = await store.putSchedule({ ...schedule(model.id, genome.id, 'PT2H'), everyMs: 7_200_000 });
        expect(replaced.id).toBe(first.id);
        expect(await store.listSchedules()).toEqual([
          expect.objectContaining({ id: first.id, every: 'PT2H', everyMs: 7_200_000, checkedJobId: 7 }),
        ]);
      });

      it('claimScheduleRound moves a due schedule on for exactly one of several claimants', async () => {
        const { model, genome } = await modelAndGenome();
        const row = await store.putSchedule(schedule(model.id, genome.id));
        const claims = await Promise.all(
          [1, 2, 3].map((k) => store.claimScheduleRound(row.id, row.nextAt, row.nextAt + k * 1000)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        const won = claims.indexOf(true) + 1;
        expect((await store.listSchedules())[0].nextAt).toBe(row.nextAt + won * 1000);
        // a claimant that read the schedule before the move loses too
        expect(await store.claimScheduleRound(row.id, row.nextAt, row.nextAt + 9000)).toBe(false);
        expect(await store.claimScheduleRound(row.id + 1000, row.nextAt, 1)).toBe(false);
      });

      it('deleteSchedule says whether there was one, and a deleted model takes its schedule along', async () => {
        const { model, genome } = await modelAndGenome();
        const other = await store.createModel(modelInput('other'));
        await store.putSchedule(schedule(model.id, genome.id));
        await store.putSchedule(schedule(other.id, genome.id));
        const revision = await store.dataRevision();
        expect(await store.deleteSchedule(model.id, genome.id)).toBe(true);
        expect(await store.dataRevision()).toBeGreaterThan(revision);
        expect(await store.deleteSchedule(model.id, genome.id)).toBe(false);
        await store.deleteModel(other.id);
        expect(await store.listSchedules()).toEqual([]);
      });

      it('addDriftAlert records one alert per pair of rounds; listDriftAlerts filters, newest first', async () => {
        const { model, genome } = await modelAndGenome();
        const other = await store.createModel(modelInput('other'));
        const alert = {
          modelId: model.id,
          genomeId: genome.id,
          fromJobId: 1,
          toJobId: 2,
          distance: 0.1,
          pValue: 0.001,
        };
        const first = await store.addDriftAlert(alert);
        expect(first).toMatchObject(alert);
        expect(await store.addDriftAlert({ ...alert, distance: 0.5 })).toBeUndefined();
        await store.addDriftAlert({ ...alert, fromJobId: 2, toJobId: 3 });
        await store.addDriftAlert({ ...alert, modelId: other.id, fromJobId: 8, toJobId: 9 });
        const mine = await store.listDriftAlerts({ modelId: model.id }, 10);
        expect(mine.map((a) => [a.fromJobId, a.toJobId])).toEqual([
          [2, 3],
          [1, 2],
        ]);
        expect(await store.listDriftAlerts({}, 2)).toHaveLength(2);
        expect(await store.listDriftAlerts({ genomeId: genome.id }, 10)).toHaveLength(3);
      });

      it("jobSampleTexts gives one job's samples only", async () => {
        const { model, genome } = await modelAndGenome();
        const j1 = await store.createJob(job(model.id, genome.id));
        const j2 = await store.createJob(job(model.id, genome.id));
        await append(store, model.id, genome.id, [{ gene: 0, text: 'one', sampleIndex: 0 }], {
          source: 'PROBED',
          jobId: j1.id,
        });
        await append(
          store,
          model.id,
          genome.id,
          [
            { gene: 1, text: 'two', sampleIndex: 0 },
            { gene: 2, text: 'three', sampleIndex: 0 },
          ],
          { source: 'PROBED', jobId: j2.id },
        );
        expect(await store.jobSampleTexts(j1.id)).toEqual([{ gene: 0, text: 'one' }]);
        const round = await store.jobSampleTexts(j2.id);
        expect(round.sort((a, b) => a.gene - b.gene)).toEqual([
          { gene: 1, text: 'two' },
          { gene: 2, text: 'three' },
        ]);
      });
    });
  });
}

import { createSimulatedProvider, simulatedZoo, BENCHMARKS } from '../../plugins/simulated';
import { ProviderError } from '../../src/providers/errors';
import type { Provider, SampleRequest } from '../../src/providers/provider';
import { alleleOf } from '../../src/core/alleles/allele';
import {
  HEAD,
  OPENERS,
  OPENERS_PER_GENE,
  alleleLogits,
  candidatesOf,
  samplingDistribution,
} from '../../plugins/simulated/alleles';
import { zooNodes } from '../../plugins/simulated/zoo';
import { REFERENCE, defineProviderContractSuite } from './provider-contract';

defineProviderContractSuite('simulated', () => ({
  provider: createSimulatedProvider({ seed: 1 }),
  model: 'llama-3-8b',
  mode: 'COMPLETION',
}));

const GENES = Array.from({ length: 48 }, (_, g) => `Gene number ${g}: the committee decided that`);

const req = (model: string, prompt: string, over: Partial<SampleRequest> = {}): SampleRequest => ({
  model,
  mode: 'COMPLETION',
  prompt,
  n: 32,
  ...REFERENCE,
  ...over,
});

/** allele frequencies of one model per gene */
async function populations(p: Provider, model: string, genes = GENES): Promise<Array<Map<string, number>>> {
  const out: Array<Map<string, number>> = [];
  for (const gene of genes) {
    const { texts } = await p.doSample(req(model, gene, { sampleOffset: 0 }));
    const freq = new Map<string, number>();
    for (const t of texts) freq.set(alleleOf(t), (freq.get(alleleOf(t)) ?? 0) + 1 / texts.length);
    out.push(freq);
  }
  return out;
}

/** Nei 1972 identity S = J_AB / sqrt(J_A J_B), sums over all genes (method.md) */
function neiIdentity(a: Array<Map<string, number>>, b: Array<Map<string, number>>): number {
  let jab = 0;
  let ja = 0;
  let jb = 0;
  a.forEach((pa, g) => {
    const pb = b[g];
    for (const [allele, f] of pa) jab += f * (pb.get(allele) ?? 0);
    for (const f of pa.values()) ja += f * f;
    for (const f of pb.values()) jb += f * f;
  });
  return jab / Math.sqrt(ja * jb);
}

describe('simulatedZoo', () => {
  const zoo = simulatedZoo(3);

  it('simulatedZoo(seed) has >= 24 models in >= 5 families, each with a parent', () => {
    expect(zoo.models.length).toBeGreaterThanOrEqual(24);
    expect(new Set(zoo.models.map((m) => m.family)).size).toBeGreaterThanOrEqual(5);
    for (const m of zoo.models) expect(m.parent).toBeTruthy();
    expect(new Set(zoo.models.map((m) => m.id)).size).toBe(zoo.models.length);
  });

  it('simulatedZoo(seed) lineage is a tree: fine-tunes descend from base models of their own family', () => {
    const byId = new Map(zoo.models.map((m) => [m.id, m]));
    const fineTunes = zoo.models.filter((m) => byId.has(m.parent));
    expect(fineTunes.length).toBeGreaterThanOrEqual(12);
    for (const ft of fineTunes) expect(byId.get(ft.parent)?.family).toBe(ft.family);
    for (const base of zoo.models.filter((m) => !byId.has(m.parent)))
      expect(base.parent).toBe(`${base.family}-ancestor`);
  });

  it('simulatedZoo(seed).trueTreeNewick names every model once and has balanced parentheses', () => {
    const nwk = zoo.trueTreeNewick;
    expect(nwk.endsWith(';')).toBe(true);
    expect(nwk.split('(').length).toBe(nwk.split(')').length);
    for (const m of zoo.models)
      expect(nwk.match(new RegExp(`[(,]${m.id.replace(/\./g, '\\.')}:`, 'g'))).toHaveLength(1);
  });

  it('simulatedZoo(seed).scores holds all six benchmarks in [0, 1] for every model', () => {
    for (const m of zoo.models) {
      for (const b of BENCHMARKS) {
        const v = zoo.scores[m.id][b];
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });

  it('simulatedZoo(seed) is deterministic for a seed and differs between seeds', () => {
    expect(simulatedZoo(3)).toEqual(zoo);
    expect(simulatedZoo(4).trueTreeNewick).not.toBe(zoo.trueTreeNewick);
    expect(simulatedZoo(4).scores).not.toEqual(zoo.scores);
  });

  it('simulatedZoo(seed) scores of parent and fine-tune are closer than across families', () => {
    const byId = new Map(zoo.models.map((m) => [m.id, m]));
    const diff = (a: string, b: string) =>
      BENCHMARKS.reduce((s, k) => s + Math.abs(zoo.scores[a][k] - zoo.scores[b][k]), 0);
    const pairs = zoo.models.filter((m) => byId.has(m.parent));
    const close = pairs.reduce((s, m) => s + diff(m.id, m.parent), 0) / pairs.length;
    const across: number[] = [];
    for (const a of zoo.models) for (const b of zoo.models) if (a.family < b.family) across.push(diff(a.id, b.id));
    expect(close).toBeLessThan(across.reduce((s, x) => s + x, 0) / across.length);
  });
});

describe('shared competence', () => {
  /** exact Nei identity over the head candidates (the tail is singletons), from sampling distributions at T = 0.7 */
  function exactIdentities(seed: number) {
    const zoo = simulatedZoo(seed);
    const byId = new Map(zooNodes(seed).map((n) => [n.id, n]));
    const dist = zoo.models.map((m) =>
      GENES.map((g) => samplingDistribution(alleleLogits(seed, byId, m.id, 'COMPLETION', g), 0.7, 1)),
    );
    const identity = (a: number, b: number) => {
      let jab = 0;
      let ja = 0;
      let jb = 0;
      for (let g = 0; g < GENES.length; g++) {
        for (let k = 0; k < HEAD; k++) {
          jab += dist[a][g][k] * dist[b][g][k];
          ja += dist[a][g][k] ** 2;
          jb += dist[b][g][k] ** 2;
        }
      }
      return jab / Math.sqrt(ja * jb);
    };
    return { zoo, identity };
  }

  it('across families, models of similar capability are more alike than models of distant capability', () => {
    const correlations: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      const { zoo, identity } = exactIdentities(seed);
      const gap: number[] = [];
      const s: number[] = [];
      zoo.models.forEach((a, i) =>
        zoo.models.forEach((b, j) => {
          if (j <= i || a.family === b.family) return;
          gap.push(Math.abs(zoo.capability[a.id] - zoo.capability[b.id]));
          s.push(identity(i, j));
        }),
      );
      correlations.push(pearson(gap, s));
    }
    // without the shared direction families drift independently and this correlation is 0 in expectation
    for (const r of correlations) expect(r).toBeLessThan(0);
    expect(correlations.reduce((a, b) => a + b, 0) / correlations.length).toBeLessThan(-0.2);
  });

  it('capability is part of the zoo and drives its scores', () => {
    const zoo = simulatedZoo(2);
    const ids = zoo.models.map((m) => m.id);
    expect(Object.keys(zoo.capability).sort()).toEqual([...ids].sort());
    expect(
      pearson(
        ids.map((id) => zoo.capability[id]),
        ids.map((id) => zoo.scores[id].ARC),
      ),
    ).toBeGreaterThan(0.9);
  });
});

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((v, i) => {
    sxy += (v - mx) * (y[i] - my);
    sxx += (v - mx) ** 2;
    syy += (y[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe('createSimulatedProvider', () => {
  it('listModels() matches simulatedZoo(seed).models', async () => {
    const models = await createSimulatedProvider({ seed: 5 }).listModels();
    expect(models).toEqual(simulatedZoo(5).models);
  });

  it('doSample() is deterministic for (seed, model, gene, sampleOffset) and differs across seeds', async () => {
    const a = await createSimulatedProvider({ seed: 1 }).doSample(req('gemma-7b', GENES[0], { sampleOffset: 0 }));
    const b = await createSimulatedProvider({ seed: 1 }).doSample(req('gemma-7b', GENES[0], { sampleOffset: 0 }));
    const c = await createSimulatedProvider({ seed: 2 }).doSample(req('gemma-7b', GENES[0], { sampleOffset: 0 }));
    expect(a.texts).toEqual(b.texts);
    expect(c.texts).not.toEqual(a.texts);
  });

  it('doSample() split by sampleOffset equals one call: a resumed job gets the same data', async () => {
    const p = createSimulatedProvider({ seed: 1 });
    const whole = await p.doSample(req('qwen-2-7b', GENES[1], { sampleOffset: 0 }));
    const first = await p.doSample(req('qwen-2-7b', GENES[1], { n: 16, sampleOffset: 0 }));
    const rest = await createSimulatedProvider({ seed: 1 }).doSample(
      req('qwen-2-7b', GENES[1], { n: 16, sampleOffset: 16 }),
    );
    expect([...first.texts, ...rest.texts]).toEqual(whole.texts);
  });

  it('doSample() without sampleOffset continues a counter, so repeated calls draw new samples', async () => {
    const p = createSimulatedProvider({ seed: 1 });
    const one = await p.doSample(req('mistral-7b', GENES[2], { n: 8 }));
    const two = await p.doSample(req('mistral-7b', GENES[2], { n: 8 }));
    const ref = await createSimulatedProvider({ seed: 1 }).doSample(
      req('mistral-7b', GENES[2], { n: 16, sampleOffset: 0 }),
    );
    expect([...one.texts, ...two.texts]).toEqual(ref.texts);
  });

  it('doSample() at temperature 0 returns the argmax every time; higher temperature spreads alleles', async () => {
    const p = createSimulatedProvider({ seed: 1 });
    const distinct = async (temperature: number) => {
      let total = 0;
      for (const gene of GENES.slice(0, 16)) {
        const { texts } = await p.doSample(req('llama-2-7b', gene, { temperature, n: 64, sampleOffset: 0 }));
        total += new Set(texts.map((t) => alleleOf(t))).size;
      }
      return total;
    };
    expect(await distinct(0)).toBe(16);
    expect(await distinct(1.5)).toBeGreaterThan(await distinct(0.3));
  });

  it('doSample() returns alleles of at least 4 characters and respects maxTokens', async () => {
    const p = createSimulatedProvider({ seed: 1 });
    const { texts } = await p.doSample(req('gpt-j-6b', GENES[3], { n: 64, temperature: 1.5 }));
    for (const t of texts) expect(alleleOf(t)).toHaveLength(4);
    const short = await p.doSample(req('gpt-j-6b', GENES[3], { maxTokens: 1 }));
    for (const t of short.texts) expect(t.trim().split(/\s+/)).toHaveLength(1);
  });

  it('the long-alleles variant opens every candidate with one of a few shared openers, so 4 characters tell fewer apart than 12', () => {
    const genes = GENES.slice(0, 40);
    const distinct = (variant: 'classic' | 'long-alleles', length: number): number =>
      genes.reduce((n, g) => n + new Set(candidatesOf(variant, 1, g).map((t) => alleleOf(t, length))).size, 0) /
      genes.length;
    // classic: each candidate is its own allele from the first 4 characters on
    expect(distinct('classic', 4)).toBe(HEAD);
    // long alleles: every candidate's first word is an opener, at most OPENERS_PER_GENE per gene
    for (const g of genes) {
      const openers = new Set(candidatesOf('long-alleles', 1, g).map((t) => t.trim().split(' ')[0]));
      expect(openers.size).toBeLessThanOrEqual(OPENERS_PER_GENE);
      for (const o of openers) expect(OPENERS.some((x) => x.startsWith(o))).toBe(true);
    }
    expect(distinct('long-alleles', 4)).toBeLessThan(HEAD / 2);
    expect(distinct('long-alleles', 8)).toBeGreaterThan(distinct('long-alleles', 4));
    expect(distinct('long-alleles', 16)).toBe(HEAD);
  });

  it('the long-alleles variant draws the same candidates as classic (same logits), only their texts differ', async () => {
    const classic = createSimulatedProvider({ seed: 1 });
    const long = createSimulatedProvider({ seed: 1, variant: 'long-alleles' });
    for (const gene of GENES.slice(0, 8)) {
      const a = (await classic.doSample(req('qwen-2-7b', gene, { sampleOffset: 0 }))).texts;
      const b = (await long.doSample(req('qwen-2-7b', gene, { sampleOffset: 0 }))).texts;
      const rank = (texts: string[], candidates: string[]) => texts.map((t) => candidates.indexOf(t));
      const ra = rank(a, candidatesOf('classic', 1, gene));
      const rb = rank(b, candidatesOf('long-alleles', 1, gene));
      expect(rb).toEqual(ra);
      // tail draws (-1) are fresh words in both; head draws exist
      expect(ra.some((k) => k >= 0)).toBe(true);
    }
    const short = await long.doSample(req('qwen-2-7b', GENES[0], { maxTokens: 2 }));
    for (const t of short.texts) expect(t.trim().split(/\s+/)).toHaveLength(2);
  });

  it('an unknown zoo variant is refused with the known ones named', () => {
    expect(() => createSimulatedProvider({ variant: 'longer' as never })).toThrow(/classic, long-alleles/);
  });

  it('relatives have more similar allele distributions than strangers (Nei identity)', async () => {
    const p = createSimulatedProvider({ seed: 1 });
    const base = await populations(p, 'llama-3-8b');
    const fineTune = await populations(p, 'llama-3-8b-instruct');
    const sibling = await populations(p, 'llama-2-7b');
    const stranger = await populations(p, 'qwen-2-7b');
    const sParent = neiIdentity(base, fineTune);
    const sSibling = neiIdentity(base, sibling);
    const sStranger = neiIdentity(base, stranger);
    expect(sParent).toBeGreaterThan(sSibling);
    expect(sSibling).toBeGreaterThan(sStranger);
  });

  it('CHAT requests shift the distribution a little (chat template effect) but stay related', async () => {
    const p = createSimulatedProvider({ seed: 1 });
    const genes = GENES.slice(0, 24);
    const completion = await populations(p, 'mistral-7b-instruct', genes);
    const chat: Array<Map<string, number>> = [];
    for (const gene of genes) {
      const { texts } = await p.doSample(req('mistral-7b-instruct', gene, { mode: 'CHAT', sampleOffset: 0 }));
      const freq = new Map<string, number>();
      for (const t of texts) freq.set(alleleOf(t), (freq.get(alleleOf(t)) ?? 0) + 1 / 32);
      chat.push(freq);
    }
    const stranger = await populations(p, 'gemma-7b', genes);
    expect(neiIdentity(completion, chat)).toBeGreaterThan(neiIdentity(completion, stranger));
  });

  it('doSample() with an unknown or ancestor model is a non-retryable 404 ProviderError', async () => {
    const p = createSimulatedProvider();
    for (const model of ['no-such-model', 'llama-ancestor']) {
      const error = await p.doSample(req(model, GENES[0])).catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ statusCode: 404, isRetryable: false, kind: 'unknown-model' });
    }
  });

  // How fast this runs is measured by `npm run bench` (bench/simulated.bench.ts), not asserted here.
  it('samples 24 models x 128 genes x 32 samples: every request answers its n texts', async () => {
    const p = createSimulatedProvider({ seed: 9 });
    const models = (await p.listModels()).slice(0, 24);
    const genes = Array.from({ length: 128 }, (_, g) => `speed gene ${g} with a short prefix`);
    let count = 0;
    for (const m of models) for (const gene of genes) count += (await p.doSample(req(m.id, gene))).texts.length;
    expect(models).toHaveLength(24);
    expect(count).toBe(24 * 128 * 32);
  });
});

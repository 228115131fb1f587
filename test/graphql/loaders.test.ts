/**
 * Field resolvers read through per-request loaders: a page of rows that each name a genome or a
 * model costs one store read per kind, not one per row (the N+1 pattern).
 */
import 'reflect-metadata';
import { graphql } from 'graphql';
import { openDatabase, type DatabaseHandle } from '../../src/db/client';
import { SqliteStore } from '../../src/db/sqlite-store';
import type { Store } from '../../src/db/store';
import { createContext } from '../../src/graphql/context';
import { getSchema } from '../../src/graphql/schema';
import { createServices } from '../../src/services';

/** The store, with a count of calls per method. */
function counted(store: Store): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(name), (calls.get(String(name)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

describe('loaders', () => {
  let db: DatabaseHandle;
  let store: Store;
  let calls: Map<string, number>;

  beforeAll(async () => {
    db = openDatabase(':memory:');
    ({ store, calls } = counted(new SqliteStore(db)));
    const model = await store.createModel({
      name: 'm',
      provider: 'external',
      providerModel: null,
      family: null,
      mode: 'CHAT',
      temperature: 0.7,
      topP: 1,
      maxTokens: 5,
    });
    for (const name of ['g1', 'g2', 'g3']) {
      const genome = await store.createGenome({ name, fingerprint: name, genes: ['a gene'] });
      await store.createJob({
        modelId: model.id,
        genomeId: genome.id,
        samplesPerGene: 1,
        maxTokens: 5,
        status: 'SUCCEEDED',
        completed: 1,
        total: 1,
      });
    }
  });

  afterAll(() => db.close());

  it('jobs { genome model } reads genomes and models once for the whole page', async () => {
    const services = createServices(store);
    calls.clear();
    const result = await graphql({
      schema: await getSchema(),
      source: '{ jobs { nodes { genome { name } model { name } } } }',
      contextValue: createContext(services),
    });
    expect(result.errors).toBeUndefined();
    const nodes = (result.data as { jobs: { nodes: { genome: { name: string }; model: { name: string } }[] } }).jobs
      .nodes;
    expect(nodes.map((job) => job.genome.name)).toEqual(['g1', 'g2', 'g3']);
    expect(nodes.map((job) => job.model.name)).toEqual(['m', 'm', 'm']);
    const genomeReads = (calls.get('getGenome') ?? 0) + (calls.get('listGenomes') ?? 0);
    const modelReads = (calls.get('getModel') ?? 0) + (calls.get('getModels') ?? 0);
    expect({ genomeReads, modelReads }).toEqual({ genomeReads: 1, modelReads: 1 });
  });
});

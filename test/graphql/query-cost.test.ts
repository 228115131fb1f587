/**
 * The cost model on the real schema, with the data-dependent figures given directly: the cases
 * too big to build over HTTP in a test (10,000 models, 100,000 genes), what the README promises
 * must still fit, and that aliases and fragments multiply while the walk stays linear.
 */
import { Kind, parse, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { loadConfig } from '../../src/config';
import { getSchema } from '../../src/graphql/schema';
import { estimateCost, type CostFigures } from '../../src/graphql/validation/cost';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/validation/limits';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await getSchema();
});

const LIMIT = DEFAULT_QUERY_LIMITS.maxCost;

function figures(modelsWithSamples: number, geneCount: number, extra: Partial<CostFigures> = {}): CostFigures {
  return {
    genome: (id) => (id === '1' ? { geneCount, modelsWithSamples } : undefined),
    benchmarks: 6,
    genomes: 1,
    providers: { total: 4, configured: 1 },
    builtinGenomes: 3,
    ...extra,
  };
}

function cost(query: string, f: CostFigures, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return estimateCost(schema, fragments, operation, variables, f);
}

describe('refused: work that would take minutes or exhaust memory', () => {
  it('a 10,000-model distanceMatrix and tree', () => {
    const matrix = cost(`{ distanceMatrix(genome: "1") { similarity } }`, figures(10_000, 128));
    const tree = cost(`{ tree(genome: "1") { newick } }`, figures(10_000, 128));
    console.log(`10,000 models x 128 genes: matrix ${matrix.cost}, tree ${tree.cost} (limit ${LIMIT})`);
    expect(matrix.cost).toBeGreaterThan(10 * LIMIT);
    expect(tree.cost).toBeGreaterThan(10 * LIMIT);
    expect(matrix.contributors[0]).toMatchObject({ field: 'Query.distanceMatrix' });
  });

  it('4 models on a 100,000-gene genome with bootstrap 100, though 4 models x 100 replicates is tiny', () => {
    const estimate = cost(`{ tree(genome: "1", bootstrap: 100) { newick } }`, figures(4, 100_000));
    expect(estimate.cost).toBeGreaterThan(LIMIT);
    expect(estimate.contributors[0].detail).toBe('100 bootstrap replicates of 4 models on 100000 genes');
    // the same tree without bootstrap is cheap
    expect(cost(`{ tree(genome: "1") { newick } }`, figures(4, 100_000)).cost).toBeLessThan(LIMIT / 10);
  });

  it('a listed model list counts at most the models with samples (the service refuses the rest)', () => {
    const ids = Array.from({ length: 40_000 }, (_, i) => String(i + 1));
    const query = `query ($m: [ID!]) { distanceMatrix(genome: "1", models: $m) { fingerprint } }`;
    const listed = cost(query, figures(5, 128), { m: ids });
    // 40,000 list items are counted, but not as a 40,000-model matrix
    expect(listed.cost).toBeLessThan(LIMIT / 10);
    expect(listed.cost).toBeGreaterThanOrEqual(40_000);
  });
});

describe('paging a big matrix costs by the page asked, not by the whole answer', () => {
  const base = () => cost(`{ distanceMatrix(genome: "1") { fingerprint } }`, figures(10_000, 128)).cost;
  const extra = (selection: string) =>
    cost(`{ distanceMatrix(genome: "1") { ${selection} } }`, figures(10_000, 128)).cost - base();

  it('rows cost their numbers: 100 rows of 10,000 are cheap, every row costs like the whole matrix', () => {
    const page = extra('rows(offset: 500, count: 100) { index model { name } distance similarity }');
    expect(page).toBeGreaterThanOrEqual(2 * 0.5 * 100 * 10_000);
    expect(page).toBeLessThan(LIMIT / 4);
    expect(extra('rows(count: 10000) { distance }')).toBeGreaterThan(LIMIT);
    // past the end: only the rows that exist count
    expect(extra('rows(offset: 9990, count: 100) { distance }')).toBeLessThan(extra('rows(count: 100) { distance }'));
  });

  it('pairs cost a scan of the matrix plus their page; nearest a scan of its rows plus k per row', () => {
    const pairs = extra('pairs(minSimilarity: 0.9, first: 1000) { nodes { a { name } b { name } distance } }');
    expect(pairs).toBeGreaterThan(extra('pairs(minSimilarity: 0.9, first: 10) { nodes { distance } }'));
    expect(pairs).toBeLessThan(LIMIT / 4);
    const nearest = extra('nearest(k: 10, count: 1000) { model { name } neighbors { model { name } distance } }');
    expect(nearest).toBeGreaterThan(1000 * 10);
    expect(nearest).toBeGreaterThan(extra('nearest(k: 10, count: 10) { neighbors { distance } }'));
    expect(nearest).toBeLessThan(LIMIT / 4);
  });
});

describe('allowed: what the README and the tests ask', () => {
  it.each([
    [
      'a 1,000-model matrix with similarity and distance',
      `{ distanceMatrix(genome: "1") { similarity distance } }`,
      1000,
    ],
    [
      '100 bootstrap replicates of 141 models',
      `{ tree(genome: "1", bootstrap: 100) { newick nodes { id support model { name } } } }`,
      141,
    ],
    ['574 bootstrap replicates of 59 models', `{ tree(genome: "1", bootstrap: 574) { newick } }`, 59],
    ['NJ on 1,000 models', `{ tree(genome: "1") { newick nodes { id parent branchLength } } }`, 1000],
    [
      'an evaluation on 59 models',
      `{ predictionEvaluation(genome: "1", benchmark: "ARC") { mae points { actual } } }`,
      59,
    ],
    [
      'a full page of models with their scores',
      `{ models(first: 1000) { nodes { name scores { benchmark value } } } }`,
      59,
    ],
  ])('%s', (_name, query, models) => {
    expect(cost(query, figures(models, 128)).cost).toBeLessThan(LIMIT);
  });

  it('a bootstrap the tree service refuses at once costs only its matrix (the service says how many fit)', () => {
    // 1,000 x 59^2 is over the service's own replicates x models^2 budget: refused before any replicate
    const refused = cost(`{ tree(genome: "1", bootstrap: 1000) { newick } }`, figures(59, 128));
    expect(refused.cost).toBeLessThan(cost(`{ tree(genome: "1", bootstrap: 10) { newick } }`, figures(59, 128)).cost);
  });
});

describe('aliases and fragments multiply; the walk stays linear', () => {
  it('20 aliased trees cost 20 trees, through a fragment too', () => {
    const one = cost(`{ tree(genome: "1", bootstrap: 200) { bootstrap } }`, figures(25, 128)).cost;
    const aliases = Array.from({ length: 20 }, (_, i) => `t${i}: tree(genome: "1", bootstrap: 200) { bootstrap }`);
    expect(one).toBeLessThan(LIMIT);
    expect(cost(`{ ${aliases.join(' ')} }`, figures(25, 128)).cost).toBeGreaterThan(19.99 * one);
    expect(cost(`{ ...T } fragment T on Query { ${aliases.join(' ')} }`, figures(25, 128)).cost).toBeGreaterThan(LIMIT);
  });

  it('provider listings are counted per configured provider and per alias', () => {
    const f = figures(0, 0, { providers: { total: 4, configured: 2 } });
    expect(cost(`{ providers { id models { id } } }`, f).providerCalls).toBe(2);
    const aliases = Array.from({ length: 501 }, (_, i) => `p${i}: providers { models { id } }`);
    expect(cost(`{ ${aliases.join(' ')} }`, f).providerCalls).toBe(1002);
    expect(cost(`{ providers { id name } }`, f).providerCalls).toBe(0);
  });

  it('a chain of 300 fragments each spreading the next twice is estimated (as astronomically costly)', () => {
    const levels = 300;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i < levels - 1
        ? `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`
        : `fragment F${i} on Query { __typename }`,
    );
    const estimate = cost(`query { ...F0 } ${fragments.join(' ')}`, figures(0, 0));
    expect(estimate.cost).toBeGreaterThan(1e80);
  });
});

describe('configuration', () => {
  it('every limit has its variable, and a bad value stops start-up naming it', () => {
    const limits = loadConfig({
      PHYLOLM_MAX_QUERY_COST: '5000',
      PHYLOLM_MAX_PROVIDER_CALLS: '2',
      PHYLOLM_MAX_QUERY_DEPTH: '8',
      PHYLOLM_MAX_ALIASES: '10',
      PHYLOLM_MAX_TOKENS: '300',
      PHYLOLM_MAX_DIRECTIVES: '3',
      PHYLOLM_MAX_JSON_DEPTH: '16',
    }).queryLimits;
    expect(limits).toEqual({
      maxCost: 5000,
      maxProviderCalls: 2,
      maxDepth: 8,
      maxAliases: 10,
      maxTokens: 300,
      maxDirectives: 3,
      maxJsonDepth: 16,
    });
    expect(loadConfig({}).queryLimits).toEqual(DEFAULT_QUERY_LIMITS);
    expect(() => loadConfig({ PHYLOLM_MAX_QUERY_COST: 'lots' })).toThrow('PHYLOLM_MAX_QUERY_COST');
  });
});

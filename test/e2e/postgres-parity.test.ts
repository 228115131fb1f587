/**
 * Issue 10, must-be-true 1: the AlpacaEval-sized path (210 models, 800 genes) imported through
 * the GraphQL API into a server on SQLite and into one on PostgreSQL gives the same distance
 * matrices (to 1e-12) and the same trees. The data is the seeded synthetic generator of the
 * benchmarks (a few alleles per gene, shared across related models), so both servers get exactly
 * the same imports.
 */
import { syntheticGenome, syntheticSamples } from '../../bench/synthetic';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../helpers/postgres';

const MODELS = 210;
const GENES = 800;
const SAMPLES_PER_GENE = 2;

interface Matrix {
  models: { name: string }[];
  similarity: number[][];
  distance: number[][];
}

/** Registers every model and imports its samples through GraphQL, one import per model. */
async function importEverything(app: TestApp): Promise<void> {
  const genome = syntheticGenome(GENES, 7);
  dataOf(
    await app.gql(`mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`, {
      input: { name: 'alpaca-sized', genes: genome.genes },
    }),
  );
  for (let m = 0; m < MODELS; m++) {
    const name = `model-${m}`;
    dataOf(
      await app.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
        input: { name, provider: 'external', family: `family-${m % 12}`, mode: 'CHAT' },
      }),
    );
    const completions = syntheticSamples(genome, m, SAMPLES_PER_GENE).map((s) => ({ gene: s.gene, text: s.text }));
    const imported = await app.gql<{ importCompletions: { accepted: number; rejected: number } }>(
      `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted rejected } }`,
      { input: { model: `name:${name}`, genome: 'name:alpaca-sized', completions } },
    );
    expect(dataOf(imported).importCompletions).toEqual({ accepted: GENES * SAMPLES_PER_GENE, rejected: 0 });
  }
}

async function matrixOf(app: TestApp, alleleLength: number): Promise<Matrix> {
  const answer = await app.gql<{ distanceMatrix: Matrix }>(
    `query ($a: Int!) { distanceMatrix(genome: "name:alpaca-sized", alleleLength: $a) { models { name } similarity distance } }`,
    { a: alleleLength },
  );
  return dataOf(answer).distanceMatrix;
}

async function newickOf(app: TestApp, method: string): Promise<string> {
  const answer = await app.gql<{ tree: { newick: string } }>(
    `query { tree(genome: "name:alpaca-sized", method: ${method}) { newick } }`,
  );
  return dataOf(answer).tree.newick;
}

function largestDifference(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - b[i][j])))));
  return worst;
}

describeWithPostgres('the same answers on SQLite and PostgreSQL (AlpacaEval-sized)', () => {
  let database: TestDatabase;
  let onSqlite: TestApp;
  let onPostgres: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    [onSqlite, onPostgres] = await Promise.all([startTestApp(), startTestApp({ postgresUrl: database.url })]);
    expect(onSqlite.database.kind).toBe('sqlite');
    expect(onPostgres.database.kind).toBe('postgres');
    await Promise.all([importEverything(onSqlite), importEverything(onPostgres)]);
  }, 900_000);

  afterAll(async () => {
    await onSqlite?.stopAndClean();
    await onPostgres?.stopAndClean();
    await database?.drop();
  });

  it.each([4, 2])(
    'distance matrices (allele length %i) are equal to 1e-12',
    async (alleleLength) => {
      const [a, b] = await Promise.all([matrixOf(onSqlite, alleleLength), matrixOf(onPostgres, alleleLength)]);
      expect(a.models).toHaveLength(MODELS);
      expect(b.models.map((m) => m.name)).toEqual(a.models.map((m) => m.name));
      expect(largestDifference(a.similarity, b.similarity)).toBeLessThan(1e-12);
      expect(largestDifference(a.distance, b.distance)).toBeLessThan(1e-12);
      // not a degenerate matrix: the models really differ
      expect(Math.max(...a.distance.flat())).toBeGreaterThan(0.01);
    },
    300_000,
  );

  it.each(['NJ', 'UPGMA'])(
    '%s trees are the same',
    async (method) => {
      const [a, b] = await Promise.all([newickOf(onSqlite, method), newickOf(onPostgres, method)]);
      expect(a.split(',')).toHaveLength(MODELS);
      expect(b).toBe(a);
    },
    300_000,
  );

  it('the models, genomes and samples the API lists are the same', async () => {
    const query = `{
      genomes { name geneCount fingerprint }
      models(first: 1000) { totalCount nodes { id name family mode temperature topP maxTokens } }
      samples(model: "name:model-7", genome: "name:alpaca-sized", first: 10000) {
        nodes { id geneIndex sampleIndex allele source }
      }
    }`;
    const [a, b] = await Promise.all([onSqlite.gql(query), onPostgres.gql(query)]);
    expect(dataOf(b)).toEqual(dataOf(a));
  });

  it('a probing job (simulated zoo) runs unchanged on PostgreSQL: claimed, leased, SUCCEEDED, the same samples', async () => {
    const probe = async (app: TestApp) => {
      dataOf(
        await app.gql(
          `mutation { createGenome(input: { name: "probe", genes: ["The cat sat on", "def fib(n):", "In 1905,"] }) { id } }`,
        ),
      );
      dataOf(
        await app.gql(
          `mutation { registerModel(input: { name: "sim", provider: "simulated", providerModel: "llama-3-8b", mode: COMPLETION }) { id } }`,
        ),
      );
      const started = dataOf(
        await app.gql<{ startProbing: { id: string } }>(
          `mutation { startProbing(input: { model: "name:sim", genome: "name:probe", samplesPerGene: 6 }) { id } }`,
        ),
      ).startProbing;
      const JOB = `query ($id: ID!) { job(id: $id) { status completed total error requests promptTokens completionTokens costUsd } }`;
      for (let i = 0; i < 2_000; i++) {
        const job = dataOf(await app.gql<{ job: { status: string } }>(JOB, { id: started.id })).job;
        if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) {
          const samples = await app.gql(
            `{ samples(model: "name:sim", genome: "name:probe", first: 100) { nodes { geneIndex sampleIndex allele source } } }`,
          );
          return { job, samples: dataOf(samples) };
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('the probing job did not finish');
    };
    const [a, b] = await Promise.all([probe(onSqlite), probe(onPostgres)]);
    expect(b.job).toMatchObject({ status: 'SUCCEEDED', completed: 18, total: 18, error: null });
    expect(b).toEqual(a);
  });

  it('the one text SQLite stores and PostgreSQL cannot (U+0000) is a clear BAD_USER_INPUT there, changing nothing', async () => {
    const importNul = async (app: TestApp) => {
      dataOf(await app.gql(`mutation { registerModel(input: { name: "nul", provider: "external" }) { id } }`));
      return app.gql<{ importCompletions: { accepted: number } }>(
        `mutation ($t: String!) { importCompletions(input: { model: "name:nul", genome: "name:alpaca-sized", completions: [{ gene: 0, text: $t }] }) { accepted } }`,
        { t: 'a\u0000b' },
      );
    };
    expect(dataOf(await importNul(onSqlite)).importCompletions.accepted).toBe(1);
    const refused = await importNul(onPostgres);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toMatch(/^completion 0: .*U\+0000 \(NUL\), which PostgreSQL cannot store$/);
    const samples = await onPostgres.gql<{ samples: { nodes: unknown[] } }>(
      `{ samples(model: "name:nul", genome: "name:alpaca-sized") { nodes { id } } }`,
    );
    expect(dataOf(samples).samples.nodes).toEqual([]);
  });
});

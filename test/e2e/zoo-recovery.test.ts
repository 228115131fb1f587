/**
 * Tree recovery on the simulated zoo, end to end: the real server, every zoo model registered
 * with the `simulated` provider and probed through the job engine (startProbing, N = 32 samples
 * per gene on the built-in genome math-owm-128, G = 128), then `tree(genome)` (NJ) compared
 * with the generating tree by Robinson-Foulds, and each family checked to be a clade.
 *
 * Floor of the measure: the true tree has polytomies (the 5 families meet at the root; a base
 * model with two fine-tunes is a sampled ancestor, a zero-length leaf beside them), so it has
 * 15 non-trivial splits while any NJ tree of 25 leaves has 22. Even a perfect NJ tree is
 * 7 / (15 + 22) = 0.189 from it; each true split NJ misses adds 2 / 37. So the 0.2 bound demands
 * every true split, which the test also checks directly.
 */
import { simulatedZoo } from '../../plugins/simulated';
import { parseNewick } from '../../src/core/format/newick';
import { robinsonFoulds } from '../../src/core/tree/robinson-foulds';
import { leafNames, type Tree } from '../../src/core/tree/tree';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';

const SEED = 7;
const SAMPLES = 32;
const zoo = simulatedZoo(SEED);

const REGISTER = `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`;
const START = `mutation ($input: StartProbingInput!) { startProbing(input: $input) { id total } }`;
const JOB = `query ($id: ID!) { job(id: $id) { status completed total error } }`;
const TREE = `query ($genome: ID!) { tree(genome: $genome) { method rooted newick } }`;

let app: TestApp;
let nj: Tree;
let truth: Tree;

/** Every leaf set below an internal node; with its complement, these are the tree's splits. */
function clusters(tree: Tree): Set<string>[] {
  const out: Set<string>[] = [];
  const below = (id: number): string[] => {
    const node = tree.nodes[id];
    if (node.children.length === 0) return [node.name ?? ''];
    const names = node.children.flatMap(below);
    out.push(new Set(names));
    return names;
  };
  below(tree.root);
  return out;
}

/** Does some edge of the (unrooted) tree separate exactly `members` from the other leaves? */
function isSplit(tree: Tree, members: ReadonlySet<string>): boolean {
  const all = leafNames(tree);
  return clusters(tree).some((side) => {
    const other = all.filter((name) => !side.has(name));
    return [[...side], other].some((s) => s.length === members.size && s.every((name) => members.has(name)));
  });
}

beforeAll(async () => {
  app = await startTestApp({ providers: { simulated: { seed: SEED } } });
  const genome = await app.services.genomes.installBuiltin('math-owm-128');
  const jobs: string[] = [];
  for (const m of zoo.models) {
    const input = { name: m.id, provider: 'simulated', providerModel: m.id, family: m.family, mode: m.mode };
    const model = dataOf(await app.gql(REGISTER, { input })).registerModel.id;
    const job = dataOf(
      await app.gql(START, { input: { model, genome: String(genome.id), samplesPerGene: SAMPLES } }),
    ).startProbing;
    expect(job.total).toBe(128 * SAMPLES);
    jobs.push(job.id);
  }
  // Wait on the job engine itself rather than polling on a clock, then read each job's end over GraphQL.
  await Promise.all(jobs.map((id) => app.services.jobs.settled(Number(id))));
  for (const id of jobs) {
    const job = dataOf(await app.gql(JOB, { id })).job;
    expect({ id, ...job }).toEqual({
      id,
      status: 'SUCCEEDED',
      completed: 128 * SAMPLES,
      total: 128 * SAMPLES,
      error: null,
    });
  }
  const tree = dataOf(await app.gql(TREE, { genome: String(genome.id) })).tree;
  expect(tree).toMatchObject({ method: 'NJ', rooted: false });
  nj = parseNewick(tree.newick);
  truth = parseNewick(zoo.trueTreeNewick);
  // generous: 25 models x 4,096 samples probed and stored; a busy machine takes several times longer
}, 600_000);

afterAll(() => app.stopAndClean());

describe(`NJ tree of the simulated zoo (seed ${SEED}, math-owm-128 x ${SAMPLES} samples, probed by jobs)`, () => {
  it('has the zoo models as its leaves, the same as the true tree (named by model name)', () => {
    const models = zoo.models.map((m) => m.id).sort();
    expect(zoo.models.length).toBeGreaterThanOrEqual(20);
    expect(leafNames(nj).sort()).toEqual(models);
    // the true tree's sampled ancestors are zero-length leaves; its ancestors are internal labels
    expect(leafNames(truth).sort()).toEqual(models);
  });

  it('is within normalised Robinson-Foulds 0.2 of the true tree and keeps every true split', () => {
    const rf = robinsonFoulds(nj, truth);
    const trueSplits = clusters(truth).filter((c) => c.size >= 2 && c.size <= zoo.models.length - 2);
    const kept = trueSplits.filter((c) => isSplit(nj, c)).length;
    // the figure the issue asks for: print it
    console.log(
      `zoo seed ${SEED}: NJ vs true tree RF ${rf.distance}/${rf.max} = ${rf.normalized.toFixed(3)}; true splits kept ${kept}/${trueSplits.length}`,
    );
    expect(rf.normalized).toBeLessThanOrEqual(0.2);
    expect(kept).toBe(trueSplits.length);
  });

  it('makes each family a clade', () => {
    const families = [...new Set(zoo.models.map((m) => m.family))];
    expect(families.length).toBeGreaterThanOrEqual(4);
    for (const family of families) {
      const members = new Set(zoo.models.filter((m) => m.family === family).map((m) => m.id));
      expect({ family, clade: isSplit(nj, members) }).toEqual({ family, clade: true });
    }
  });
});

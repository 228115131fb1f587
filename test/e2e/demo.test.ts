/**
 * The offline demo: a fresh server with PHYLOLM_DEMO at its default registers the simulated zoo
 * and the default genome, stores the zoo's scores, probes everything in the background, and
 * answers `tree` with no key and no network. A second start on the same database adds nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { dataOf, startTestApp } from '../helpers/app';

it('a first start on an empty database serves a tree of the simulated zoo, offline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phylolm-demo-'));
  expect(loadConfig({}).demo).toBe(true);
  const app = await startTestApp({ demo: true }, dir);
  try {
    const models = dataOf(
      await app.gql(`{ models { totalCount nodes { provider family scores { benchmark } } } }`),
    ).models;
    expect(models.totalCount).toBe(25);
    expect(models.nodes.every((m: { provider: string }) => m.provider === 'simulated')).toBe(true);
    expect(models.nodes[0].scores.map((s: { benchmark: string }) => s.benchmark).sort()).toEqual(
      ['ARC', 'GSM8K', 'HellaSwag', 'MMLU', 'TruthfulQA', 'Winogrande'].sort(),
    );
    const genome = dataOf(await app.gql(`{ genome(name: "math-owm-128") { id geneCount } }`)).genome;
    expect(genome.geneCount).toBe(128);

    const jobs = dataOf(await app.gql(`{ jobs { nodes { id } } }`)).jobs.nodes as { id: string }[];
    expect(jobs).toHaveLength(25);
    await Promise.all(jobs.map((j) => app.services.jobs.settled(Number(j.id))));
    const statuses = dataOf(await app.gql(`{ jobs { nodes { status completed total } } }`)).jobs.nodes;
    expect(
      statuses.every(
        (j: { status: string; completed: number }) => j.status === 'SUCCEEDED' && j.completed === 128 * 32,
      ),
    ).toBe(true);

    const tree = dataOf(
      await app.gql(`query ($g: ID!) { tree(genome: $g) { rooted nodes { model { name } } } }`, { g: genome.id }),
    ).tree;
    expect(tree.rooted).toBe(false);
    expect(tree.nodes.filter((n: { model: unknown }) => n.model)).toHaveLength(25);
  } finally {
    await app.close();
  }
  // Restarting on the same database neither repeats the demo nor loses it.
  const again = await startTestApp({ demo: true }, dir);
  try {
    expect(dataOf(await again.gql(`{ models { totalCount } jobs { nodes { status } } }`)).models.totalCount).toBe(25);
  } finally {
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

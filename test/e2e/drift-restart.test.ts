/**
 * A probing schedule survives a restart (issue 12, "Drift"): scheduled on one server, the rounds
 * go on in the next server started on the same database file, and drift compares them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { until } from '../helpers/until';

const GENES = Array.from({ length: 16 }, (_, g) => `Gene ${g}: the committee decided that`);
const JOBS = `{ jobs(model: "llama", status: SUCCEEDED) { nodes { id } } }`;

const rounds = async (app: TestApp): Promise<number> => dataOf(await app.gql(JOBS)).jobs.nodes.length;

it('keeps re-probing on schedule after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phylolm-drift-'));
  try {
    const first = await startTestApp({}, dir);
    dataOf(
      await first.gql(`mutation ($genes: [String!]!) { createGenome(input: { name: "g", genes: $genes }) { id } }`, {
        genes: GENES,
      }),
    );
    dataOf(
      await first.gql(
        `mutation { registerModel(input: { name: "llama", provider: "simulated", providerModel: "llama-2-7b" }) { id } }`,
      ),
    );
    dataOf(
      await first.gql(
        `mutation { scheduleProbing(model: "llama", genome: "g", every: "PT2S", samplesPerGene: 8) { id } }`,
      ),
    );
    await until('the first round', async () => ((await rounds(first)) >= 1 ? true : undefined));
    await first.stopAndClean();

    const second = await startTestApp({}, dir);
    try {
      const schedules = dataOf(await second.gql(`{ probingSchedules { every samplesPerGene model { name } } }`));
      expect(schedules.probingSchedules).toEqual([{ every: 'PT2S', samplesPerGene: 8, model: { name: 'llama' } }]);
      const steps = await until('a round after the restart', async () => {
        const list = dataOf(await second.gql(`{ drift(model: "llama", genome: "g") { pValue changed } }`)).drift;
        return list.length >= 1 ? list : undefined;
      });
      expect(steps[0].changed).toBe(false);
      dataOf(await second.gql(`mutation { unscheduleProbing(model: "llama", genome: "g") }`));
    } finally {
      await second.stopAndClean();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

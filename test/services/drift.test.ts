/**
 * Issue 12, "what must be true" 4: scheduled re-probing catches an endpoint that starts serving
 * another model. The provider here serves the zoo's llama-2-7b behind the endpoint "endpoint"
 * until the test switches it to mistral-7b; rounds are 1 s apart; the webhook is a real HTTP
 * server that checks the HMAC-SHA256 signature. Without a switch, 10 rounds raise no alert at
 * alpha = 0.01.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimulatedProvider } from '../../plugins/simulated';
import type { Provider } from '../../src/providers/provider';
import { createProviderRegistry } from '../../src/providers/registry';
import { dataOf, startGraphQL, type GraphQLHarness } from '../helpers/graphql';
import { until } from '../helpers/until';

const SECRET = 'drift-test-secret';
const GENES = Array.from({ length: 48 }, (_, g) => `Gene ${g}: the committee decided that`);

/** An endpoint whose served model the test can change between rounds. */
function switchingProvider(served: { model: string }): Provider {
  const zoo = createSimulatedProvider({ seed: 0 });
  return {
    ...zoo,
    id: 'switching',
    name: 'Switching endpoint',
    listModels: async () => [{ id: 'endpoint', family: null, parent: null, mode: 'COMPLETION' }],
    doSample: (request) => zoo.doSample({ ...request, model: served.model }),
  };
}

interface Received {
  body: string;
  signature: string | undefined;
}

async function webhookReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString(),
        signature: request.headers['x-phylolm-signature'] as string | undefined,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const DRIFT = `query ($m: ID!, $g: ID!) { drift(model: $m, genome: $g) { fromJob toJob distance pValue changed } }`;
const ALERTS = `query ($m: ID) { driftAlerts(model: $m) { id fromJob toJob distance pValue model { name } genome { name } } }`;
const SCHEDULE = `mutation ($m: ID!, $g: ID!, $every: String!) { scheduleProbing(model: $m, genome: $g, every: $every, samplesPerGene: 16) { id every nextAt } }`;

describe('drift: scheduled re-probing', () => {
  const served = { model: 'llama-2-7b' };
  let api: GraphQLHarness;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    hook = await webhookReceiver();
    api = await startGraphQL({
      services: {
        registry: createProviderRegistry([switchingProvider(served)]),
        drift: { webhook: { url: hook.url, secret: SECRET, baseDelayMs: 10 }, tickMs: 100 },
      },
    });
    api.services.drift.start();
    dataOf(
      await api.gql(`mutation ($genes: [String!]!) { createGenome(input: { name: "g", genes: $genes }) { id } }`, {
        genes: GENES,
      }),
    );
    for (const name of ['switched', 'steady']) {
      dataOf(
        await api.gql(`mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, {
          input: { name, provider: 'switching', providerModel: 'endpoint', mode: 'COMPLETION' },
        }),
      );
    }
  });
  afterAll(async () => {
    await api.services.drift.stop();
    await api.close();
    hook.server.close();
  });

  it('refuses a period that is not an ISO 8601 duration, or shorter than a second, and stores nothing', async () => {
    for (const every of ['1 day', 'P1M', 'PT0.5S', 'P']) {
      const answer = await api.gql(SCHEDULE, { m: 'switched', g: 'g', every });
      expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(dataOf(await api.gql(`{ probingSchedules { id } }`)).probingSchedules).toEqual([]);
  });

  it('raises an alert when the endpoint switches model, and the webhook gets one signed POST', async () => {
    dataOf(await api.gql(SCHEDULE, { m: 'switched', g: 'g', every: 'PT1S' }));
    await until('two rounds', async () => {
      const steps = dataOf(await api.gql(DRIFT, { m: 'switched', g: 'g' })).drift;
      return steps.length >= 1 ? steps : undefined;
    });
    expect(dataOf(await api.gql(ALERTS, { m: 'switched' })).driftAlerts).toEqual([]);
    served.model = 'mistral-7b';
    const alerts = await until('an alert', async () => {
      const list = dataOf(await api.gql(ALERTS, { m: 'switched' })).driftAlerts;
      return list.length > 0 ? list : undefined;
    });
    dataOf(await api.gql(`mutation { unscheduleProbing(model: "switched", genome: "g") }`));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ model: { name: 'switched' }, genome: { name: 'g' } });
    expect(alerts[0].pValue).toBeLessThanOrEqual(0.01);
    const steps = dataOf(await api.gql(DRIFT, { m: 'switched', g: 'g' })).drift;
    expect(steps.filter((s: { changed: boolean }) => s.changed)).toHaveLength(1);

    const [post] = await until('the webhook', async () => (hook.received.length > 0 ? hook.received : undefined));
    expect(hook.received).toHaveLength(1);
    expect(post.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(post.body).digest('hex')}`);
    const payload = JSON.parse(post.body);
    expect(payload).toMatchObject({ event: 'drift', alert: { id: alerts[0].id, model: { name: 'switched' } } });
    expect(post.body).not.toContain(SECRET);
  });

  it('raises no alert over 10 rounds of an endpoint that keeps its model (alpha 0.01)', async () => {
    served.model = 'llama-2-7b';
    dataOf(await api.gql(SCHEDULE, { m: 'steady', g: 'g', every: 'PT1S' }));
    const steps = await until(
      '10 rounds',
      async () => {
        const list = dataOf(await api.gql(DRIFT, { m: 'steady', g: 'g' })).drift;
        return list.length >= 9 ? list : undefined;
      },
      120_000,
    );
    dataOf(await api.gql(`mutation { unscheduleProbing(model: "steady", genome: "g") }`));
    const pValues = steps.map((s: { pValue: number }) => s.pValue.toFixed(3)).join(', ');
    process.stdout.write(`steady endpoint, p-values between successive rounds: ${pValues}\n`);
    expect(steps.filter((s: { changed: boolean }) => s.changed)).toEqual([]);
    expect(dataOf(await api.gql(ALERTS, { m: 'steady' })).driftAlerts).toEqual([]);
  }, 150_000);
});

/**
 * The export routes over real HTTP (src/server/exports-routes.ts): /trees/<genome>.svg|.nwk|.nex|.json
 * and /matrices/<genome>.phy|.csv|.names.csv, with hostile model names, the same answers as the
 * GraphQL fields, ETag/304, compression, CORS, the response cache, and clear 4xx errors.
 */
import { gunzipSync } from 'node:zlib';
import { dataOf, startTestApp, type TestApp } from '../helpers/app';
import { httpRequest } from '../helpers/http';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/validation/limits';

const HOSTILE = ['a b', 'a_b', "it's", 'x(y):z', 'ünï ☃', 'gpt-4o mini 2024-07-18', 'gpt-4o mini 2024-08-06'];
const ORIGIN = 'https://dash.example';

let app: TestApp;
let base: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({ corsOrigins: [ORIGIN] });
  base = app.url.replace(/\/graphql$/, '');
  const genes = Array.from({ length: 8 }, (_, k) => `prompt ${k}`);
  dataOf(
    await app.gql(`mutation ($i: CreateGenomeInput!) { createGenome(input: $i) { id } }`, {
      i: { name: 'zoo g', genes },
    }),
  );
  for (const [k, name] of HOSTILE.entries()) {
    const answer = await app.gql(`mutation ($i: RegisterModelInput!) { registerModel(input: $i) { id } }`, {
      i: { name, provider: 'external', family: k % 2 ? 'meta' : 'openai' },
    });
    ids[name] = dataOf(answer).registerModel.id;
    // texts drift with k, so the models differ by degrees
    const completions = genes.flatMap((_, gene) =>
      Array.from({ length: 4 }, (_, s) => ({ gene, text: `w${(gene * 7 + (s < k % 4 ? k : 0)) % 11}` })),
    );
    dataOf(
      await app.gql(`mutation ($i: ImportCompletionsInput!) { importCompletions(input: $i) { accepted } }`, {
        i: { model: ids[name], genome: 'zoo g', completions },
      }),
    );
  }
});

afterAll(() => app.stopAndClean());

const get = (path: string, headers: Record<string, string> = {}) => httpRequest(base, { path, headers });

describe('/trees/<genome>.<format>', () => {
  it('.svg draws one clickable leaf per model, by genome name, with an ETag and 304 on a match', async () => {
    const answer = await get('/trees/zoo%20g.svg?layout=radial');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const leafIds = [...answer.text.matchAll(/data-model-id="(\d+)"/g)].map((m) => m[1]);
    expect(leafIds.sort()).toEqual(Object.values(ids).sort());
    expect(answer.text).toContain('data-shape="radial"');
    const again = await get('/trees/zoo%20g.svg?layout=radial', { 'if-none-match': answer.headers.etag as string });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
  });

  it('.nwk is the GraphQL newick, names made safe and unique, and [&R] for a rooted tree', async () => {
    const nwk = await get(`/trees/zoo%20g.nwk?method=upgma`);
    expect(nwk.status).toBe(200);
    const { tree } = dataOf(await app.gql(`{ tree(genome: "zoo g", method: UPGMA) { newick nexus json } }`));
    expect(nwk.text).toBe(tree.newick);
    expect(nwk.text.startsWith('[&R] (')).toBe(true);
    expect(nwk.text).not.toMatch(/'/);
    const nex = await get(`/trees/zoo%20g.nex?method=UPGMA`);
    expect(nex.headers['content-type']).toMatch(/^text\/x-nexus/);
    expect(nex.text).toBe(tree.nexus);
    const json = await get(`/trees/zoo%20g.json?method=UPGMA`);
    expect(json.json).toEqual(tree.json);
  });

  it('.json nests every model once with its id and family', async () => {
    const { json } = await get(`/trees/zoo%20g.json?models=${ids['a b']},${ids['a_b']},${ids["it's"]}`);
    const names: string[] = [];
    const stack = [json];
    while (stack.length) {
      const node = stack.pop();
      if (node.children) stack.push(...node.children);
      else (names.push(node.name), expect(ids[node.name]).toBe(String(node.modelId)));
    }
    expect(names.sort()).toEqual(['a b', 'a_b', "it's"]);
  });

  it('is compressed for a client that accepts it, and allowed to a listed origin', async () => {
    const answer = await get('/trees/zoo%20g.svg', { 'accept-encoding': 'gzip', origin: ORIGIN });
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(answer.body).toString()).toMatch(/^<svg /);
    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('replays a repeated export from the response cache until the data changes', async () => {
    await get('/trees/zoo%20g.nwk?lengths=cladogram');
    const again = await get('/trees/zoo%20g.nwk?lengths=cladogram');
    expect(again.headers['x-phylolm-cache']).toBe('hit');
  });
});

describe('/matrices/<genome>.<format>', () => {
  it('.phy has unique PHYLIP names of 10 characters at most, and .names.csv maps them back', async () => {
    const phy = await get('/matrices/zoo%20g.phy?digits=4');
    expect(phy.status).toBe(200);
    const rows = phy.text.trimEnd().split('\n');
    expect(rows[0].trim()).toBe(String(HOSTILE.length));
    const short = rows.slice(1).map((row) => row.slice(0, 10).trimEnd());
    expect(new Set(short).size).toBe(HOSTILE.length);
    for (const name of short) expect(name).toMatch(/^[!-~]{1,10}$/);
    const table = (await get('/matrices/zoo%20g.names.csv')).text.trimEnd().split('\r\n');
    expect(table[0]).toBe('phylip,id,name');
    expect(table.slice(1).map((line) => line.split(',')[0])).toEqual(short);
    const { distanceMatrix } = dataOf(
      await app.gql(`{ distanceMatrix(genome: "zoo g") { phylipNames { short name model { id } } } }`),
    );
    expect(distanceMatrix.phylipNames.map((p: { short: string }) => p.short)).toEqual(short);
  });

  it('.phy is streamed (chunked, no whole-body length), byte for byte the GraphQL phylip, with an ETag', async () => {
    const phy = await get('/matrices/zoo%20g.phy?digits=9');
    expect(phy.status).toBe(200);
    expect(phy.headers['transfer-encoding']).toBe('chunked');
    expect(phy.headers['content-length']).toBeUndefined();
    const { distanceMatrix } = dataOf(await app.gql(`{ distanceMatrix(genome: "zoo g") { phylip(digits: 9) } }`));
    expect(phy.text).toBe(distanceMatrix.phylip);
    const again = await get('/matrices/zoo%20g.phy?digits=9', { 'if-none-match': phy.headers.etag as string });
    expect(again.status).toBe(304);
    expect((await get('/matrices/zoo%20g.phy?digits=8')).headers.etag).not.toBe(phy.headers.etag);
  });

  it('.bin parses back by its documented layout to the same models and numbers as GraphQL', async () => {
    const { distanceMatrix: m } = dataOf(
      await app.gql(`{ distanceMatrix(genome: "zoo g") { models { id name } distance similarity } }`),
    );
    const read = (bytes: Buffer) => {
      expect(bytes.subarray(0, 8).toString('latin1')).toBe('PHYLOLMM');
      const [version, n, size, kind, length] = [8, 12, 16, 20, 24].map((at) => bytes.readUInt32LE(at));
      const start = 28 + length;
      expect(start % 8).toBe(0);
      const names = JSON.parse(bytes.subarray(28, start).toString('utf8'));
      const values = Array.from({ length: n * n }, (_, k) =>
        size === 8 ? bytes.readDoubleLE(start + 8 * k) : bytes.readFloatLE(start + 4 * k),
      );
      expect(bytes.byteLength).toBe(start + n * n * size);
      return { version, n, size, kind, names, values };
    };
    const bin = await get('/matrices/zoo%20g.bin');
    expect(bin.status).toBe(200);
    expect(bin.headers['content-type']).toBe('application/octet-stream');
    expect(bin.headers['content-disposition']).toBe('attachment; filename="zoo_g.bin"');
    const d = read(bin.body);
    expect(d).toMatchObject({ version: 1, n: HOSTILE.length, size: 8, kind: 0 });
    expect(d.names).toEqual(m.models);
    expect(d.values).toEqual(m.distance.flat());
    const s = read((await get('/matrices/zoo%20g.bin?values=similarity&precision=32')).body);
    expect(s).toMatchObject({ size: 4, kind: 1 });
    expect(s.values).toEqual(m.similarity.flat().map(Math.fround));
    const head = await httpRequest(base, { path: '/matrices/zoo%20g.bin', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
  });

  it('.csv has a header row and one row per model, names as stored', async () => {
    const csv = await get('/matrices/zoo%20g.csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(HOSTILE.length + 1);
    expect(lines[1].startsWith('a b,0,')).toBe(true);
  });
});

describe('export errors', () => {
  it.each([
    ['/trees/nope.svg', 404, 'NOT_FOUND', 'genome'],
    ['/trees/zoo%20g.png', 404, 'NOT_FOUND', '.svg'],
    ['/trees/zoo%20g.svg?layout=spiral', 400, 'BAD_USER_INPUT', 'layout must be one of'],
    ['/trees/zoo%20g.svg?colour=red', 400, 'BAD_USER_INPUT', 'unknown parameter "colour"'],
    ['/trees/zoo%20g.nwk?bootstrap=many', 400, 'BAD_USER_INPUT', 'bootstrap must be a whole number'],
    ['/trees/zoo%20g.nwk?models=nobody,a_b,x', 404, 'NOT_FOUND', 'nobody'],
    ['/trees/zoo%20g.nwk?root=outgroup', 400, 'BAD_USER_INPUT', 'outgroup'],
    ['/matrices/zoo%20g.phy?digits=40', 400, 'BAD_USER_INPUT', 'digits'],
    ['/matrices/zoo%20g.bin?precision=16', 400, 'BAD_USER_INPUT', 'precision must be one of 64, 32'],
    ['/matrices/zoo%20g.bin?values=both', 400, 'BAD_USER_INPUT', 'values must be one of distance, similarity'],
    ['/matrices/zoo%20g.csv?precision=32', 400, 'BAD_USER_INPUT', 'values and precision apply to .bin only'],
    ['/matrices/nope.bin', 404, 'NOT_FOUND', 'genome'],
  ])('%s answers %d %s', async (path, status, code, fragment) => {
    const answer = await get(path);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json.errors[0].extensions.code).toBe(code);
    expect(answer.json.errors[0].message).toContain(fragment);
  });

  it('refuses what the GraphQL field refuses, with the same code: out of range, over the cost limit', async () => {
    const answer = await get('/trees/zoo%20g.nwk?bootstrap=10001');
    expect(answer.status).toBe(400);
    const viaGraphQL = await app.gql(`{ tree(genome: "zoo g", bootstrap: 10001) { newick } }`);
    expect(answer.json.errors[0]).toMatchObject({
      message: viaGraphQL.errors![0].message,
      extensions: viaGraphQL.errors![0].extensions,
    });
    // the same cost model: a server whose cost limit is below one bootstrapped tree refuses it
    const strict = await startTestApp({ queryLimits: { ...DEFAULT_QUERY_LIMITS, maxCost: 50 } }, app.dir);
    try {
      const refused = await httpRequest(strict.url.replace(/\/graphql$/, ''), {
        path: '/trees/zoo%20g.nwk?bootstrap=100',
      });
      expect(refused.status).toBe(400);
      expect(refused.json.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
      const viaStrictGraphQL = await strict.gql(`{ tree(genome: "zoo g", bootstrap: 100) { newick } }`);
      // the message carries the estimate: the same figure both ways
      expect(refused.json.errors[0].message).toBe(viaStrictGraphQL.errors![0].message);
    } finally {
      await strict.close();
    }
  });

  it('allows only GET and HEAD', async () => {
    const answer = await httpRequest(base, { path: '/trees/zoo%20g.svg', method: 'POST', body: '' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** A GraphQL POST that fails loudly on errors, returning the raw body (timed as a client would). */
export async function postGraphQL(url: string, query: string, variables: Record<string, unknown>): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  if (!text.startsWith('{"data"')) throw new Error(`GraphQL error: ${text.slice(0, 300)}`);
  return text;
}

/**
 * Times the same POST `times` times from a separate process, the way a dashboard on the same
 * machine would see it (a client in the server's own process would share its event loop and
 * bill the server for the client's work). Returns the median in milliseconds.
 */
export async function medianFromAnotherProcess(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  times: number,
): Promise<number> {
  const script = `
    const http = require('node:http');
    const [url, body, times] = [process.argv[1], process.argv[2], Number(process.argv[3])];
    const once = () => new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let size = 0;
        res.on('data', (chunk) => (size += chunk.length));
        res.on('end', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    (async () => { const ms = []; for (let i = 0; i < times; i++) ms.push(await once()); console.log(JSON.stringify(ms)); })();`;
  // Asynchronous on purpose: the server answering runs in this process.
  const out = await promisify(execFile)(
    process.execPath,
    ['-e', script, url, JSON.stringify({ query, variables }), String(times)],
    {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    },
  );
  const ms = (JSON.parse(out.stdout) as number[]).sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

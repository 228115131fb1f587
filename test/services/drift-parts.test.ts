import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { durationMs } from '../../src/services/drift/iso-duration';
import { deliver, signature } from '../../src/services/drift/webhook';

describe('ISO 8601 durations', () => {
  it.each([
    ['PT1S', 1000],
    ['PT1.5S', 1500],
    ['PT30M', 1_800_000],
    ['PT6H', 21_600_000],
    ['P1D', 86_400_000],
    ['P1DT12H', 129_600_000],
    ['P2W', 1_209_600_000],
  ])('%s is %d ms', (text, ms) => expect(durationMs(text)).toBe(ms));

  it.each(['', 'P', 'PT', '1D', 'P1M', 'P1Y', 'PT1H30', 'P1W2D', 'P-1D', 'pt1s'])('refuses "%s"', (text) =>
    expect(() => durationMs(text)).toThrow(/ISO 8601/),
  );
});

describe('webhook delivery', () => {
  it('signs the body with HMAC-SHA256 and retries with backoff until a 2xx answer', async () => {
    const seen: { body: string; signature: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (c: Buffer) => (body += c.toString()));
      request.on('end', () => {
        seen.push({ body, signature: String(request.headers['x-phylolm-signature']) });
        response.writeHead(seen.length < 3 ? 503 : 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const ok = await deliver({ url, secret: 's3cret', baseDelayMs: 5, attempts: 5 }, { hello: 'world' });
      expect(ok).toBe(true);
      expect(seen).toHaveLength(3);
      const expected = `sha256=${createHmac('sha256', 's3cret').update(seen[0].body).digest('hex')}`;
      expect(seen.map((s) => s.signature)).toEqual([expected, expected, expected]);
      expect(signature('s3cret', seen[0].body)).toBe(expected);
      expect(await deliver({ url: url.replace(/\d+\/$/, '1/'), attempts: 2, baseDelayMs: 1 }, {})).toBe(false);
    } finally {
      server.close();
    }
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boltLogger, createLogger } from '../../src/logger.ts';
import { keepAliveFetch } from '../../src/outbound/http-fetch.ts';
import { startFakeSlack } from '../support/fake-slack.ts';

const TOKEN = 'xoxb-test-token';
const quiet = boltLogger(createLogger('silent'));

describe('keepAliveFetch: the jobs’ Web API transport', () => {
  let fake: Awaited<ReturnType<typeof startFakeSlack>>;
  let odd: http.Server;
  let oddUrl: string;
  const sockets = new Set<string>();

  beforeAll(async () => {
    fake = await startFakeSlack({ token: TOKEN });
    odd = http.createServer((req, res) => {
      sockets.add(`${req.socket.remotePort}`);
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 32);
        for (let i = 0; i < 17; i++) res.write(chunk);
        res.end('{}');
        return;
      }
      if (req.url === '/slow') return; // never answers
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-seen': req.headers['content-type'] ?? '' });
        res.end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] }));
      });
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    odd.closeAllConnections();
    await new Promise((r) => odd.close(r));
    await fake.close();
  });

  it('posts the body with its length and headers, and answers status, headers and body', async () => {
    const f = keepAliveFetch();
    const body = 'text=h%C3%A9llo&channel=U1';
    const res = await f(`${oddUrl}/echo`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-seen')).toBe('application/x-www-form-urlencoded');
    expect(await res.json()).toEqual({ method: 'POST', body, length: String(Buffer.byteLength(body)) });
  });

  it('keeps its connection open between calls', async () => {
    const f = keepAliveFetch();
    sockets.clear();
    for (let i = 0; i < 5; i++) await (await f(`${oddUrl}/echo`, { method: 'POST', body: 'a=1' })).text();
    expect(sockets.size).toBe(1);
  });

  it('gives up on an answer larger than its cap, and when the caller’s signal fires', async () => {
    const f = keepAliveFetch();
    await expect(f(`${oddUrl}/big`, { method: 'POST', body: '' })).rejects.toThrow(/answer over/);
    const started = Date.now();
    await expect(f(`${oddUrl}/slow`, { method: 'POST', body: '', signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('hands what it does not carry (a form, a Request) to fetch', async () => {
    const seen: unknown[] = [];
    const fallback = (async (input: unknown) => {
      seen.push(input);
      return new Response('{}');
    }) as typeof fetch;
    const f = keepAliveFetch(fallback);
    await f(`${oddUrl}/echo`, { method: 'POST', body: new FormData() });
    await f(new Request(`${oddUrl}/echo`));
    expect(seen).toHaveLength(2);
  });

  it('carries a WebClient’s calls, its errors and Slack’s rate limit the way fetch does', async () => {
    const client = new WebClient(TOKEN, {
      slackApiUrl: fake.url,
      logger: quiet,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      fetch: keepAliveFetch(),
    });
    const sent = await client.chat.postMessage({ channel: 'U123', text: 'a & b <c>' });
    expect(sent.ok).toBe(true);
    expect(fake.callsTo('chat.postMessage').at(-1)?.args.text).toBe('a & b <c>');

    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    await expect(client.chat.postMessage({ channel: 'U123', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
    fake.failNext('chat.postMessage', { status: 503 });
    await expect(client.chat.postMessage({ channel: 'U123', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
    });
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: 'U123', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { error: 'channel_not_found' },
    });
  });
});

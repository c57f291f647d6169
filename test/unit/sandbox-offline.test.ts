import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/oncall/feed-fetch.ts';
import { isLoopbackHost, loopbackOnlyResolve, OUTSIDE, refuseOutside } from '../../src/sandbox/offline.ts';

// In the sandbox nothing leaves the machine. Under the guard sits a recorder that refuses every
// connection itself, so even a broken guard connects nowhere: the test sees what got through.
const proto = net.Socket.prototype;
const realConnect = proto.connect;
let reached: string[];
let allowOutside: () => void;
let recorder: typeof proto.connect;

beforeEach(() => {
  reached = [];
  proto.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; path?: string };
    const host = first?.host ?? String(args[1] ?? '');
    reached.push(host);
    if (isLoopbackHost(host)) return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    process.nextTick(() => this.destroy(Object.assign(new Error('recorder refused'), { code: 'ECONNREFUSED' })));
    return this;
  } as typeof proto.connect;
  recorder = proto.connect;
  allowOutside = refuseOutside();
});
afterEach(() => {
  allowOutside();
  proto.connect = realConnect;
});

const policy = { allowPrivate: false, allowLoopback: true, totalTimeoutMs: 3000, connectTimeoutMs: 1000 };

describe('the sandbox fetches nothing outside this machine', () => {
  it('refuses a feed link by name before any lookup, saying why', async () => {
    const looked: string[] = [];
    const resolve = (host: string) => {
      looked.push(host);
      return loopbackOnlyResolve(host);
    };
    await expect(fetchFeed('https://calendar.example.com/team.ics', { ...policy, resolve })).rejects.toThrow(OUTSIDE);
    expect(looked).toEqual(['calendar.example.com']);
    expect(reached).toEqual([]);
  });

  it('refuses a link to a public address before connecting, saying why', async () => {
    await expect(fetchFeed('https://93.184.215.14/team.ics', policy)).rejects.toThrow(OUTSIDE);
    expect(reached).toEqual([]);
  });

  it('refuses any other outbound connection too, and lets loopback through', async () => {
    const other = await new Promise<Error>((resolve) =>
      net.connect({ host: 'api.slack.com', port: 443 }).once('error', resolve),
    );
    expect(other.message).toBe(OUTSIDE);
    const server = net.createServer((s) => s.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const said = await new Promise<string>((resolve, reject) => {
      let got = '';
      net
        .connect({ host: 'localhost', port })
        .on('data', (d) => (got += d))
        .once('end', () => resolve(got))
        .once('error', reject);
    });
    await new Promise((resolve) => server.close(resolve));
    expect(said).toBe('hello');
    expect(reached).toEqual(['localhost']);
  });

  it('is lifted when the sandbox stops', () => {
    expect(proto.connect).not.toBe(recorder);
    allowOutside();
    expect(proto.connect).toBe(recorder);
  });

  it('knows loopback when it sees it', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', '::1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['127.example.com', '10.0.0.1', '0.0.0.0', 'example.com', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});

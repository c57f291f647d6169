import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKind } from '../../src/oncall/address.ts';
import { type FetchOptions, fetchFeed, resolveChecked } from '../../src/oncall/feed-fetch.ts';
import { maskUrl, parseFeedUrl } from '../../src/oncall/feed-url.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';

const weekly = readFileSync(new URL('../fixtures/ical/weekly-berlin.ics', import.meta.url), 'utf8');
const loopbackOk: FetchOptions = { allowPrivate: false, allowLoopback: true };

describe('the address check (DNS stubbed: nothing connects)', () => {
  it('tells public from loopback from private, IPv4 and IPv6, v4-mapped included', () => {
    const kinds = Object.fromEntries(
      [
        '93.184.216.34',
        '2606:4700::1111',
        '127.0.0.1',
        '::1',
        '::ffff:127.0.0.1',
        '10.1.2.3',
        '172.16.0.1',
        '172.31.255.255',
        '172.32.0.1',
        '192.168.1.1',
        '169.254.169.254',
        '100.64.0.1',
        '0.0.0.0',
        '224.0.0.1',
        '::',
        'fd00::1',
        'fe80::1%eth0',
        'ff02::1',
        '::ffff:10.0.0.1',
        '::ffff:a9fe:a9fe',
        '64:ff9b::a00:1',
        '2002:c0a8:101::1',
        'not-an-ip',
      ].map((a) => [a, addressKind(a)]),
    );
    expect(kinds).toEqual({
      '93.184.216.34': 'public',
      '2606:4700::1111': 'public',
      '172.32.0.1': 'public',
      '127.0.0.1': 'loopback',
      '::1': 'loopback',
      '::ffff:127.0.0.1': 'loopback',
      '10.1.2.3': 'private',
      '172.16.0.1': 'private',
      '172.31.255.255': 'private',
      '192.168.1.1': 'private',
      '169.254.169.254': 'private',
      '100.64.0.1': 'private',
      '0.0.0.0': 'private',
      '224.0.0.1': 'private',
      '::': 'private',
      'fd00::1': 'private',
      'fe80::1%eth0': 'private',
      'ff02::1': 'private',
      '::ffff:10.0.0.1': 'private',
      '::ffff:a9fe:a9fe': 'private',
      '64:ff9b::a00:1': 'private',
      '2002:c0a8:101::1': 'private',
      'not-an-ip': 'private',
    });
  });

  it('refuses a host that resolves to a private address (any of its addresses), unless allowed', async () => {
    const resolved: string[] = [];
    const resolve = async (host: string) => (
      resolved.push(host),
      [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ]
    );
    await expect(resolveChecked('calendar.internal.example', { ...loopbackOk, resolve })).rejects.toThrow(
      'refused: it points at a private or reserved network address',
    );
    expect(resolved).toEqual(['calendar.internal.example']);
    await expect(resolveChecked('[::ffff:169.254.169.254]', loopbackOk)).rejects.toThrow('private');
    await expect(resolveChecked('[fd12::1]', loopbackOk)).rejects.toThrow('private');
    const privateOk = {
      allowPrivate: true,
      allowLoopback: false,
      resolve: async () => [{ address: '10.0.0.5', family: 4 }],
    };
    expect(await resolveChecked('calendar.internal.example', privateOk)).toEqual({ address: '10.0.0.5', family: 4 });
  });

  it('refuses a name that resolves to this machine when loopback is not allowed', async () => {
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    await expect(
      fetchFeed('https://rebinding.example/x', { allowPrivate: false, allowLoopback: false, resolve }),
    ).rejects.toThrow('points at this machine');
  });

  it("accepts webcal and Slack's <…> links, refuses other schemes, and masks the secret part", () => {
    expect(parseFeedUrl('<webcal://example.com/private/abc123.ics>')).toEqual({
      url: 'https://example.com/private/abc123.ics',
    });
    expect(parseFeedUrl('<https://example.com/a?x=1&amp;y=2|example.com/a>')).toEqual({
      url: 'https://example.com/a?x=1&y=2',
    });
    expect(parseFeedUrl('ftp://example.com/x.ics')).toHaveProperty('error');
    expect(parseFeedUrl('not a url')).toHaveProperty('error');
    expect(maskUrl('https://pd.example.com/private/0123456789abcdef/feed.ics')).toBe('https://pd.example.com/….ics');
    expect(maskUrl('https://u:secret@cal.example.com/token-9f8e7d6c')).toBe('https://cal.example.com/…7d6c');
  });
});

describe('fetching from a local feed server', () => {
  let s: FeedServer;
  beforeAll(async () => {
    s = await startFeedServer();
    s.set('/weekly.ics', weekly);
  });
  afterAll(async () => s?.close());

  it('fetches, then answers not-modified to If-None-Match', async () => {
    const first = await fetchFeed(`${s.url}/weekly.ics`, loopbackOk);
    expect(first).toMatchObject({ status: 'ok', body: weekly });
    const etag = first.status === 'ok' ? first.etag : null;
    expect(etag).toMatch(/^"/);
    expect(await fetchFeed(`${s.url}/weekly.ics`, { ...loopbackOk, etag })).toEqual({ status: 'not-modified' });
    expect(s.requests.at(-1)).toEqual({ path: '/weekly.ics', ifNoneMatch: etag, status: 304 });
  });

  it('follows up to three redirects, and gives up on a loop', async () => {
    expect(await fetchFeed(`${s.url}/redirect/3`, loopbackOk)).toMatchObject({ status: 'ok' });
    await expect(fetchFeed(`${s.url}/redirect/4`, loopbackOk)).rejects.toThrow('redirected more than 3 times');
    const before = s.requests.length;
    await expect(fetchFeed(`${s.url}/loop`, loopbackOk)).rejects.toThrow('redirected more than 3 times');
    expect(s.requests.length - before).toBe(4);
  });

  it('stops reading a feed over the size cap', async () => {
    await expect(fetchFeed(`${s.url}/huge`, { ...loopbackOk, maxBytes: 2_000_000 })).rejects.toThrow(
      'larger than 2 MB',
    );
  });

  it('times out a server that never answers, and says so without the address', async () => {
    const err = await fetchFeed(`${s.url}/slow`, { ...loopbackOk, totalTimeoutMs: 300 }).catch((e: Error) => e);
    expect(String(err)).toMatch(/did not (answer|arrive) within/);
    expect(String(err)).not.toContain('127.0.0.1');
    expect(String(err)).not.toContain('/slow');
  });

  it('refuses loopback when it is not allowed, and plain http to anything but loopback', async () => {
    await expect(fetchFeed(`${s.url}/weekly.ics`, { allowPrivate: false, allowLoopback: false })).rejects.toThrow(
      'points at this machine',
    );
    const resolve = async (): Promise<never> => {
      throw new Error('must not be resolved');
    };
    await expect(fetchFeed('http://feeds.example/x.ics', { ...loopbackOk, resolve })).rejects.toThrow('only https://');
  });

  it('names the failure, never the URL', async () => {
    const err = await fetchFeed(`${s.url}/missing-secret-token.ics`, loopbackOk).catch((e: Error) => e);
    expect(String(err)).toContain('the server answered 404');
    expect(String(err)).not.toContain('secret-token');
  });
});

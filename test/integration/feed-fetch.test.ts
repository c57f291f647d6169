import { readFileSync } from 'node:fs';
import http from 'node:http';
import { isIP } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addressKind } from '../../src/oncall/address.ts';
import { type FetchOptions, fetchFeed, LOOKUPS_AT_ONCE, resolveChecked } from '../../src/oncall/feed-fetch.ts';
import { maskUrl, parseFeedUrl } from '../../src/oncall/feed-url.ts';
import { type FeedServer, startFeedServer, withServer } from '../support/feed-server.ts';
import { closedPort } from '../support/processes.ts';

const weekly = readFileSync(new URL('../fixtures/ical/weekly-berlin.ics', import.meta.url), 'utf8');
const loopbackOk: FetchOptions = { allowPrivate: false, allowLoopback: true };

describe('the address check (DNS stubbed: nothing connects)', () => {
  it('tells public from loopback, link-local and private, IPv4 and IPv6; v4-mapped, NAT64 (local use too), Teredo and IPv4-translated included', () => {
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
        '64:ff9b:1::a00:1',
        '64:ff9b:1:ffff::808:808',
        '2001:0:4136:e378:8000:63bf:3fff:fdd2',
        '2001::1',
        '::ffff:0:8.8.8.8',
        '::ffff:0:7f00:1',
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
      '169.254.169.254': 'link-local',
      '100.64.0.1': 'private',
      '0.0.0.0': 'loopback',
      '224.0.0.1': 'private',
      '::': 'loopback',
      'fd00::1': 'private',
      'fe80::1%eth0': 'link-local',
      'ff02::1': 'private',
      '::ffff:10.0.0.1': 'private',
      '::ffff:a9fe:a9fe': 'link-local',
      '64:ff9b::a00:1': 'private',
      '2002:c0a8:101::1': 'private',
      '64:ff9b:1::a00:1': 'private',
      '64:ff9b:1:ffff::808:808': 'private',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2': 'private',
      '2001::1': 'private',
      '::ffff:0:8.8.8.8': 'private',
      '::ffff:0:7f00:1': 'private',
      'not-an-ip': 'private',
    });
  });

  // Found by mutation testing: IPv4 inside IPv6 is read from the right groups, and only there.
  it('reads the IPv4 address inside NAT64 and 6to4 addresses, dotted or not, and nowhere else', () => {
    const kinds = Object.fromEntries(
      [
        '64:ff9b::93.184.216.34',
        '64:ff9b::127.0.0.1',
        '64:ff9b::5db8:d822',
        '2002:7f00:1::1',
        '2002:5db8:d822::1',
        // Inside the IETF-reserved ::/8 (refused), though not NAT64.
        '64::a00:1',
        // Public IPv6 addresses that merely look like those forms in some groups.
        '2606:ff9b::a00:1',
        '2606:4700:1:2:3:ffff:a00:1',
        '2606:0:1:2:3:ffff:a00:1',
        '2606:4700:1:2:ffff:0:a00:1',
        '2606:0:1:2:ffff:0:a00:1',
      ].map((a) => [a, addressKind(a)]),
    );
    expect(kinds).toEqual({
      '64:ff9b::93.184.216.34': 'public',
      '64:ff9b::127.0.0.1': 'loopback',
      '64:ff9b::5db8:d822': 'public',
      '2002:7f00:1::1': 'loopback',
      '2002:5db8:d822::1': 'public',
      '64::a00:1': 'private',
      '2606:ff9b::a00:1': 'public',
      '2606:4700:1:2:3:ffff:a00:1': 'public',
      '2606:0:1:2:3:ffff:a00:1': 'public',
      '2606:4700:1:2:ffff:0:a00:1': 'public',
      '2606:0:1:2:ffff:0:a00:1': 'public',
    });
  });

  it('lets a public address through when neither private nor loopback targets are allowed', async () => {
    const strict = {
      allowPrivate: false,
      allowLoopback: false,
      resolve: async () => [{ address: '93.184.216.34', family: 4 }],
    };
    expect(await resolveChecked('calendar.example.com', strict)).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await resolveChecked('[2606:4700::1111]', strict)).toEqual({ address: '2606:4700::1111', family: 6 });
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
    await expect(resolveChecked('[::ffff:169.254.169.254]', loopbackOk)).rejects.toThrow('link-local');
    await expect(resolveChecked('[fd12::1]', loopbackOk)).rejects.toThrow('private');
    const privateOk = {
      allowPrivate: true,
      allowLoopback: false,
      resolve: async () => [{ address: '10.0.0.5', family: 4 }],
    };
    expect(await resolveChecked('calendar.internal.example', privateOk)).toEqual({ address: '10.0.0.5', family: 4 });
  });

  it('ONCALL_FEED_ALLOW_PRIVATE opens private networks, never this machine or link-local', async () => {
    const privateOk = { allowPrivate: true };
    const at = (address: string) => ({ ...privateOk, resolve: async () => [{ address, family: isIP(address) }] });
    expect(await resolveChecked('cal.corp.example', at('10.0.0.5'))).toEqual({ address: '10.0.0.5', family: 4 });
    for (const address of ['127.0.0.1', '::1', '0.0.0.0', '::ffff:127.0.0.1']) {
      await expect(resolveChecked('cal.corp.example', at(address)), address).rejects.toThrow('points at this machine');
    }
    for (const address of ['169.254.169.254', 'fe80::1', '::ffff:169.254.169.254']) {
      await expect(resolveChecked('cal.corp.example', at(address)), address).rejects.toThrow('link-local');
    }
  });

  it('the DNS lookup counts inside the total time budget', async () => {
    const started = Date.now();
    let answered: Promise<unknown> = Promise.resolve();
    const slow = () => {
      const p = new Promise<{ address: string; family: number }[]>((r) =>
        setTimeout(() => r([{ address: '10.0.0.9', family: 4 }]), 1_500),
      );
      answered = p;
      return p;
    };
    await expect(
      fetchFeed('https://slow-dns.example/x.ics', { allowPrivate: false, resolve: slow, totalTimeoutMs: 300 }),
    ).rejects.toThrow('did not arrive within 0.3 s');
    expect(Date.now() - started).toBeLessThan(1_200);
    await answered; // its turn ends with the lookup itself (a thread of the pool held until then)
  });

  it(`resolves at most ${LOOKUPS_AT_ONCE} host names at once, however many feeds are fetched together`, async () => {
    let inFlight = 0;
    let most = 0;
    const resolve = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return [{ address: '10.0.0.9', family: 4 }];
    };
    const all = Array.from({ length: 8 }, (_, i) =>
      fetchFeed(`https://feed-${i}.example/x.ics`, { allowPrivate: false, resolve }).catch((e: Error) => e.message),
    );
    expect(new Set(await Promise.all(all))).toEqual(
      new Set(['the feed address is refused: it points at a private or reserved network address']),
    );
    expect(most).toBe(LOOKUPS_AT_ONCE);
  });

  it('refuses a name that resolves to this machine when loopback is not allowed', async () => {
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    await expect(
      fetchFeed('https://rebinding.example/x', { allowPrivate: false, allowLoopback: false, resolve }),
    ).rejects.toThrow('points at this machine');
  });

  it('answers "could not be found" for a name with no addresses', async () => {
    const resolve = async () => [];
    await expect(fetchFeed('https://empty.example/x', { allowPrivate: false, resolve })).rejects.toThrow(
      "the feed's host name could not be found",
    );
  });

  it('refuses plain http to "localhost" when the name resolves elsewhere', async () => {
    const resolve = async () => [{ address: '10.1.2.3', family: 4 }];
    // Nothing may connect there: a request that got this far fails here instead.
    const request = vi.spyOn(http, 'request').mockImplementation(() => {
      throw new Error('a connection was attempted');
    });
    try {
      await expect(fetchFeed('http://localhost/x.ics', { allowPrivate: true, resolve })).rejects.toThrow(
        'only https://',
      );
    } finally {
      request.mockRestore();
    }
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

  it('refuses a redirect to an address that is not a feed address', async () => {
    await withServer(
      (_req, res) => res.writeHead(302, { location: 'ftp://127.0.0.1/x.ics' }).end(),
      async (url) =>
        expect(fetchFeed(`${url}/x.ics`, loopbackOk)).rejects.toThrow('redirected to an address that is not https'),
    );
  });

  it('refuses a feed whose declared length is over the size cap without waiting for the body', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/calendar', 'content-length': '3000000' });
        res.write('BEGIN:VCALENDAR\r\n'); // and then nothing more: only the declared length can tell
      },
      async (url) =>
        expect(
          fetchFeed(`${url}/x.ics`, { ...loopbackOk, maxBytes: 2_000_000, totalTimeoutMs: 2_000 }),
        ).rejects.toThrow('larger than 2 MB'),
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

  it('a refused target answers the same whether a port there is open or closed', async () => {
    const closed = await closedPort();
    const refused = (url: string) => fetchFeed(url, { allowPrivate: true }).catch((e: Error) => e.message);
    const open = await refused(`https://127.0.0.1:${new URL(s.url).port}/weekly.ics`);
    expect(open).toBe('the feed address is refused: it points at this machine');
    expect(await refused(`https://127.0.0.1:${closed}/weekly.ics`)).toBe(open);
    expect(s.requests.some((r) => r.path === '/weekly.ics' && r.status === 0)).toBe(false);
  });

  it('names the failure, never the URL', async () => {
    const err = await fetchFeed(`${s.url}/missing-secret-token.ics`, loopbackOk).catch((e: Error) => e);
    expect(String(err)).toContain('the server answered 404');
    expect(String(err)).not.toContain('secret-token');
  });
});

// A feed fetch at its edges, against one-off servers on loopback (test/support/feed-server.ts):
// which of its limits ends a fetch, and what the feed's owner is told. Every wait here is a
// fraction of a second. Found unwatched by mutation testing (issue 22).
import http from 'node:http';
import { type AddressInfo, getDefaultAutoSelectFamily, setDefaultAutoSelectFamily } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type FetchOptions, fetchFeed, LOOKUPS_AT_ONCE, resolveChecked } from '../../src/oncall/feed-fetch.ts';
import { withServer } from '../support/feed-server.ts';

const loopbackOk: FetchOptions = { allowPrivate: false, allowLoopback: true };
const weekly = `BEGIN:VCALENDAR\r\n${'X-PADDING:'.padEnd(200, 'x')}\r\n`.repeat(50);

describe('which limit ends a fetch', () => {
  it('a server that accepts and says nothing is given up after the connect timeout, not the whole time', async () => {
    await withServer(
      () => undefined, // accepts, then says nothing
      (url) =>
        expect(
          fetchFeed(`${url}/x.ics`, { ...loopbackOk, connectTimeoutMs: 200, totalTimeoutMs: 1_500 }),
        ).rejects.toThrow("the feed's server did not answer within 0.2 s"),
    );
  });

  it('a compressed feed whose connection drops halfway is told as a closed connection, at once', async () => {
    const packed = gzipSync(weekly);
    const started = Date.now();
    await withServer(
      (req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) });
        res.write(packed.subarray(0, packed.length >> 1), () => setTimeout(() => req.socket.destroy(), 20));
      },
      (url) =>
        expect(fetchFeed(`${url}/x.ics`, { ...loopbackOk, totalTimeoutMs: 1_500 })).rejects.toThrow(
          "the feed's server closed the connection",
        ),
    );
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('what is read, and from where', () => {
  it('a 200 that also carries a Location header is the feed itself, not a redirect', async () => {
    await withServer(
      (req, res) => {
        if (req.url === '/x.ics') return void res.writeHead(200, { location: '/elsewhere.ics' }).end(weekly);
        res.writeHead(404).end();
      },
      async (url) => expect(await fetchFeed(`${url}/x.ics`, loopbackOk)).toMatchObject({ status: 'ok', body: weekly }),
    );
  });

  it('a 404 says the feed is gone and may have been reset', async () => {
    await withServer(
      (_req, res) => res.writeHead(404).end(),
      (url) =>
        expect(fetchFeed(`${url}/x.ics`, loopbackOk)).rejects.toThrow(
          /^the server answered 404 \(the feed is gone; was it reset\?\)$/,
        ),
    );
  });

  it('a tiny compressed feed is read even when compression made it bigger than the cap', async () => {
    const small = 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n';
    const packed = gzipSync(small);
    expect(packed.length).toBeGreaterThan(small.length + 8);
    await withServer(
      (_req, res) =>
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) }).end(packed),
      async (url) =>
        expect(await fetchFeed(`${url}/x.ics`, { ...loopbackOk, maxBytes: small.length })).toMatchObject({
          body: small,
        }),
    );
  });

  it('reads plain http from the IPv6 loopback [::1]', async () => {
    const server = http.createServer((_req, res) => res.writeHead(200).end(weekly));
    await new Promise<void>((r) => server.listen(0, '::1', r));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await fetchFeed(`http://[::1]:${port}/x.ics`, loopbackOk)).toMatchObject({ status: 'ok', body: weekly });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('reads "localhost" through the system resolver (no resolver of its own given)', async () => {
    // localhost is this machine whichever address the resolver gives first: listen on both.
    const servers = [http.createServer((_req, res) => res.writeHead(200).end(weekly))];
    await new Promise<void>((r) => servers[0]!.listen(0, '127.0.0.1', r));
    const { port } = servers[0]!.address() as AddressInfo;
    const v6 = http.createServer((_req, res) => res.writeHead(200).end(weekly));
    await new Promise<void>((r) => v6.once('error', () => r()).listen(port, '::1', () => (servers.push(v6), r())));
    try {
      expect(await fetchFeed(`http://localhost:${port}/x.ics`, loopbackOk)).toMatchObject({
        status: 'ok',
        body: weekly,
      });
    } finally {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
    }
  });

  it('still connects when Node picks no address family itself (--no-network-family-autoselection)', async () => {
    const before = getDefaultAutoSelectFamily();
    setDefaultAutoSelectFamily(false);
    try {
      // A host name, not an address: only then does the connection ask for the checked address.
      const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
      await withServer(
        (_req, res) => res.writeHead(200).end(weekly),
        async (url) =>
          expect(
            await fetchFeed(`http://localhost:${new URL(url).port}/x.ics`, { ...loopbackOk, resolve }),
          ).toMatchObject({ body: weekly }),
      );
    } finally {
      setDefaultAutoSelectFamily(before);
    }
  });
});

describe('a lookup that cannot start in time', () => {
  it('a fetch whose time is already up does not wait for a turn to look its name up', async () => {
    // Both turns held by lookups that have not answered yet.
    const release: (() => void)[] = [];
    const held = () =>
      new Promise<{ address: string; family: number }[]>((r) =>
        release.push(() => r([{ address: '93.184.216.34', family: 4 }])),
      );
    const holders = Array.from({ length: LOOKUPS_AT_ONCE }, (_, i) =>
      resolveChecked(`holder-${i}.example`, { allowPrivate: false, resolve: held }),
    );
    try {
      let outcome = 'still waiting';
      const late = resolveChecked(
        'late.example',
        { allowPrivate: false, resolve: async () => [{ address: '93.184.216.34', family: 4 }] },
        AbortSignal.abort(),
      ).then(
        () => 'looked up',
        (e: Error) => `gave up: ${e.name}`,
      );
      void late.then((o) => (outcome = o));
      await new Promise((r) => setTimeout(r, 50));
      expect(outcome).toBe('gave up: AbortError');
    } finally {
      await new Promise((r) => setTimeout(r, 0));
      for (const r of release) r();
      await Promise.all(holders);
    }
  });
});

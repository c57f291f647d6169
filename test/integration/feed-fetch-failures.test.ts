// What the feed's owner is told when a fetch fails, and what a fetch reads, against one-off
// servers on loopback (test/support/feed-server.ts). Found unwatched by mutation testing (issue 22).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type FetchOptions, fetchFeed, resolveChecked } from '../../src/oncall/feed-fetch.ts';
import { startFeedServer, withServer } from '../support/feed-server.ts';
import { closedPort } from '../support/processes.ts';

const weekly = readFileSync(new URL('../fixtures/ical/weekly-berlin.ics', import.meta.url), 'utf8');
const loopbackOk: FetchOptions = { allowPrivate: false, allowLoopback: true };

describe('a name that does not resolve', () => {
  it('answers "could not be found" when the name does not resolve, checked on its own or inside a fetch', async () => {
    const resolve = async (): Promise<never> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
    };
    await expect(resolveChecked('nowhere.example', { allowPrivate: false, resolve })).rejects.toThrow(
      "the feed's host name could not be found",
    );
    await expect(fetchFeed('https://nowhere.example/x.ics', { allowPrivate: false, resolve })).rejects.toThrow(
      "the feed's host name could not be found",
    );
  });
});

// Each failure named, never the URL.
describe('what a failed fetch tells the feed owner (one-off loopback servers)', () => {
  it('a refused connection, a connection closed mid-request, a server that never answers', async () => {
    const closed = await closedPort();
    await expect(fetchFeed(`http://127.0.0.1:${closed}/x.ics`, loopbackOk)).rejects.toThrow(
      "the feed's server refused the connection",
    );
    await withServer(
      (req) => req.socket.destroy(),
      (url) => expect(fetchFeed(`${url}/x.ics`, loopbackOk)).rejects.toThrow("the feed's server closed the connection"),
    );
    await withServer(
      () => undefined, // accepts, then says nothing
      (url) =>
        expect(fetchFeed(`${url}/x.ics`, { ...loopbackOk, connectTimeoutMs: 200 })).rejects.toThrow(
          "the feed's server did not answer within 0.2 s",
        ),
    );
  });

  it('an answer that is not HTTP names what was wrong with it', async () => {
    const server = createNetServer((socket) => socket.once('data', () => socket.end('hello, this is not http\r\n')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      await expect(fetchFeed(`http://127.0.0.1:${port}/x.ics`, loopbackOk)).rejects.toThrow(
        /^the feed could not be fetched \(HPE_[A-Z_]+\)$/,
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a feed that starts and then stalls past the whole time allowed', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/calendar' });
        res.write('BEGIN:VCALENDAR\r\n');
      },
      (url) =>
        expect(fetchFeed(`${url}/x.ics`, { ...loopbackOk, totalTimeoutMs: 400 })).rejects.toThrow(
          'the feed did not arrive within 0.4 s',
        ),
    );
  });

  it('an error status says the status; only 404 and 410 add that the feed may have been reset', async () => {
    const answers: string[] = [];
    await withServer(
      (req, res) => res.writeHead(Number(req.url?.slice(1))).end(),
      async (url) => {
        for (const status of [410, 500, 403, 300])
          answers.push(
            await fetchFeed(`${url}/${status}`, loopbackOk).then(
              () => 'fetched',
              (e: Error) => e.message,
            ),
          );
      },
    );
    expect(answers).toEqual([
      'the server answered 410 (the feed is gone; was it reset?)',
      'the server answered 500',
      'the server answered 403',
      'the server answered 300',
    ]);
  });

  it('a redirect with no Location is an answer, not a hop', async () => {
    await withServer(
      (_req, res) => res.writeHead(302).end(),
      (url) => expect(fetchFeed(`${url}/x.ics`, loopbackOk)).rejects.toThrow('the server answered 302'),
    );
  });

  it('a broken compressed answer', async () => {
    await withServer(
      (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('this is not gzip'),
      (url) =>
        expect(fetchFeed(`${url}/x.ics`, loopbackOk)).rejects.toThrow(
          "the feed's server sent a broken compressed answer",
        ),
    );
  });

  it('a server certificate that cannot be verified (self-signed, on https)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feed-cert-'));
    try {
      execFileSync(
        'openssl',
        [
          ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
          ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
        ],
        { stdio: 'ignore' },
      );
      const server = https.createServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (_req, res) => res.writeHead(200).end(weekly),
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as { port: number }).port;
        await expect(fetchFeed(`https://127.0.0.1:${port}/x.ics`, loopbackOk)).rejects.toThrow(
          "the feed's server certificate could not be verified",
        );
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what a fetch reads', () => {
  it('without a cap of its own, stops at 2 MB', async () => {
    const s = await startFeedServer();
    try {
      await expect(fetchFeed(`${s.url}/huge`, loopbackOk)).rejects.toThrow('the feed is larger than 2 MB');
    } finally {
      await s.close();
    }
  });

  it('reads plain http from "localhost" when the name is this machine', async () => {
    const s = await startFeedServer();
    s.set('/weekly.ics', weekly);
    try {
      const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
      const localhost = `http://localhost:${new URL(s.url).port}/weekly.ics`;
      expect(await fetchFeed(localhost, { ...loopbackOk, resolve })).toMatchObject({ status: 'ok', body: weekly });
    } finally {
      await s.close();
    }
  });

  it('a compressed feed, unpacked, asked for with Accept-Encoding; its Last-Modified, sent back, gets not-modified', async () => {
    const lastModified = 'Mon, 07 Dec 2026 09:00:00 GMT';
    const seen: (string | undefined)[] = [];
    const agents: string[] = [];
    await withServer(
      (req, res) => {
        seen.push(req.headers['if-modified-since']);
        agents.push(`${req.headers['user-agent']} | ${req.headers.accept}`);
        if (req.headers['if-modified-since'] === lastModified) return void res.writeHead(304).end();
        if (!/gzip/.test(String(req.headers['accept-encoding']))) return void res.writeHead(406).end();
        res.writeHead(200, { 'content-encoding': 'gzip', 'last-modified': lastModified }).end(gzipSync(weekly));
      },
      async (url) => {
        expect(await fetchFeed(`${url}/x.ics`, loopbackOk)).toEqual({
          status: 'ok',
          body: weekly,
          etag: null,
          lastModified,
        });
        expect(await fetchFeed(`${url}/x.ics`, { ...loopbackOk, lastModified })).toEqual({ status: 'not-modified' });
      },
    );
    expect(seen).toEqual([undefined, lastModified]);
    // What the feed's provider sees in its logs: who is reading, and that a calendar is wanted.
    expect(new Set(agents)).toEqual(new Set(['growthbot (on-call feed reader) | text/calendar, */*;q=0.5']));
  });

  it('the size cap counts the feed as it unpacks, whatever its compressed length says; a feed of exactly the cap is read', async () => {
    const big = 'X'.repeat(50_000);
    await withServer(
      (req, res) => {
        const body = req.url === '/gz' ? gzipSync(big) : Buffer.from(big);
        res.writeHead(200, {
          'content-length': String(body.length),
          ...(req.url === '/gz' ? { 'content-encoding': 'gzip' } : {}),
        });
        res.end(body);
      },
      async (url) => {
        await expect(fetchFeed(`${url}/gz`, { ...loopbackOk, maxBytes: 49_999 })).rejects.toThrow(
          'the feed is larger than',
        );
        expect(await fetchFeed(`${url}/gz`, { ...loopbackOk, maxBytes: 50_000 })).toMatchObject({ body: big });
        expect(await fetchFeed(`${url}/plain`, { ...loopbackOk, maxBytes: 50_000 })).toMatchObject({ body: big });
      },
    );
  });

  it('follows 301, 302, 303, 307 and 308 alike, at most maxRedirects of them', async () => {
    await withServer(
      (req, res) => {
        const hop = /^\/(\d+)$/.exec(req.url ?? '');
        if (hop) return void res.writeHead(Number(hop[1]), { location: '/feed.ics' }).end();
        res.writeHead(200).end(weekly);
      },
      async (url) => {
        for (const status of [301, 302, 303, 307, 308])
          expect(await fetchFeed(`${url}/${status}`, loopbackOk), String(status)).toMatchObject({ body: weekly });
        await expect(fetchFeed(`${url}/301`, { ...loopbackOk, maxRedirects: 0 })).rejects.toThrow(
          'the feed redirected more than 0 times',
        );
      },
    );
  });
});

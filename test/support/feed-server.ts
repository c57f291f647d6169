import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedServer {
  /** http://127.0.0.1:port */
  url: string;
  /** Serves `body` at `path`, with an ETag made from it. */
  set(path: string, body: string): void;
  /** Requests seen, with the conditional header each carried. */
  requests: { path: string; ifNoneMatch: string | null; status: number }[];
  close(): Promise<void>;
}

/**
 * A feed host on loopback for tests and benches. Besides the feeds set on it: `/redirect/N`
 * redirects N times then serves `/weekly.ics`, `/loop` redirects to itself, `/huge` streams
 * without end (no Content-Length), `/slow` never answers.
 */
export async function startFeedServer(): Promise<FeedServer> {
  const feeds = new Map<string, { body: string; etag: string }>();
  const requests: FeedServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const ifNoneMatch = typeof req.headers['if-none-match'] === 'string' ? req.headers['if-none-match'] : null;
    const answer = (status: number) => requests.push({ path, ifNoneMatch, status });
    const redirect = /^\/redirect\/(\d+)$/.exec(path);
    if (redirect) {
      const n = Number(redirect[1]);
      answer(302);
      res.writeHead(302, { location: n > 1 ? `/redirect/${n - 1}` : '/weekly.ics' }).end();
    } else if (path === '/loop') {
      answer(301);
      res.writeHead(301, { location: '/loop' }).end();
    } else if (path === '/huge') {
      answer(200);
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const chunk = `BEGIN:VCALENDAR\r\n${'X-PADDING:'.padEnd(1000, 'x')}\r\n`.repeat(64);
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
      };
      res.on('drain', pump);
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    } else if (path === '/slow') {
      answer(0);
    } else {
      const feed = feeds.get(path);
      if (!feed) return void (answer(404), res.writeHead(404).end());
      if (ifNoneMatch === feed.etag) return void (answer(304), res.writeHead(304, { etag: feed.etag }).end());
      answer(200);
      res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', etag: feed.etag }).end(feed.body);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (path, body) =>
      feeds.set(path, { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` }),
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A one-off server on loopback answering with `handler`, closed after `use`. */
export async function withServer(
  handler: Parameters<typeof http.createServer>[1],
  use: (url: string) => Promise<unknown>,
): Promise<void> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

// A stand-in for the sandbox server's HTTP API, for testing the page on its own: it serves the
// real page files, answers /sandbox/state from a state the test sets, records every POST, and
// pushes `change` events. The real server is tested end to end in test/browser/sandbox.test.ts.
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';

const PAGE = join(import.meta.dirname, '../../src/sandbox/page');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

export interface Posted {
  path: string;
  body: Record<string, unknown>;
}
export type Reply = (p: Posted) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;

export interface PageStub {
  url: string;
  state: Record<string, unknown>;
  posted: Posted[];
  /** Answers for POSTs (default `{ ok: true }`), at once or when a promise settles. */
  reply: Reply;
  /** Replaces part of the state and tells the page. */
  change(patch: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startPageStub(state: Record<string, unknown>): Promise<PageStub> {
  const clients = new Set<ServerResponse>();
  let version = 0;
  const stub: PageStub = {
    url: '',
    state,
    posted: [],
    reply: () => undefined,
    change(patch) {
      Object.assign(stub.state, patch);
      version += 1;
      for (const c of clients) c.write(`event: change\ndata: {"version":${version}}\n\n`);
    },
    close: () =>
      new Promise((resolve) => {
        for (const c of clients) c.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname.startsWith('/page/'))) {
      const file = url.pathname === '/' ? 'index.html' : url.pathname.slice('/page/'.length);
      if (!/^[a-z-]+\.(html|js|css|svg)$/.test(file)) return void res.writeHead(404).end();
      const body = await readFile(join(PAGE, file)).catch(() => null);
      return void (body
        ? res.writeHead(200, { 'content-type': TYPES[extname(file)]! }).end(body)
        : res.writeHead(404).end());
    }
    if (url.pathname === '/sandbox/state') {
      const as = url.searchParams.get('as') ?? stub.state.acting;
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ...stub.state, acting: as }));
    }
    if (url.pathname === '/sandbox/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': hello\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/sandbox/')) {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const posted = { path: url.pathname.slice('/sandbox/'.length), body: JSON.parse(raw) as Record<string, unknown> };
      stub.posted.push(posted);
      const answer = (await stub.reply(posted)) ?? { ok: true };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

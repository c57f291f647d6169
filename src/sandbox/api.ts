// The sandbox's HTTP API (state, act, events, command, message, action,
// submit, close, clock, incident, files), the demo on-call feed and the page's static files.
// Listens on 127.0.0.1 only.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { teamMembers } from '../db/members.ts';
import { currentMentorships } from '../db/mentorships.ts';
import { moveClock } from './clock.ts';
import { isOwnHost, readBody } from './http-guard.ts';
import { channelViews, incidentChannel } from './incident-channel.ts';
import { type Answer, action, close, command, message, submit } from './interactions.ts';
import { demoCalendar, FEED_PATH } from './oncall-demo.ts';
import { DEFAULT_ACTING, jumps, PEOPLE, TEAM_ID } from './people.ts';
import { appHomeOpened } from './slack-requests.ts';
import { tour } from './tour.ts';
import type { Sandbox } from './types.ts';
import { dmFor } from './workspace.ts';

export interface Api {
  port: number;
  close(): Promise<void>;
}

const PAGE = new URL('./page/', import.meta.url);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** The posts whose `text` is what the visitor typed. */
const TYPED = ['command', 'message', 'incident'];
const PLACEHOLDER =
  '<!doctype html><meta charset="utf-8"><title>growthbot sandbox</title><p>The sandbox is running; its page is not built yet. See /sandbox/state.';

async function state(s: Sandbox, as: string): Promise<Record<string, unknown>> {
  const ws = s.standIn.workspace;
  const [members, mentorships] = await Promise.all([
    teamMembers(s.deps.db, TEAM_ID),
    currentMentorships(s.deps.db, TEAM_ID),
  ]);
  const byId = new Map(members.map((m) => [m.userId, m]));
  const people = PEOPLE.map((p) => {
    const m = byId.get(p.id);
    const joined = Boolean(m?.joinedAt && m.level && m.status !== 'left');
    return {
      id: p.id,
      name: p.name,
      level: joined ? m!.level : null,
      // A row's zone only once growthbot read it (someone who only wrote to the bot has the default).
      tz: m?.tzCheckedAt ? m.tz : p.tz,
      admin: s.deps.config.adminUserIds.includes(p.id),
      joined,
      mentorOf: mentorships.filter((x) => x.mentorId === p.id).map((x) => x.menteeId),
    };
  });
  const dm = (ws.conversations.get(dmFor(as)) ?? []).map((m) => ({
    ts: m.ts,
    from: m.from,
    user: m.user,
    text: m.text,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ephemeral: m.ephemeral,
    edited: m.edited,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.files ? { files: m.files.map((f) => ({ id: f.id, name: f.name, url: `/sandbox/files/${f.id}` })) } : {}),
  }));
  const home = ws.homes.get(as);
  return {
    now: s.clock.now().toISOString(),
    acting: as,
    people,
    names: Object.fromEntries([
      ...PEOPLE.map((p) => [p.id, p.name]),
      ['UBOT', 'growthbot'],
      ...[...s.standIn.channels.values()].map((c) => [c.id, c.name]),
    ]),
    dm,
    home: home ? { id: home.id, view: home.view } : null,
    modals: (ws.modals.get(as) ?? []).map((v) => ({
      id: v.id,
      view: v.view,
      ...(s.errors.has(v.id) ? { errors: s.errors.get(v.id) } : {}),
    })),
    jumps: jumps(s.clock.now(), people.find((p) => p.id === as)?.tz ?? 'UTC'),
    channels: channelViews(s),
    tour: await tour(s, as),
  };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
};

/** The most a request to the page API may carry: a message is at most 40,000 characters. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The body as a JSON object; null when it is larger than `MAX_BODY_BYTES` (nothing more is read). */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const raw = await readBody(req, MAX_BODY_BYTES);
  if (raw === null) return null;
  const parsed = JSON.parse(raw.toString('utf8') || '{}') as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * Only our own page may use the API: the Host must be our loopback address and port (a page
 * on another name that resolves here, DNS rebinding, is refused), and a state change must come
 * from our own Origin as JSON (a form or a text/plain fetch from any other page is refused).
 */
function refusal(req: IncomingMessage, port: number): { status: number; error: string } | null {
  if (!isOwnHost(req, port)) return { status: 403, error: `This sandbox answers only at http://127.0.0.1:${port}.` };
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  // Same-origin: the page's own address, as the Host it was loaded from.
  if (req.headers.origin !== `http://${req.headers.host?.toLowerCase()}`)
    return { status: 403, error: 'The sandbox takes changes only from its own page.' };
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
    return { status: 415, error: 'The sandbox takes changes only as application/json.' };
  return null;
}

/**
 * Opens the page's port on 127.0.0.1 before anything else is made, so a port in use is said at
 * once (not after a database was made and seeded); `startApi` answers on it.
 */
/**
 * A page opened while the demo is still being made (a reload, a browser restoring its tabs) is
 * told so and reloads itself, instead of a request nobody answers: `startApi` takes over.
 */
function starting(_req: IncomingMessage, res: ServerResponse): void {
  res
    .writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '1', 'cache-control': 'no-store' })
    .end(
      '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>growthbot sandbox</title><p>The sandbox is starting; this page reloads by itself.</p>',
    );
}

export async function openPort(port: number): Promise<Server> {
  const server = createServer(starting);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

export async function closePort(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startApi(s: Sandbox, server: Server): Promise<Api> {
  const clients = new Set<ServerResponse>();
  const ws = s.standIn.workspace;
  ws.onChange(() => {
    for (const c of clients) c.write(`event: change\ndata: {"version":${ws.version}}\n\n`);
  });
  const known = (id: unknown): id is string => typeof id === 'string' && PEOPLE.some((p) => p.id === id);
  // Acting as someone opens their Home tab in Slack: the app hears app_home_opened and publishes it.
  // Only a visitor's choice does this (POST act), never a read: a published Home is a change
  // every open page reloads for, and two pages acting as two people would switch back and forth.
  const actAs = (as: string): void => {
    if (as === s.acting && ws.homes.has(as)) return;
    s.acting = as;
    void s.send(appHomeOpened({ user: as }), as).catch(() => undefined);
  };

  const posts: Record<string, (b: Record<string, unknown>, as: string) => Promise<Answer>> = {
    command: (b, as) => command(s, as, String(b.text ?? '')),
    message: (b, as) => message(s, as, String(b.text ?? '')),
    action: (b, as) => action(s, as, b),
    submit: (b, as) => submit(s, as, String(b.view_id ?? ''), (b.values ?? {}) as Record<string, unknown>),
    close: (b, as) => close(s, as, String(b.view_id ?? '')),
    clock: (b, as) => moveClock(s, as, b.to),
    incident: (b, as) => incidentChannel(s, as, b),
    // The Home tab opened (again): Slack sends app_home_opened each time, and the app republishes.
    // The page's visitor chose someone (or the page opened): they act as them from now on.
    act: async (_b, as) => {
      actAs(as);
      return { ok: true, acting: as };
    },
    home: async (_b, as) => {
      s.acting = as;
      const res = await s.send(appHomeOpened({ user: as }), as);
      return res.status === 200 ? { ok: true } : { ok: false, error: `The app answered ${res.status}.` };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const refused = refusal(req, (server.address() as AddressInfo).port);
    if (refused) return json(res, refused.status, { ok: false, error: refused.error });
    if (req.method === 'GET' && (path === '/' || path === '/favicon.ico' || path.startsWith('/page/'))) {
      const file =
        path === '/' ? 'index.html' : path === '/favicon.ico' ? 'growthbot.svg' : path.slice('/page/'.length);
      if (!/^[\w-]+\.(html|js|css|svg|png)$/.test(file)) return void res.writeHead(404).end('not found');
      const body = await readFile(new URL(file, PAGE)).catch(() => null);
      if (!body && file === 'index.html')
        return void res.writeHead(200, { 'content-type': TYPES['.html']! }).end(PLACEHOLDER);
      return void (body
        ? res.writeHead(200, { 'content-type': TYPES[extname(file)]!, 'cache-control': 'no-store' }).end(body)
        : res.writeHead(404).end('not found'));
    }
    // The demo on-call schedule, read by the app's own feed fetch (oncall-demo.ts).
    if (req.method === 'GET' && path === FEED_PATH) {
      return void res
        .writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'no-store' })
        .end(demoCalendar(s.demoStart));
    }
    if (req.method === 'GET' && path === '/sandbox/state') {
      const as = url.searchParams.get('as') ?? s.acting;
      if (!known(as)) return json(res, 404, { ok: false, error: `No one called ${as} here.` });
      // A read changes nothing, not even who is acting (that is POST act).
      return json(res, 200, await state(s, as));
    }
    if (req.method === 'GET' && path === '/sandbox/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`event: change\ndata: {"version":${ws.version}}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    const file = /^\/sandbox\/files\/(F\w+)$/.exec(path);
    if (req.method === 'GET' && file) {
      const f = ws.files.get(file[1]!);
      if (!f?.content) return void res.writeHead(404).end('no such file');
      const name = f.name.replace(/[^\w.-]/g, '_');
      return void res
        .writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="${name}"`,
        })
        .end(f.content);
    }
    const post = /^\/sandbox\/(\w+)$/.exec(path);
    // Own keys only: /sandbox/constructor or /sandbox/__proto__ is no endpoint (Object's own).
    if (req.method === 'POST' && post && Object.hasOwn(posts, post[1]!)) {
      let body: Record<string, unknown> | null;
      try {
        body = await readJson(req);
      } catch {
        return json(res, 400, { ok: false, error: 'The body must be a JSON object.' });
      }
      if (body === null)
        return json(res, 413, { ok: false, error: `A request here may be up to ${MAX_BODY_BYTES} bytes.` });
      const as = body.as ?? s.acting;
      // Someone remembered from a link or an earlier sandbox who is not in this one: the page
      // opens as the demo's default person, and says so (no 4xx for a page merely opened).
      if (post[1] === 'act' && !known(as)) {
        actAs(DEFAULT_ACTING);
        const name = PEOPLE.find((p) => p.id === DEFAULT_ACTING)!.name;
        return json(res, 200, {
          ok: true,
          acting: DEFAULT_ACTING,
          note: `No one called ${String(as)} is in this sandbox: you are acting as ${name}.`,
        });
      }
      if (!known(as)) return json(res, 400, { ok: false, error: `No one called ${String(as)} here.` });
      // Typed text is a string: an object would be sent on as "[object Object]".
      if (TYPED.includes(post[1]!) && body.text !== undefined && typeof body.text !== 'string')
        return json(res, 400, { ok: false, error: '`text` must be a string: the words as typed.' });
      // An answer may carry its HTTP status (a body of the wrong shape: 400).
      const { httpStatus, ...answer } = await posts[post[1]!]!(body, as);
      return json(res, typeof httpStatus === 'number' ? httpStatus : 200, answer);
    }
    json(res, 404, { ok: false, error: `Nothing at ${req.method} ${path}.` });
  };

  server.off('request', starting);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      s.deps.logger.error({ err }, 'sandbox request failed');
      if (!res.headersSent)
        json(res, 500, { ok: false, error: 'The sandbox hit an error; see growthbot.log in its folder.' });
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const c of clients) c.end();
      return closePort(server);
    },
  };
}

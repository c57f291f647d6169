// A fake Slack Web API on loopback. Required arguments come from Slack's own method
// descriptions (src/sandbox/slack-methods) so the fake cannot drift into agreeing with the app.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string; args: Record<string, unknown>; token: string | undefined; at: number; failed?: boolean; error?: string;
}
export type Failure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string } | { delayMs: number };
export interface FakeChannel { id: string; name: string; is_archived?: boolean; is_private?: boolean }
export interface FakeUser { id: string; tz?: string; name?: string; real_name?: string; email?: string; is_bot?: boolean; deleted?: boolean }
export interface FakeSlack {
  url: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Resolves once `count` successful calls to `method` have arrived (work done after an ack). */
  waitFor(method: string, count?: number, timeoutMs?: number, where?: (c: RecordedCall) => boolean): Promise<RecordedCall[]>;
  addUser(u: FakeUser): void;
  /** A channel `conversations.info` knows. */
  addChannel(c: FakeChannel): void;
  failNext(method: string, failure: Failure, times?: number): void;
  failShare(method: string, share: number, failure: Failure, seed?: number): void;
  uploads: { fileId: string; filename: string; content: Buffer }[];
  reset(): void;
  close(): Promise<void>;
}

type Args = Record<string, unknown>;
type Result = Record<string, unknown> & { ok: boolean };

const FIXTURES = new URL('./slack-methods/', import.meta.url);
let requiredArgs: Map<string, string[]> | undefined;
function methodSpecs(): Map<string, string[]> {
  if (!requiredArgs) {
    requiredArgs = new Map();
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
      const spec = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as { args?: { required?: string[] } };
      // The token travels in the Authorization header, so it is never a body argument here.
      requiredArgs.set(file.slice(0, -5), (spec.args?.required ?? []).filter((a) => a !== 'token'));
    }
  }
  return requiredArgs;
}

// The client form-encodes nested values as JSON strings; decoding the structured ones lets tests
// assert on objects whichever encoding the app used.
const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files', 'unfurled_attachments']);
function parseArgs(raw: Buffer, contentType: string, query: URLSearchParams): Args {
  const args: Args = Object.fromEntries(query);
  if (contentType.startsWith('application/json')) return { ...args, ...(raw.length ? (JSON.parse(raw.toString('utf8')) as Args) : {}) };
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    args[k] = v;
    if (JSON_ARGS.has(k) && /^[[{]/.test(v)) {
      try { args[k] = JSON.parse(v); } catch { /* Slack would keep it as a string too */ }
    }
  }
  return args;
}

// filesUploadV2 posts the file Buffer as a multipart/form-data part named "body"; a plain
// POST of the raw bytes is what other clients (curl) do, so accept both.
function uploadedBytes(raw: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!contentType.startsWith('multipart/form-data') || !boundary) return raw;
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: { head: string; body: Buffer }[] = [];
  let start = raw.indexOf(delim);
  while (start !== -1) {
    const next = raw.indexOf(delim, start + delim.length);
    if (next === -1) break;
    const part = raw.subarray(start + delim.length + 2, next - 2); // skip CRLF after delim and before next
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) parts.push({ head: part.subarray(0, split).toString('utf8'), body: part.subarray(split + 4) });
    start = next;
  }
  return (parts.find((p) => /filename=/.test(p.head)) ?? parts[0])?.body ?? Buffer.alloc(0);
}

function tzOffsetSeconds(tz: string): number {
  const label = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(label);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fail = (error: string, extra: Args = {}): Result => ({ ok: false, error, ...extra });
// Slack addresses a user's DM by a D-prefixed id; deriving it keeps it stable across calls.
const dmFor = (id: string): string => (/^[UW]/.test(id) ? `D${id.slice(1)}` : id);

export async function startFakeSlack(opts: { token?: string; teamId?: string; botUserId?: string } = {}): Promise<FakeSlack> {
  const teamId = opts.teamId ?? 'T0TEST';
  const botUserId = opts.botUserId ?? 'UBOT';
  const users = new Map<string, FakeUser>();
  const channels = new Map<string, FakeChannel>();
  const calls: RecordedCall[] = [];
  const uploads: FakeSlack['uploads'] = [];
  let nextFailures = new Map<string, { failure: Failure; left: number }[]>();
  let shares = new Map<string, { share: number; failure: Failure; rand: () => number }>();
  const pendingFiles = new Map<string, string>();
  const history = new Map<string, Record<string, unknown>[]>();
  const homeViews = new Map<string, string>();
  let seq = 0; // never reset, so ts and ids stay unique for the life of the server
  let origin = '';

  const nextTs = (): string => {
    const micros = 1_700_000_000_000_000n + BigInt(++seq) * 100n;
    return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
  };
  const nextId = (prefix: string): string => `${prefix}${(++seq).toString(36).toUpperCase().padStart(8, '0')}`;

  const userJson = (u: FakeUser): Args => ({
    id: u.id, team_id: teamId, name: u.name ?? u.id.toLowerCase(), real_name: u.real_name ?? u.name ?? u.id,
    deleted: u.deleted ?? false, is_bot: u.is_bot ?? false,
    ...(u.tz ? { tz: u.tz, tz_label: u.tz, tz_offset: tzOffsetSeconds(u.tz) } : {}),
    profile: { email: u.email, real_name: u.real_name ?? u.name ?? u.id, display_name: u.name ?? '' },
  });
  const viewResult = (id: string, view: unknown): Result =>
    ({ ok: true, view: { ...(typeof view === 'object' ? view : {}), id, team_id: teamId, hash: nextId('H') } });
  const message = (args: Args, ts: string): Args =>
    ({ type: 'message', text: args.text ?? '', blocks: args.blocks, user: botUserId, bot_id: 'BBOT', team: teamId, ts });

  const handlers: Record<string, (a: Args) => Result> = {
    'auth.test': () => ({ ok: true, url: `${origin}/`, team: 'Test Team', user: 'growthbot', team_id: teamId, user_id: botUserId, bot_id: 'BBOT' }),
    'users.info': (a) => { const u = users.get(String(a.user)); return u ? { ok: true, user: userJson(u) } : fail('user_not_found'); },
    'users.lookupByEmail': (a) => {
      const u = [...users.values()].find((x) => x.email !== undefined && x.email.toLowerCase() === String(a.email).toLowerCase());
      return u ? { ok: true, user: userJson(u) } : fail('users_not_found');
    },
    'chat.postMessage': (a) => {
      if (a.text === undefined && a.blocks === undefined && a.attachments === undefined) return fail('no_text');
      const ts = nextTs();
      const channel = dmFor(String(a.channel));
      // Kept per channel, newest first, so conversations.history can find a message by its metadata.
      history.set(channel, [{ ...message(a, ts), ...(a.metadata ? { metadata: a.metadata } : {}) }, ...(history.get(channel) ?? [])]);
      return { ok: true, channel, ts, message: message(a, ts) };
    },
    'conversations.history': (a) => {
      const limit = Number(a.limit ?? 100);
      const all = history.get(String(a.channel)) ?? [];
      const withMeta = a.include_all_metadata === true || a.include_all_metadata === 'true';
      return { ok: true, has_more: all.length > limit, messages: all.slice(0, limit).map((m) => (withMeta ? m : { ...m, metadata: undefined })) };
    },
    'chat.update': (a) => ({ ok: true, channel: a.channel, ts: a.ts, text: a.text ?? '', message: message(a, String(a.ts)) }),
    'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs() }),
    'conversations.info': (a) => {
      const c = channels.get(String(a.channel));
      return c ? { ok: true, channel: { is_channel: !c.is_private, is_private: c.is_private ?? false, is_archived: c.is_archived ?? false, ...c } } : fail('channel_not_found');
    },
    'conversations.open': (a) => {
      const target = a.channel ?? String(a.users ?? '').split(',')[0];
      return target ? { ok: true, channel: { id: dmFor(String(target)) } } : fail('users_list_not_supplied');
    },
    'views.open': (a) => viewResult(nextId('V'), a.view),
    'views.push': (a) => viewResult(nextId('V'), a.view),
    'views.update': (a) => (a.view_id || a.external_id ? viewResult(String(a.view_id ?? nextId('V')), a.view) : fail('not_found')),
    'views.publish': (a) => {
      const user = String(a.user_id);
      if (!homeViews.has(user)) homeViews.set(user, nextId('V'));
      return viewResult(homeViews.get(user) as string, a.view);
    },
    'files.getUploadURLExternal': (a) => {
      const fileId = nextId('F');
      pendingFiles.set(fileId, String(a.filename));
      return { ok: true, upload_url: `${origin}/upload/${fileId}`, file_id: fileId };
    },
    'files.completeUploadExternal': (a) => {
      const files = Array.isArray(a.files) ? (a.files as { id: string; title?: string }[]) : [];
      if (files.some((f) => !uploads.some((u) => u.fileId === f.id))) return fail('file_not_found');
      return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? pendingFiles.get(f.id) })) };
    },
  };

  const takeFailure = (method: string): Failure | undefined => {
    const queue = nextFailures.get(method);
    if (queue?.length) {
      const head = queue[0] as { failure: Failure; left: number };
      if (--head.left <= 0) queue.shift();
      return head.failure;
    }
    const s = shares.get(method);
    return s && s.rand() < s.share ? s.failure : undefined;
  };

  const answer = (method: string, args: Args, token: string | undefined): Result => {
    const required = methodSpecs().get(method);
    if (!required) return fail('unknown_method');
    if (opts.token !== undefined && token !== opts.token) return fail('invalid_auth');
    const missing = required.filter((k) => args[k] === undefined || args[k] === '');
    if (missing.length) {
      return fail('invalid_arguments', { response_metadata: { messages: missing.map((k) => `[ERROR] missing required field: ${k}`) } });
    }
    return handlers[method]?.(args) ?? { ok: true };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
    res.writeHead(status, { 'Content-Type': type, ...headers }).end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', origin);
    const contentType = req.headers['content-type'] ?? '';

    const upload = /^\/upload\/(F\w+)$/.exec(url.pathname);
    if (upload) {
      const fileId = upload[1] as string;
      const filename = pendingFiles.get(fileId);
      if (filename === undefined) return send(res, 404, 'unknown upload url');
      const content = uploadedBytes(raw, contentType);
      uploads.push({ fileId, filename, content });
      return send(res, 200, `OK - ${content.length}`);
    }
    if (!url.pathname.startsWith('/api/')) return send(res, 404, 'not found');

    const method = url.pathname.slice('/api/'.length);
    let args: Args;
    try { args = parseArgs(raw, contentType, url.searchParams); } catch { return send(res, 200, fail('invalid_json')); }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const call: RecordedCall = { method, args, token, at: Date.now() };
    calls.push(call);

    const failure = takeFailure(method);
    if (failure && 'status' in failure) {
      call.failed = true;
      call.error = `http_${failure.status}`;
      if (failure.status === 429) return send(res, 429, fail('ratelimited'), { 'Retry-After': String(failure.retryAfter) });
      return send(res, failure.status, `fake slack: injected ${failure.status}`);
    }
    // Side effects happen now even when the answer is delayed: a timed-out call may still have
    // landed, which is exactly the case retries must survive.
    const result = failure && 'error' in failure ? fail(failure.error) : answer(method, args, token);
    if (!result.ok) { call.failed = true; call.error = String(result.error); }
    if (failure && 'delayMs' in failure) await new Promise((r) => setTimeout(r, failure.delayMs));
    if (!res.destroyed) send(res, 200, result);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => { if (!res.headersSent) send(res, 500, `fake slack crashed: ${String(err)}`); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api/`,
    calls,
    uploads,
    callsTo: (method) => calls.filter((c) => c.method === method && !c.failed),
    waitFor: async (method, count = 1, timeoutMs = 5_000, where = () => true) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.filter((c) => c.method === method && !c.failed && where(c));
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`expected ${count} call(s) to ${method}, saw ${found.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    addUser: (u) => { users.set(u.id, u); },
    addChannel: (c) => { channels.set(c.id, c); },
    failNext: (method, failure, times = 1) => { nextFailures.set(method, [...(nextFailures.get(method) ?? []), { failure, left: times }]); },
    failShare: (method, share, failure, seed = 1) => { shares.set(method, { share, failure, rand: mulberry32(seed) }); },
    reset: () => { history.clear(); calls.length = 0; uploads.length = 0; nextFailures = new Map(); shares = new Map(); pendingFiles.clear(); },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

// The Slack stand-in: a Slack Web API on loopback that keeps state and enforces what Slack
// enforces (./slack-methods.ts, ./block-kit.ts, ./web-api.ts). The sandbox runs the app against
// it, and the end-to-end tests use it too, with failure injection for the hard cases.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dropRest, isOwnHost, readBody } from './http-guard.ts';
import { checkCall, readManifest } from './slack-methods.ts';
import {
  type Ctx,
  fail,
  METHODS,
  messageProblem,
  type Result,
  type StandInChannel,
  type StandInUser,
} from './web-api.ts';
import { dmFor, RESPONSE_URL_TTL_MS, RESPONSE_URL_USES, Workspace } from './workspace.ts';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  failed?: boolean;
  error?: string;
}
export type Failure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 }
  | { error: string }
  | { delayMs: number };
export type FakeUser = StandInUser;
export type FakeChannel = StandInChannel;
export interface FakeSlack {
  url: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Resolves once `count` successful calls to `method` have arrived (work done after an ack). */
  waitFor(
    method: string,
    count?: number,
    timeoutMs?: number,
    where?: (c: RecordedCall) => boolean,
  ): Promise<RecordedCall[]>;
  addUser(u: FakeUser): void;
  /** A channel `conversations.info` knows. */
  addChannel(c: FakeChannel): void;
  failNext(method: string, failure: Failure, times?: number): void;
  failShare(method: string, share: number, failure: Failure, seed?: number): void;
  uploads: { fileId: string; filename: string; content: Buffer }[];
  /** Everything the stand-in remembers: conversations, Home tabs, modal stacks, files. */
  workspace: Workspace;
  users: Map<string, FakeUser>;
  /** The channels `conversations.info` knows, by id. */
  channels: Map<string, FakeChannel>;
  /** Issues (or, given one, accepts) the trigger id Slack sends with an interaction by `user`. */
  issueTrigger(user: string, id?: string): string;
  /** A response_url the stand-in serves: what is posted there lands in `channel` (the user's DM by default). */
  responseUrl(user: string, opts?: { channel?: string; messageTs?: string }): string;
  reset(): void;
  close(): Promise<void>;
}

type Args = Record<string, unknown>;

// The client form-encodes nested values as JSON strings; decoding the structured ones lets tests
// assert on objects whichever encoding the app used.
const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files', 'unfurled_attachments']);
function parseArgs(raw: Buffer, contentType: string, query: URLSearchParams): Args {
  const args: Args = Object.fromEntries(query);
  if (contentType.startsWith('application/json'))
    return { ...args, ...(raw.length ? (JSON.parse(raw.toString('utf8')) as Args) : {}) };
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    args[k] = v;
    if (JSON_ARGS.has(k) && /^[[{]/.test(v)) {
      try {
        args[k] = JSON.parse(v);
      } catch {
        /* Slack would keep it as a string too */
      }
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

/**
 * Body caps, far above anything the app sends, so a runaway or hostile client cannot fill memory:
 * a Web API call (or a response_url post) with Slack's largest message (40,000 characters of text
 * and 50 blocks of up to 3,000 characters plus 10 fields of 2,000) or a 100-block view is under
 * 3 MB even form-encoded at 9 bytes a character; a file (the export: a decade of weekly
 * check-ins at 3,000 characters, 3 bytes each, is about 20 MB of JSON or Markdown) under 64 MiB.
 */
export const MAX_CALL_BYTES = 16 * 1024 * 1024;
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/**
 * Only the app talks to the stand-in, through Node's HTTP client; never a web page. A browser
 * marks what it sends: an Origin on every cross-site (and every POST) request, and Sec-Fetch-Site
 * with Sec-Fetch-Mode/Dest on all of them. Node's fetch (the one @slack/web-api uses) sends
 * `Sec-Fetch-Mode: cors` and none of the others, so that value alone is let through. A Host that
 * is not our own loopback address and port is a foreign name pointed here (DNS rebinding).
 */
function refusal(req: IncomingMessage, port: number): string | null {
  if (!isOwnHost(req, port)) return `The Slack stand-in answers only at 127.0.0.1:${port}.`;
  const h = req.headers;
  if (
    h.origin !== undefined ||
    h['sec-fetch-site'] !== undefined ||
    h['sec-fetch-dest'] !== undefined ||
    h['sec-fetch-user'] !== undefined ||
    (h['sec-fetch-mode'] !== undefined && h['sec-fetch-mode'] !== 'cors')
  )
    return 'The Slack stand-in answers only the app, not a web page.';
  return null;
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

export interface StandInOptions {
  token?: string;
  teamId?: string;
  botUserId?: string;
  /** The bot scopes granted; by default those in slack-app-manifest.yml. */
  scopes?: string[];
  /** The clock message timestamps follow (the sandbox's); trigger ids expire in real time. */
  now?: () => Date;
}

export async function startFakeSlack(opts: StandInOptions = {}): Promise<FakeSlack> {
  const scopes = opts.scopes ?? readManifest().scopes;
  const users = new Map<string, FakeUser>();
  const channels = new Map<string, FakeChannel>();
  const calls: RecordedCall[] = [];
  const uploads: FakeSlack['uploads'] = [];
  let nextFailures = new Map<string, { failure: Failure; left: number }[]>();
  let shares = new Map<string, { share: number; failure: Failure; rand: () => number }>();
  let ws = new Workspace(opts.now);
  const ctx: Ctx = {
    ws,
    users,
    channels,
    teamId: opts.teamId ?? 'T0TEST',
    botUserId: opts.botUserId ?? 'UBOT',
    origin: '',
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
    if (opts.token !== undefined && token !== opts.token)
      return fail(token === undefined ? 'not_authed' : 'invalid_auth');
    return checkCall(method, args, scopes) ?? METHODS[method]?.(ctx, args) ?? { ok: true };
  };

  // What an app posts to a response_url: a message in the conversation it came from, ephemeral
  // unless in_channel; replace_original/delete_original act on the message the action was on.
  const respond = (id: string, body: Args): { status: number; text: string } => {
    const r = ws.responseUrls.get(id);
    if (!r || Date.now() - r.issuedAt > RESPONSE_URL_TTL_MS) return { status: 404, text: 'expired_url' };
    if (++r.uses > RESPONSE_URL_USES) return { status: 404, text: 'used_url' };
    const original = r.messageTs ? ws.find(r.channel, r.messageTs) : undefined;
    if (body.delete_original === true) {
      if (original) ws.remove(r.channel, original.ts);
      return { status: 200, text: 'ok' };
    }
    const problem = messageProblem(body);
    if (problem) return { status: 400, text: String(problem.error) };
    if (body.replace_original === true && original) {
      original.text = String(body.text ?? '');
      original.blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
      original.edited = true;
      ws.changed();
    } else {
      ws.post({
        channel: r.channel,
        from: 'bot',
        user: ctx.botUserId,
        text: String(body.text ?? ''),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
        ephemeral: body.response_type !== 'in_channel',
      });
    }
    return { status: 200, text: 'ok' };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
    res.writeHead(status, { 'Content-Type': type, ...headers }).end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A refusal is decided before any of the body is read, and none of it is kept.
    const refused = refusal(req, port);
    if (refused) {
      dropRest(req);
      return send(res, 403, refused);
    }
    const url = new URL(req.url ?? '/', origin);
    const upload = /^\/upload\/(F\w+)$/.exec(url.pathname);
    const raw = await readBody(req, upload ? MAX_UPLOAD_BYTES : MAX_CALL_BYTES);
    if (raw === null) return send(res, 413, 'request_too_large');
    const contentType = req.headers['content-type'] ?? '';

    if (upload) {
      const file = ws.files.get(upload[1] as string);
      if (file === undefined) return send(res, 404, 'unknown upload url');
      const content = uploadedBytes(raw, contentType);
      file.content = content;
      uploads.push({ fileId: file.id, filename: file.name, content });
      return send(res, 200, `OK - ${content.length}`);
    }
    const respondTo = /^\/respond\/(R\w+)$/.exec(url.pathname);
    if (respondTo && req.method === 'POST') {
      let body: Args;
      try {
        body = JSON.parse(raw.toString('utf8')) as Args;
      } catch {
        return send(res, 400, 'invalid_payload');
      }
      const r = respond(respondTo[1] as string, body);
      return send(res, r.status, r.text);
    }
    if (!url.pathname.startsWith('/api/')) return send(res, 404, 'not found');

    const method = url.pathname.slice('/api/'.length);
    let args: Args;
    try {
      args = parseArgs(raw, contentType, url.searchParams);
    } catch {
      return send(res, 200, fail('invalid_json'));
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const call: RecordedCall = { method, args, token, at: Date.now() };
    calls.push(call);

    const failure = takeFailure(method);
    if (failure && 'status' in failure) {
      call.failed = true;
      call.error = `http_${failure.status}`;
      if (failure.status === 429)
        return send(res, 429, fail('ratelimited'), { 'Retry-After': String(failure.retryAfter) });
      return send(res, failure.status, `fake slack: injected ${failure.status}`);
    }
    // Side effects happen now even when the answer is delayed: a timed-out call may still have
    // landed, which is exactly the case retries must survive.
    const result = failure && 'error' in failure ? fail(failure.error) : answer(method, args, token);
    if (!result.ok) {
      call.failed = true;
      call.error = String(result.error);
    }
    if (failure && 'delayMs' in failure) await new Promise((r) => setTimeout(r, failure.delayMs));
    // Slack names the token's scopes on every answer.
    send(res, 200, result, { 'x-oauth-scopes': scopes.join(',') });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, `fake slack crashed: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  ctx.origin = origin;

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
    get workspace() {
      return ws;
    },
    users,
    channels,
    issueTrigger: (user, id) => ws.issueTrigger(user, id),
    responseUrl: (user, o = {}) =>
      `${origin}/respond/${ws.responseUrl({ user, channel: o.channel ?? dmFor(user), ...(o.messageTs ? { messageTs: o.messageTs } : {}) })}`,
    addUser: (u) => {
      users.set(u.id, u);
    },
    addChannel: (c) => {
      channels.set(c.id, c);
    },
    failNext: (method, failure, times = 1) => {
      nextFailures.set(method, [...(nextFailures.get(method) ?? []), { failure, left: times }]);
    },
    failShare: (method, share, failure, seed = 1) => {
      shares.set(method, { share, failure, rand: mulberry32(seed) });
    },
    reset: () => {
      ws = new Workspace(opts.now);
      ctx.ws = ws;
      calls.length = 0;
      uploads.length = 0;
      nextFailures = new Map();
      shares = new Map();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { createGunzip } from 'node:zlib';
import { type AddressPolicy, addressKind, refusal } from './address.ts';
import { parseFeedUrl } from './feed-url.ts';

export interface FetchOptions extends AddressPolicy {
  etag?: string | null;
  lastModified?: string | null;
  /** Connect (and idle) timeout. */
  connectTimeoutMs?: number;
  /** The whole fetch, redirects included. */
  totalTimeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Resolves a host name; tests stub it. Every address it returns is checked. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export type FetchResult =
  | { status: 'not-modified' }
  | { status: 'ok'; body: string; etag: string | null; lastModified: string | null };

/** A fetch that failed, with a message fit for the feed's owner: it never contains the URL. */
export class FeedFetchError extends Error {
  /** True when reading the same link again cannot help (an address this process never fetches). */
  readonly lasting: boolean = false;
}

const defaultResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Host names resolved at once, at most, across every feed: `dns.lookup` holds one of the 4
 * threads of Node's pool while it waits, and Slack's own requests need one too.
 */
export const LOOKUPS_AT_ONCE = 2;
let lookups = 0;
const waiting: (() => void)[] = [];
async function limited<T>(work: () => Promise<T>): Promise<T> {
  // A turn ends when its lookup does, even one the fetch stopped waiting for: it holds a thread.
  if (lookups >= LOOKUPS_AT_ONCE) await new Promise<void>((r) => waiting.push(r));
  else lookups++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else lookups--;
  }
}

/** Rejects when `signal` aborts: a lookup cannot be cancelled, but the fetch need not wait for it. */
function orAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    // Handled before anything else: a lookup given up on may still fail later, unwatched.
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Fetches a feed on someone's behalf: https only (plain http only to loopback), every address
 * checked before connecting and the connection made to the checked address (the request's own
 * lookup returns it, so there is no second resolution), redirects re-checked, timeouts and a
 * size cap counted while the body streams in.
 */
export async function fetchFeed(url: string, o: FetchOptions): Promise<FetchResult> {
  const total = o.totalTimeoutMs ?? 15_000;
  const deadline = AbortSignal.timeout(total);
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await request(current, o, deadline, total);
    if (res.statusCode && [301, 302, 303, 307, 308].includes(res.statusCode) && res.headers.location) {
      res.resume();
      if (hop >= (o.maxRedirects ?? 3))
        throw new FeedFetchError(`the feed redirected more than ${o.maxRedirects ?? 3} times`);
      const next = parseFeedUrl(new URL(res.headers.location, current).toString());
      if ('error' in next) throw new FeedFetchError('the feed redirected to an address that is not https');
      current = next.url;
      continue;
    }
    if (res.statusCode === 304) {
      res.resume();
      return { status: 'not-modified' };
    }
    if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) {
      res.resume();
      throw new FeedFetchError(
        `the server answered ${res.statusCode ?? 'nothing'}${res.statusCode === 404 || res.statusCode === 410 ? ' (the feed is gone; was it reset?)' : ''}`,
      );
    }
    const body = await readCapped(res, o.maxBytes ?? 2_000_000, deadline, total);
    const header = (h: string) => (typeof res.headers[h] === 'string' ? (res.headers[h] as string) : null);
    return { status: 'ok', body, etag: header('etag'), lastModified: header('last-modified') };
  }
}

/** Resolves a host once and checks every address it has; the connection goes to the first. */
export async function resolveChecked(
  host: string,
  o: FetchOptions,
  deadline?: AbortSignal,
): Promise<{ address: string; family: number }> {
  const bare = host.replace(/^\[|\]$/g, '');
  let found: { address: string; family: number }[];
  if (isIP(bare)) found = [{ address: bare, family: isIP(bare) }];
  else {
    try {
      // The lookup counts inside the fetch's time budget, waiting for a turn included.
      found = await orAbort(
        limited(() => (deadline?.aborted ? Promise.reject(deadline.reason) : (o.resolve ?? defaultResolve)(bare))),
        deadline,
      );
    } catch (err) {
      // A resolver that refuses a name says why (the sandbox's: it does not fetch outside links).
      if (deadline?.aborted || err instanceof FeedFetchError) throw err;
      throw new FeedFetchError("the feed's host name could not be found");
    }
  }
  if (!found.length) throw new FeedFetchError("the feed's host name could not be found");
  // One bad address is enough to refuse: a name that also resolves inward is not a public feed.
  for (const a of found) {
    const why = refusal(a.address, o);
    if (why) throw new FeedFetchError(`the feed address is refused: ${why}`);
  }
  return found[0]!;
}

async function request(url: string, o: FetchOptions, deadline: AbortSignal, total: number): Promise<IncomingMessage> {
  const u = new URL(url);
  const httpOk = (h: string) => h === 'localhost' || addressKind(h.replace(/^\[|\]$/g, '')) === 'loopback';
  if (u.protocol === 'http:' && !httpOk(u.hostname))
    throw new FeedFetchError('only https:// feed addresses are accepted');
  const target = await resolveChecked(u.hostname, o, deadline).catch((err: unknown) => {
    throw describe(err, total);
  });
  if (u.protocol === 'http:' && addressKind(target.address) !== 'loopback') {
    throw new FeedFetchError('only https:// feed addresses are accepted');
  }
  // The socket connects to the address checked above, whatever DNS says a moment later.
  const lookup: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else cb(null, target.address, target.family);
  };
  const headers: Record<string, string> = {
    'user-agent': 'growthbot (on-call feed reader)',
    accept: 'text/calendar, */*;q=0.5',
    'accept-encoding': 'gzip',
  };
  if (o.etag) headers['if-none-match'] = o.etag;
  if (o.lastModified) headers['if-modified-since'] = o.lastModified;
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      { method: 'GET', headers, lookup, signal: deadline, timeout: o.connectTimeoutMs ?? 5_000, agent: false },
      resolve,
    );
    req.on('timeout', () =>
      req.destroy(
        new FeedFetchError(`the feed's server did not answer within ${(o.connectTimeoutMs ?? 5_000) / 1000} s`),
      ),
    );
    req.on('error', (err) => reject(describe(err, total)));
    req.end();
  });
}

function readCapped(res: IncomingMessage, max: number, deadline: AbortSignal, total: number): Promise<string> {
  const tooBig = () => new FeedFetchError(`the feed is larger than ${Math.round(max / 1_000_000)} MB`);
  if (Number(res.headers['content-length'] ?? 0) > max && !res.headers['content-encoding']) {
    res.destroy();
    return Promise.reject(tooBig());
  }
  const gzip = /gzip/i.test(String(res.headers['content-encoding'] ?? ''));
  const stream = gzip ? res.pipe(createGunzip()) : res;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: unknown) => {
      res.destroy();
      reject(describe(err, total));
    };
    deadline.addEventListener('abort', () => fail(deadline.reason), { once: true });
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) fail(tooBig());
      else chunks.push(c);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', fail);
    res.on('error', fail);
  });
}

/** An error as the owner may read it: Node's own messages can carry the host or the path. */
function describe(err: unknown, total: number): FeedFetchError {
  if (err instanceof FeedFetchError) return err;
  const e = err as { code?: string; name?: string };
  // An aborted request's error is named AbortError (its code, ABORT_ERR, says the same).
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return new FeedFetchError(`the feed did not arrive within ${total / 1000} s`);
  if (e.code === 'ECONNREFUSED') return new FeedFetchError("the feed's server refused the connection");
  if (e.code === 'ECONNRESET') return new FeedFetchError("the feed's server closed the connection");
  if (e.code === 'Z_DATA_ERROR') return new FeedFetchError("the feed's server sent a broken compressed answer");
  if (typeof e.code === 'string' && /CERT|SSL|TLS/.test(e.code))
    return new FeedFetchError("the feed's server certificate could not be verified");
  return new FeedFetchError(
    `the feed could not be fetched (${typeof e.code === 'string' ? e.code : 'connection failed'})`,
  );
}

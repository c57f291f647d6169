// Nothing leaves the machine: while a sandbox runs, every outbound connection that is not to
// loopback is refused before any DNS lookup, with a sentence a visitor can act on. Feeds get a
// resolver that answers loopback names itself and refuses the rest, so no name is ever looked up.
import net from 'node:net';
import { FeedFetchError } from '../oncall/feed-fetch.ts';

export const OUTSIDE =
  'the sandbox does not fetch outside links: it reads feeds on this machine only (its demo feed is on 127.0.0.1)';

export class OutsideLinkError extends FeedFetchError {
  readonly code = 'ESANDBOXOFFLINE';
  /** The sandbox never fetches an outside link, however often it is asked. */
  override readonly lasting = true;
}

/** A host as written in a URL (`[::1]`, `LocalHost`) as connect() and a resolver take it. */
const bareHost = (host: string): string => host.replace(/^\[|\]$/g, '').toLowerCase();

/** 127.0.0.0/8, ::1 and localhost, as written in a URL or given to connect(). */
export function isLoopbackHost(host: string): boolean {
  const bare = bareHost(host);
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** The feeds' resolver in the sandbox: loopback names only, answered here, never DNS. */
export async function loopbackOnlyResolve(host: string): Promise<{ address: string; family: number }[]> {
  if (!isLoopbackHost(host)) throw new OutsideLinkError(OUTSIDE);
  const bare = bareHost(host);
  return [bare === 'localhost' ? { address: '127.0.0.1', family: 4 } : { address: bare, family: net.isIP(bare) }];
}

/** The host a Socket#connect call aims at, or null for a Unix socket path. */
function targetHost(args: unknown[]): string | null {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]; // net.connect passes its normalised [options, cb]
  if (typeof first === 'object' && first !== null) {
    const o = first as { path?: string; host?: string };
    return o.path ? null : (o.host ?? 'localhost');
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first)))
    return typeof args[1] === 'string' ? args[1] : 'localhost';
  return null;
}

/**
 * Refuses every outbound TCP connection (plain or TLS) to anything but loopback, in this
 * process, until the returned function is called. The socket fails with OutsideLinkError on
 * the next tick, as a refused connection would, and nothing is looked up or sent.
 */
export function refuseOutside(): () => void {
  const proto = net.Socket.prototype;
  const original = proto.connect;
  const guarded = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const host = targetHost(args);
    if (host !== null && !isLoopbackHost(host)) {
      process.nextTick(() => this.destroy(new OutsideLinkError(OUTSIDE)));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  proto.connect = guarded as typeof proto.connect;
  return () => {
    if (proto.connect === guarded) proto.connect = original;
  };
}

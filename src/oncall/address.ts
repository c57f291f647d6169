import { BlockList, isIP } from 'node:net';

export type AddressKind = 'public' | 'loopback' | 'link-local' | 'private';

function list(v4: string[], v6: string[]): BlockList {
  const b = new BlockList();
  for (const r of v4) b.addSubnet(r.split('/')[0]!, Number(r.split('/')[1]), 'ipv4');
  for (const r of v6) b.addSubnet(r.split('/')[0]!, Number(r.split('/')[1]), 'ipv6');
  return b;
}

// This machine: a connection to 0.0.0.0 or :: reaches it too.
const loopback = list(['127.0.0.0/8', '0.0.0.0/8'], ['::1/128', '::/128']);
// The link itself: cloud metadata services (169.254.169.254) live here.
const linkLocal = list(['169.254.0.0/16'], ['fe80::/10']);
// Everything else that is not the public internet: private, CGNAT, unique-local, multicast,
// reserved and documentation ranges, NAT64 for local use and Teredo.
const notPublic = list(
  [
    '10.0.0.0/8',
    '100.64.0.0/10',
    '172.16.0.0/12',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '192.168.0.0/16',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '224.0.0.0/4',
    '240.0.0.0/4',
  ],
  ['64:ff9b:1::/48', '100::/64', '2001::/32', '2001:db8::/32', 'fc00::/7', 'fec0::/10', 'ff00::/8'],
);
// IETF-reserved ::/8 (IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, a translator's
// own business): never a calendar server. Only ::1 and :: (loopback) and v4-mapped (read by the
// IPv4 address inside) are judged otherwise. Its own list, checked for IPv6 alone: a BlockList
// matches an IPv4 address against IPv6 rules as ::ffff:a.b.c.d, which lies inside ::/8.
const reservedV6 = list([], ['::/8']);

/** The eight 16-bit groups of an IPv6 address (embedded dotted IPv4 included). */
function groups(v6: string): number[] {
  let s = v6.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    s = s.slice(0, -dotted[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === null ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => parseInt(x, 16));
}

const v4of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * Where an IP address points. IPv4 carried inside IPv6 (v4-mapped ::ffff:a.b.c.d, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 address inside it.
 */
export function addressKind(address: string): AddressKind {
  const family = isIP(address);
  if (family === 4) return judge(address, 'ipv4');
  if (family !== 6) return 'private'; // not an address at all: never connect
  const g = groups(address);
  const isMapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const isNat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (isMapped || isNat64) return addressKind(v4of(g[6]!, g[7]!));
  if (g[0] === 0x2002) return addressKind(v4of(g[1]!, g[2]!));
  return judge(address.split('%')[0]!, 'ipv6');
}

function judge(address: string, type: 'ipv4' | 'ipv6'): AddressKind {
  if (loopback.check(address, type)) return 'loopback';
  if (linkLocal.check(address, type)) return 'link-local';
  if (type === 'ipv6' && reservedV6.check(address, type)) return 'private';
  return notPublic.check(address, type) ? 'private' : 'public';
}

export interface AddressPolicy {
  /** Private networks allowed (ONCALL_FEED_ALLOW_PRIVATE: an on-premises calendar); never loopback or link-local. */
  allowPrivate: boolean;
  /** This machine allowed: only the tests' and benches' own feed servers pass it; no setting does. */
  allowLoopback?: boolean;
}

/**
 * Why an address may not be fetched, or null when it may. Decided before any connection, so a
 * refused target's answer is the same whether anything listens there or not.
 */
export function refusal(address: string, policy: AddressPolicy): string | null {
  const kind = addressKind(address);
  if (kind === 'public') return null;
  if (kind === 'private' && policy.allowPrivate) return null;
  if (kind === 'loopback' && policy.allowLoopback) return null;
  if (kind === 'loopback') return 'it points at this machine';
  if (kind === 'link-local') return 'it points at a link-local address';
  return 'it points at a private or reserved network address';
}

import { BlockList, isIP } from 'node:net';

export type AddressKind = 'public' | 'loopback' | 'private';

function list(v4: string[], v6: string[]): BlockList {
  const b = new BlockList();
  for (const r of v4) b.addSubnet(r.split('/')[0]!, Number(r.split('/')[1]), 'ipv4');
  for (const r of v6) b.addSubnet(r.split('/')[0]!, Number(r.split('/')[1]), 'ipv6');
  return b;
}

const loopback = list(['127.0.0.0/8'], ['::1/128']);
// Everything that is not the public internet: private, CGNAT, link-local, unique-local,
// multicast, unspecified, reserved and documentation ranges.
const notPublic = list(
  [
    '0.0.0.0/8',
    '10.0.0.0/8',
    '100.64.0.0/10',
    '169.254.0.0/16',
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
  ['::/96', '100::/64', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8'],
);

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
  if (family === 4) {
    if (loopback.check(address, 'ipv4')) return 'loopback';
    return notPublic.check(address, 'ipv4') ? 'private' : 'public';
  }
  if (family !== 6) return 'private'; // not an address at all: never connect
  const g = groups(address);
  const isMapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const isNat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (isMapped || isNat64) return addressKind(v4of(g[6]!, g[7]!));
  if (g[0] === 0x2002) return addressKind(v4of(g[1]!, g[2]!));
  if (loopback.check(address.split('%')[0]!, 'ipv6')) return 'loopback';
  return notPublic.check(address.split('%')[0]!, 'ipv6') ? 'private' : 'public';
}

export interface AddressPolicy {
  /** Private and loopback targets allowed (ONCALL_FEED_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** Loopback targets allowed (tests, the sandbox, benches). */
  allowLoopback: boolean;
}

/** Why an address may not be fetched, or null when it may. */
export function refusal(address: string, policy: AddressPolicy): string | null {
  const kind = addressKind(address);
  if (kind === 'public' || policy.allowPrivate) return null;
  if (kind === 'loopback' && policy.allowLoopback) return null;
  return kind === 'loopback' ? 'it points at this machine' : 'it points at a private or reserved network address';
}

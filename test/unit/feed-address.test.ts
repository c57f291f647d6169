// The feed address check at the edges of IPv6's ::/8 and of addresses written out in full.
// DNS is stubbed: nothing connects anywhere. Found by mutation testing (issue 22).
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressKind } from '../../src/oncall/address.ts';
import { type FetchOptions, resolveChecked } from '../../src/oncall/feed-fetch.ts';

/** Neither private networks nor this machine allowed: what a feed in production gets. */
const strict = (address: string): FetchOptions => ({
  allowPrivate: false,
  allowLoopback: false,
  resolve: async () => [{ address, family: isIP(address) }],
});
const check = (address: string) =>
  resolveChecked('calendar.example.com', strict(address)).then(
    (a) => `connects to ${a.address}`,
    (e: Error) => e.message,
  );

describe('the IETF-reserved ::/8 (no calendar server lives there)', () => {
  it('refuses a name that resolves into ::/8, whatever IPv4 address its last groups spell', async () => {
    const reserved = [
      '::1:5db8:d822', // 93.184.216.34 in the last two groups, but not v4-mapped
      '::1:7f00:1',
      '64:1::5db8:d822', // 64:… is inside ::/8 too; only 64:ff9b::/96 is NAT64
      '::5db8:d822', // IPv4-compatible (deprecated)
      '::ffff:0:5db8:d822', // IPv4-translated (a translator's own business)
      '::ffff:1:5db8:d822',
      '0:0:0:0:1:ffff:5db8:d822',
    ];
    const answers = await Promise.all(reserved.map(check));
    expect(answers).toEqual(
      reserved.map(() => 'the feed address is refused: it points at a private or reserved network address'),
    );
    expect(reserved.map(addressKind)).toEqual(reserved.map(() => 'private'));
  });

  it('still reads ::1 and :: as this machine, and a v4-mapped address by the IPv4 address inside it', async () => {
    expect(await check('::ffff:93.184.216.34')).toBe('connects to ::ffff:93.184.216.34');
    expect(await check('::ffff:5db8:d822')).toBe('connects to ::ffff:5db8:d822');
    expect(await check('::ffff:10.0.0.1')).toBe(
      'the feed address is refused: it points at a private or reserved network address',
    );
    for (const address of ['::1', '::', '::ffff:127.0.0.1'])
      expect(await check(address), address).toBe('the feed address is refused: it points at this machine');
  });
});

describe('an IPv6 address written out in full (no ::) is judged like its short form', () => {
  it('v4-mapped, NAT64 and 6to4 in full read the IPv4 address inside', () => {
    const kinds = Object.fromEntries(
      [
        '0:0:0:0:0:ffff:5db8:d822',
        '0:0:0:0:0:ffff:7f00:1',
        '64:ff9b:0:0:0:0:7f00:1',
        '64:ff9b:0:0:0:0:5db8:d822',
        '2002:a00:1:0:0:0:0:1',
        '2002:5db8:d822:0:0:0:0:1',
      ].map((a) => [a, addressKind(a)]),
    );
    expect(kinds).toEqual({
      '0:0:0:0:0:ffff:5db8:d822': 'public',
      '0:0:0:0:0:ffff:7f00:1': 'loopback',
      '64:ff9b:0:0:0:0:7f00:1': 'loopback',
      '64:ff9b:0:0:0:0:5db8:d822': 'public',
      '2002:a00:1:0:0:0:0:1': 'private',
      '2002:5db8:d822:0:0:0:0:1': 'public',
    });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDeliveries, leaseDue, recordResults } from '../../src/db/deliveries.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { seedMembers, TEAM } from '../support/members.ts';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(async () => d?.close());
beforeEach(async () => d.truncate());

const LEASE_MS = 5 * 60_000;
const at = new Date('2026-12-10T09:05:00Z');
const after = (ms: number) => new Date(at.getTime() + ms);

async function oneClaim(): Promise<void> {
  const [user] = await seedMembers(d.db, 1);
  expect(await claimDeliveries(d.db, 'reminder', [{ teamId: TEAM, userId: user!, week: '2026-W50' }], at)).toBe(1);
}

// The race test in weekly-prompts passes by timing alone; this is the lease itself.
describe('a delivery lease', () => {
  it('while held, a second lease returns nothing; once it runs out, the row comes back marked as maybe sent', async () => {
    await oneClaim();
    const first = await leaseDue(d.db, 'reminder', at, 10, LEASE_MS);
    expect(first).toMatchObject([{ kind: 'reminder', attempts: 1, prevStatus: 'claimed' }]);

    for (const ms of [0, 1_000, LEASE_MS - 1])
      expect(await leaseDue(d.db, 'reminder', after(ms), 10, LEASE_MS)).toEqual([]);

    // The process holding it died: at the lease's end another run takes it, and looks in Slack first.
    const again = await leaseDue(d.db, 'reminder', after(LEASE_MS), 10, LEASE_MS);
    expect(again).toMatchObject([{ id: first[0]!.id, attempts: 2, prevStatus: 'sending' }]);
    expect(await leaseDue(d.db, 'reminder', after(LEASE_MS + 1_000), 10, LEASE_MS)).toEqual([]);
  });

  it('takes only due rows of its own kind, at most `limit` of them, and never a sent one', async () => {
    const users = await seedMembers(d.db, 3);
    await claimDeliveries(
      d.db,
      'reminder',
      users.map((u) => ({ teamId: TEAM, userId: u, week: '2026-W50' })),
      at,
    );
    expect(await claimDeliveries(d.db, 'digest', [{ teamId: TEAM, userId: users[0]!, week: '2026-W50' }], at)).toBe(1);
    const two = await leaseDue(d.db, 'reminder', at, 2, LEASE_MS);
    expect(two.map((r) => r.userId)).toEqual(users.slice(0, 2));
    await recordResults(
      d.db,
      two.map((r) => ({ id: r.id, status: 'sent', channel: 'D1', ts: '1.1' })),
      at,
    );
    const rest = await leaseDue(d.db, 'reminder', after(LEASE_MS * 2), 10, LEASE_MS);
    expect(rest.map((r) => r.userId)).toEqual([users[2]]);
    // A failed send waits for its retry time, then is due again.
    await recordResults(
      d.db,
      [{ id: rest[0]!.id, status: 'failed', error: 'x', nextAttemptAt: after(LEASE_MS * 4) }],
      at,
    );
    expect(await leaseDue(d.db, 'reminder', after(LEASE_MS * 4 - 1), 10, LEASE_MS)).toEqual([]);
    expect(await leaseDue(d.db, 'reminder', after(LEASE_MS * 4), 10, LEASE_MS)).toHaveLength(1);
    // The other kind's claim was there all along, for its own lease.
    expect(await leaseDue(d.db, 'digest', at, 10, LEASE_MS)).toMatchObject([{ kind: 'digest', userId: users[0] }]);
  });
});

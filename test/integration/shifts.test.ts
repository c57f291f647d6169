import { describe, expect, it } from 'vitest';
import {
  addScheduleFeed,
  claimDueFeeds,
  recordFeedError,
  recordFeedOk,
  setMemberFeed,
} from '../../src/db/oncall-feeds.ts';
import { forgetPerson } from '../../src/db/person-data.ts';
import { currentOrNextShift, type NewShift, replaceFeedShifts, shiftsOverlapping } from '../../src/db/shifts.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAll, TEAM } from '../support/members.ts';

const now = new Date('2026-12-02T12:00:00Z');
const at = (s: string) => new Date(s);
const shift = (userId: string, uid: string, start: string, end: string): NewShift => ({
  userId,
  uid,
  startsAt: at(start),
  endsAt: at(end),
  allDay: false,
});

describe('on-call shifts in the database', () => {
  const d = useTestDatabase((db) =>
    joinAll(db, [
      ['U1', 'mid', 'Europe/Berlin'],
      ['U2', 'senior', 'America/New_York'],
    ]),
  );

  it("replaces a feed's shifts, keeping unchanged rows and past history, dropping non-members", async () => {
    const feed = await setMemberFeed(
      d.db,
      { teamId: TEAM, userId: 'U1', url: 'https://x.example/secret', urlMasked: 'https://x.example/…cret' },
      now,
    );
    const f = { id: feed.id, teamId: TEAM };
    const from = at('2026-11-18T00:00:00Z');
    await replaceFeedShifts(
      d.db,
      f,
      [
        shift('U1', 'old', '2026-11-01T09:00:00Z', '2026-11-08T09:00:00Z'),
        shift('U1', 'a', '2026-11-25T09:00:00Z', '2026-12-02T09:00:00Z'),
        shift('U1', 'a', '2026-12-02T09:00:00Z', '2026-12-09T09:00:00Z'),
      ],
      at('2026-10-01T00:00:00Z'),
      now,
    );
    const before = await shiftsOverlapping(d.db, { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') });
    expect(before.map((s) => s.uid)).toEqual(['old', 'a', 'a']);
    // Next fetch: the current shift is unchanged, the next one moved, a stranger is named.
    await replaceFeedShifts(
      d.db,
      f,
      [
        shift('U1', 'a', '2026-12-02T09:00:00Z', '2026-12-09T09:00:00Z'),
        shift('U1', 'b', '2026-12-16T09:00:00Z', '2026-12-23T09:00:00Z'),
        shift('UNKNOWN', 'c', '2026-12-16T09:00:00Z', '2026-12-23T09:00:00Z'),
      ],
      from,
      now,
    );
    const after = await shiftsOverlapping(d.db, { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') });
    expect(after.map((s) => [s.uid, s.startsAt.toISOString()])).toEqual([
      ['old', '2026-11-01T09:00:00.000Z'],
      ['a', '2026-12-02T09:00:00.000Z'],
      ['b', '2026-12-16T09:00:00.000Z'],
    ]);
    expect(after[1]!.id).toBe(before[2]!.id);
  });

  it('answers the current or next shift, and shifts that ended in a window', async () => {
    const feed = await addScheduleFeed(
      d.db,
      { teamId: TEAM, url: 'https://x.example/s', urlMasked: 'm', createdBy: 'UADMIN' },
      now,
    );
    await replaceFeedShifts(
      d.db,
      { id: feed.id, teamId: TEAM },
      [
        shift('U1', 'a', '2026-11-25T09:00:00Z', '2026-12-02T09:00:00Z'),
        shift('U1', 'b', '2026-12-09T09:00:00Z', '2026-12-16T09:00:00Z'),
        shift('U2', 'c', '2026-12-02T08:00:00Z', '2026-12-03T08:00:00Z'),
      ],
      at('2026-11-01T00:00:00Z'),
      now,
    );
    expect((await currentOrNextShift(d.db, TEAM, 'U1', now))?.uid).toBe('b');
    expect((await currentOrNextShift(d.db, TEAM, 'U2', now))?.uid).toBe('c');
    expect(await currentOrNextShift(d.db, TEAM, 'U2', at('2026-12-03T08:00:00Z'))).toBeUndefined();
    expect((await shiftsOverlapping(d.db, { from: now, to: at('2026-12-10T00:00:00Z') })).map((s) => s.uid)).toEqual([
      'c',
      'b',
    ]);
  });

  it('claims a due feed once, tells of a breakage once until it works again, and forgets with the member', async () => {
    const feed = await setMemberFeed(
      d.db,
      { teamId: TEAM, userId: 'U1', url: 'https://x.example/secret', urlMasked: 'm' },
      now,
    );
    const stale = new Date(now.getTime() - 30 * 60_000);
    const [first, second] = await Promise.all([
      claimDueFeeds(d.db, stale, 10, now),
      claimDueFeeds(d.db, stale, 10, now),
    ]);
    expect([...first!, ...second!].map((f) => f.id)).toEqual([feed.id]);
    expect(await recordFeedError(d.db, feed.id, 'broken', now)).toEqual({ notify: true });
    expect(await recordFeedError(d.db, feed.id, 'still broken', now)).toEqual({ notify: false });
    await recordFeedOk(d.db, feed.id, { etag: '"1"', lastModified: null, parsed: true }, now);
    expect(await recordFeedError(d.db, feed.id, 'broken again', now)).toEqual({ notify: true });
    await replaceFeedShifts(
      d.db,
      { id: feed.id, teamId: TEAM },
      [shift('U1', 'a', '2026-12-09T09:00:00Z', '2026-12-16T09:00:00Z')],
      now,
      now,
    );
    await forgetPerson(d.db, TEAM, 'U1', { now });
    expect(await d.db.selectFrom('oncall_feeds').select('id').execute()).toEqual([]);
    expect(await d.db.selectFrom('oncall_shifts').select('id').execute()).toEqual([]);
  });
});

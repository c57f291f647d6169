import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensurePerson } from '../../src/db/members.ts';
import { addScheduleFeed, memberFeed, setMemberFeed } from '../../src/db/oncall-feeds.ts';
import { shiftsOverlapping } from '../../src/db/shifts.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { maskUrl } from '../../src/oncall/feed-url.ts';
import type { Directory } from '../../src/oncall/read-feed.ts';
import {
  FEED_SET_LIMIT,
  readOwnFeedNow,
  readTeamFeedNow,
  refreshDueFeeds,
  removeOwnFeed,
  setOwnFeed,
} from '../../src/services/oncall-feeds.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';
import { join, TEAM } from '../support/members.ts';

const weekly = readFileSync(new URL('../fixtures/ical/weekly-berlin.ics', import.meta.url), 'utf8');
const at = (iso: string) => new Date(iso);
const everything = { from: at('2026-01-01T00:00:00Z'), to: at('2028-01-01T00:00:00Z') };
const schedule = (people: string[]) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n${people
    .map(
      (p, i) =>
        `BEGIN:VEVENT\r\nUID:e${i}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:2026120${i + 3}T090000Z\r\nDTEND:2026120${i + 3}T210000Z\r\nSUMMARY:On call - ${p}\r\nEND:VEVENT\r\n`,
    )
    .join('')}END:VCALENDAR\r\n`;

describe('on-call feeds service', () => {
  let d: TestDatabase;
  let s: FeedServer;
  let deps: Deps;
  let now = at('2026-12-02T12:00:00Z');
  /** Teams whose directory was asked for, in order. */
  const asked: string[] = [];
  const directory: Directory = async (teamId) => {
    asked.push(teamId);
    return [
      { userId: 'UADA', emails: [], names: ['Ada Lovelace'], tz: 'Europe/London' },
      { userId: 'UGRACE', emails: [], names: ['Grace Hopper'], tz: 'UTC' },
    ];
  };
  beforeAll(async () => {
    d = await createTestDatabase();
    s = await startFeedServer();
  });
  afterAll(async () => {
    await s?.close();
    await d?.close();
  });
  beforeEach(async () => {
    await d.truncate();
    asked.length = 0;
    now = at('2026-12-02T12:00:00Z');
    // A fresh Deps each test: the limit on setting a feed is counted per process (per Deps).
    deps = {
      db: d.db,
      now: () => now,
      logger: createLogger('silent'),
      config: { oncallFeeds: { intervalMinutes: 30, concurrency: 2, allowPrivate: false } },
      feedAccess: { allowLoopback: true },
    } as unknown as Deps;
    s.set('/weekly.ics', weekly);
    await join(d.db, 'UANA', 'junior', 'Europe/Berlin');
  });
  const who = { teamId: TEAM, userId: 'UANA' };

  it('refuses a member feed from someone who has not joined (a mentor known by name only), storing nothing', async () => {
    await ensurePerson(d.db, { teamId: TEAM, userId: 'UMO', displayName: 'Mo', tz: 'UTC' }, now);
    for (const userId of ['UMO', 'UNEW']) {
      expect(await setOwnFeed(deps, d.db, { teamId: TEAM, userId, url: `${s.url}/weekly.ics` })).toEqual({
        kind: 'not-joined',
      });
      expect(await removeOwnFeed(d.db, { teamId: TEAM, userId })).toEqual({ kind: 'not-joined' });
    }
    expect(await d.db.selectFrom('oncall_feeds').selectAll().execute()).toEqual([]);
  });

  it(`lets a member set their feed ${FEED_SET_LIMIT.max} times in ${FEED_SET_LIMIT.windowMs / 60_000} minutes, then keeps the last one until the window moves on`, async () => {
    const set = (n: number) => setOwnFeed(deps, d.db, { ...who, url: `${s.url}/weekly.ics?v=${n}` });
    for (let n = 1; n <= FEED_SET_LIMIT.max; n++) {
      expect(await set(n)).toMatchObject({
        kind: 'saved',
        masked: maskUrl(`${s.url}/weekly.ics?v=${n}`),
        tz: 'Europe/Berlin',
      });
      now = new Date(now.getTime() + 60_000);
    }
    // The first was set at 12:00; it leaves the window at 12:10. It is 12:03 now.
    expect(await set(99)).toEqual({ kind: 'too-often', minutes: 7, limit: FEED_SET_LIMIT });
    expect((await memberFeed(d.db, TEAM, 'UANA'))?.urlMasked).toBe(maskUrl(`${s.url}/weekly.ics?v=3`));
    // Someone else is counted apart.
    await join(d.db, 'UBEA', 'mid', 'UTC');
    expect(await setOwnFeed(deps, d.db, { teamId: TEAM, userId: 'UBEA', url: `${s.url}/weekly.ics` })).toMatchObject({
      kind: 'saved',
    });
    now = at('2026-12-02T12:10:00Z');
    expect(await set(4)).toMatchObject({ kind: 'saved' });
  });

  it("reads a new member feed at once: the shifts it holds and the member's next one; none once it is removed", async () => {
    const r = await setOwnFeed(deps, d.db, { ...who, url: `${s.url}/weekly.ics` });
    if (r.kind !== 'saved') throw new Error(r.kind);
    const read = await readOwnFeedNow(deps, { ...who, feedId: r.feed.id }, directory);
    expect(read).toMatchObject({ kind: 'read', next: { userId: 'UANA' } });
    expect(read?.kind === 'read' && read.found).toBeGreaterThan(0);
    expect(asked).toEqual([]); // a member feed needs no directory
    expect(await removeOwnFeed(d.db, who)).toEqual({ kind: 'removed' });
    expect(await shiftsOverlapping(d.db, everything)).toEqual([]);
    expect(await readOwnFeedNow(deps, { ...who, feedId: r.feed.id }, directory)).toBeUndefined();
    expect(await removeOwnFeed(d.db, who)).toEqual({ kind: 'none' });
  });

  it('a feed that cannot be read says why, once for its owner, and keeps its last good shifts', async () => {
    const r = await setOwnFeed(deps, d.db, { ...who, url: `${s.url}/weekly.ics` });
    if (r.kind !== 'saved') throw new Error(r.kind);
    await readOwnFeedNow(deps, { ...who, feedId: r.feed.id }, directory);
    const good = await shiftsOverlapping(d.db, everything);
    expect(good.length).toBeGreaterThan(0);
    s.set('/weekly.ics', 'BEGIN:VCALENDAR\r\nnot a calendar');
    now = at('2026-12-03T13:00:00Z'); // a day on: read again, not answered 304
    const first = await refreshDueFeeds(deps, now, directory);
    expect(first.map((x) => x.outcome)).toEqual([{ kind: 'error', message: expect.any(String), notify: true }]);
    now = at('2026-12-03T14:00:00Z');
    expect((await refreshDueFeeds(deps, now, directory)).map((x) => x.outcome)).toEqual([
      { kind: 'error', message: expect.any(String), notify: false },
    ]);
    expect(await shiftsOverlapping(d.db, everything)).toEqual(good);
  });

  it('refreshes only feeds not fetched within the interval, and asks for a team directory once per run', async () => {
    s.set('/a.ics', schedule(['Ada Lovelace']));
    s.set('/b.ics', schedule(['Grace Hopper', 'Nobody Known']));
    for (const path of ['/a.ics', '/b.ics'])
      await addScheduleFeed(d.db, { teamId: TEAM, url: `${s.url}${path}`, urlMasked: path, createdBy: 'UADM' }, now);
    await setMemberFeed(d.db, { ...who, url: `${s.url}/weekly.ics`, urlMasked: 'w' }, now);
    const first = await refreshDueFeeds(deps, now, directory);
    expect(first.map((x) => x.outcome.kind).sort()).toEqual(['ok', 'ok', 'ok']);
    expect(asked).toEqual([TEAM]);
    now = at('2026-12-02T12:20:00Z');
    expect(await refreshDueFeeds(deps, now, directory)).toEqual([]);
    now = at('2026-12-02T12:31:00Z');
    // Due again, but unchanged (304): no directory needed.
    expect((await refreshDueFeeds(deps, now, directory)).map((x) => x.outcome.kind)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(asked).toEqual([TEAM]);
  });

  it('reads a new schedule feed at once: its shifts, the members they name, and the names it matched to nobody', async () => {
    s.set('/team.ics', schedule(['Ada Lovelace', 'Grace Hopper', 'Nobody Known']));
    const feed = await addScheduleFeed(
      d.db,
      { teamId: TEAM, url: `${s.url}/team.ics`, urlMasked: 'm', createdBy: 'UADM' },
      now,
    );
    await join(d.db, 'UADA', 'senior', 'Europe/London');
    await join(d.db, 'UGRACE', 'mid', 'UTC');
    expect(await readTeamFeedNow(deps, feed.id, directory)).toEqual({
      kind: 'ok',
      shifts: 2,
      people: 2,
      unmatched: ['On call - Nobody Known'],
    });
    expect(await readTeamFeedNow(deps, feed.id, directory)).toEqual({ kind: 'unchanged' });
    expect(await readTeamFeedNow(deps, '999', directory)).toBeUndefined();
  });
});

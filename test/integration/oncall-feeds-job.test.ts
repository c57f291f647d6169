import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addScheduleFeed, memberFeed, scheduleFeeds, setMemberFeed } from '../../src/db/oncall-feeds.ts';
import { shiftsOverlapping } from '../../src/db/shifts.ts';
import { runJob } from '../../src/jobs/index.ts';
import { maskUrl } from '../../src/oncall/feed-url.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { join, TEAM } from '../support/members.ts';
import { ICAL_ATTACKS, withRule } from '../support/odd-inputs.ts';

const weekly = readFileSync(new URL('../fixtures/ical/weekly-berlin.ics', import.meta.url), 'utf8');
const malformed = readFileSync(new URL('../fixtures/ical/malformed.ics', import.meta.url), 'utf8');
const at = (s: string) => new Date(s);
const everything = { from: at('2026-01-01T00:00:00Z'), to: at('2028-01-01T00:00:00Z') };

let h: Harness;
useHarness((x) => (h = x), { ONCALL_FEED_INTERVAL_MINUTES: '30' }, { loopbackFeeds: true });
let s: FeedServer;
beforeAll(async () => {
  s = await startFeedServer();
});
afterAll(async () => s?.close());

const run = (when: string) => runJob(h.deps, 'oncall-feeds', at(when));
const dms = (to: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === to)
    .map((c) => String(c.args.text));

describe('oncall-feeds job', () => {
  it.each([
    ['a rule that never matches', ICAL_ATTACKS.neverMatches, 'too complex to read', 'BYMONTHDAY'],
    ['a malformed EXDATE', withRule('EXDATE:not-a-date'), 'rule cannot be read', 'not-a-date'],
  ])(
    '%s: the owner is told once, the last good shifts stay, and the log has neither the feed nor a stack',
    async (_name, bad, told, feedText) => {
      await join(h.deps.db, 'U7', 'mid', 'Europe/Berlin');
      s.set('/u7.ics', weekly);
      const url = `${s.url}/u7.ics`;
      await setMemberFeed(
        h.deps.db,
        { teamId: TEAM, userId: 'U7', url, urlMasked: maskUrl(url) },
        at('2026-11-20T00:00:00Z'),
      );
      await run('2026-12-02T12:00:00Z');
      const good = await shiftsOverlapping(h.deps.db, everything);
      expect(good.length).toBeGreaterThan(0);
      s.set('/u7.ics', bad);
      const from = h.logs.length;
      expect(await run('2026-12-02T13:00:00Z')).toMatchObject({ failed: 1, told: 1 });
      expect(await run('2026-12-02T14:00:00Z')).toMatchObject({ failed: 1, told: 0 });
      expect(await shiftsOverlapping(h.deps.db, everything)).toEqual(good);
      expect(dms('U7')).toHaveLength(1);
      expect(dms('U7')[0]).toContain(told);
      const logged = JSON.stringify(h.logs.slice(from));
      expect(logged).toContain('on-call feeds fetched');
      expect(logged).not.toContain(feedText);
      expect(logged).not.toContain('"stack"');
    },
    60_000,
  );

  it("stores a member's shifts, skips a feed fetched recently, and asks with If-None-Match before parsing again", async () => {
    await join(h.deps.db, 'U1', 'mid', 'Europe/Berlin');
    s.set('/u1.ics', weekly);
    await setMemberFeed(
      h.deps.db,
      { teamId: TEAM, userId: 'U1', url: `${s.url}/u1.ics`, urlMasked: maskUrl(`${s.url}/u1.ics`) },
      at('2026-11-20T00:00:00Z'),
    );
    expect(await run('2026-12-02T12:00:00Z')).toMatchObject({ fetched: 1, parsed: 1, unchanged: 0, failed: 0 });
    const shifts = await shiftsOverlapping(h.deps.db, everything);
    // From two weeks back (the 18 Nov window start) to two months ahead.
    expect(shifts.map((x) => x.startsAt.toISOString())).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-14T08:00:00.000Z',
      '2026-12-28T08:00:00.000Z',
      '2027-01-11T08:00:00.000Z',
      '2027-01-25T08:00:00.000Z',
    ]);
    expect(await run('2026-12-02T12:20:00Z')).toMatchObject({ fetched: 0 });
    expect(await run('2026-12-02T12:31:00Z')).toMatchObject({ fetched: 1, parsed: 0, unchanged: 1 });
    expect(s.requests.at(-1)).toMatchObject({ path: '/u1.ics', status: 304 });
    expect(s.requests.at(-1)!.ifNoneMatch).toMatch(/^"/);
    // A day after the last read, the feed is read again in full: the window has moved on.
    expect(await run('2026-12-03T12:05:00Z')).toMatchObject({ fetched: 1, parsed: 1 });
    expect(s.requests.at(-1)).toMatchObject({ ifNoneMatch: null, status: 200 });
  });

  it('tells the owner once when the feed breaks, keeps the last good shifts, and tells again after a recovery', async () => {
    await join(h.deps.db, 'U2', 'mid', 'Europe/Berlin');
    s.set('/u2.ics', weekly);
    const url = `${s.url}/u2.ics?token=s3cr3t-token-value`;
    await setMemberFeed(
      h.deps.db,
      { teamId: TEAM, userId: 'U2', url, urlMasked: maskUrl(url) },
      at('2026-11-20T00:00:00Z'),
    );
    await run('2026-12-02T12:00:00Z');
    const good = await shiftsOverlapping(h.deps.db, everything);
    s.set('/u2.ics', malformed);
    expect(await run('2026-12-02T13:00:00Z')).toMatchObject({ failed: 1, told: 1 });
    expect(await run('2026-12-02T14:00:00Z')).toMatchObject({ failed: 1, told: 0 });
    expect(await shiftsOverlapping(h.deps.db, everything)).toEqual(good);
    const told = dms('U2');
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('the feed is not valid iCalendar');
    expect(told[0]).toContain('last known shifts are kept');
    expect(told[0]).toContain(maskUrl(url));
    expect((await memberFeed(h.deps.db, TEAM, 'U2'))?.lastError).toContain('not valid iCalendar');
    // Back to what it was: the server says unchanged since the last good read, and that is a recovery.
    s.set('/u2.ics', weekly);
    expect(await run('2026-12-02T15:00:00Z')).toMatchObject({ unchanged: 1, failed: 0 });
    expect((await memberFeed(h.deps.db, TEAM, 'U2'))?.lastError).toBeNull();
    s.set('/u2.ics', '<html>gone</html>');
    expect(await run('2026-12-02T16:00:00Z')).toMatchObject({ failed: 1, told: 1 });
    expect(dms('U2')).toHaveLength(2);
    expect(dms('U2')[1]).toContain('web page');
    // The secret never reaches a log line or a message.
    expect(JSON.stringify(h.logs)).not.toContain('s3cr3t-token-value');
    expect(JSON.stringify(h.fake.calls)).not.toContain('s3cr3t-token-value');
  });

  it("matches a schedule feed's people by e-mail or exact name, lists the rest, and never guesses", async () => {
    await join(h.deps.db, 'UADA', 'senior', 'Europe/London');
    await join(h.deps.db, 'UGRACE', 'mid', 'America/New_York');
    await join(h.deps.db, 'UALAN', 'mid', 'UTC');
    h.fake.addUser({ id: 'UADA', name: 'ada', real_name: 'Ada Lovelace', email: 'ada@example.com' });
    h.fake.addUser({ id: 'UGRACE', name: 'grace', real_name: 'Grace Hopper', email: 'grace@example.com' });
    h.fake.addUser({ id: 'UALAN', name: 'alan', real_name: 'Alan Turing', email: 'alan@example.com' });
    const event = (uid: string, day: string, people: string) =>
      `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:${day}T090000Z\r\nDTEND:${day}T210000Z\r\n${people}\r\nEND:VEVENT\r\n`;
    s.set(
      '/schedule.ics',
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n' +
        event('e1', '20261203', 'SUMMARY:On call\r\nATTENDEE;CN=Someone:mailto:ADA@example.com') +
        event('e2', '20261204', 'SUMMARY:On Call - grace hopper - Primary') +
        event('e3', '20261205', 'SUMMARY:On Call - Alan T. - Primary') +
        event('e4', '20261206', 'SUMMARY:On Call - <Mallory> - Primary\r\nATTENDEE:mailto:mallory@elsewhere.example') +
        'END:VCALENDAR\r\n',
    );
    await addScheduleFeed(
      h.deps.db,
      { teamId: TEAM, url: `${s.url}/schedule.ics`, urlMasked: 'm', createdBy: 'UADMIN' },
      at('2026-12-01T00:00:00Z'),
    );
    expect(await run('2026-12-02T12:00:00Z')).toMatchObject({ parsed: 1, failed: 0 });
    const shifts = await shiftsOverlapping(h.deps.db, everything);
    expect(shifts.map((x) => [x.uid, x.userId])).toEqual([
      ['e1', 'UADA'],
      ['e2', 'UGRACE'],
    ]);
    const [feed] = await scheduleFeeds(h.deps.db, TEAM);
    expect(feed!.unmatched).toEqual([
      'On Call - <Mallory> - Primary',
      'On Call - Alan T. - Primary',
      'mallory@elsewhere.example',
    ]);
  });
});

// The demo workspace's on-call schedule: an iCalendar feed the sandbox serves itself on
// loopback (GET /oncall.ics), read by the app through the real feed fetch as a team's schedule
// feed. Four members take a week each in turn, Monday 09:00 to Monday 09:00 in their own zone
// (floating times), from the week the demo started: someone is on call in the coming week and
// someone else the week after, whenever the clock is.
import { DateTime } from 'luxon';
import { addScheduleFeed, feedToFetch, scheduleFeeds, setFeedUrl } from '../db/oncall-feeds.ts';
import { maskUrl } from '../oncall/feed-url.ts';
import { PEOPLE, TEAM_ID } from './people.ts';
import type { Sandbox } from './types.ts';

/**
 * In turn from the demo's first week: Lena first (Kwame's mentee), then Jonas, the visitor the
 * page starts as (Marta's mentee), whose first week is an ordinary one.
 */
export const ROTATION = ['U0LENA', 'U0JONAS', 'U0DIEGO', 'U0PRIYA'];
export const FEED_PATH = '/oncall.ics';
const ADMIN = PEOPLE.find((p) => p.admin)!.id;

const floating = (d: DateTime): string => d.toFormat("yyyyMMdd'T'HHmmss");

/** The feed's text: one weekly event per person in the rotation, every fourth week from theirs. */
export function demoCalendar(start: Date): string {
  const monday = DateTime.fromJSDate(start, { zone: 'UTC' }).startOf('week').set({ hour: 9 });
  const events = ROTATION.flatMap((id, i) => {
    const p = PEOPLE.find((x) => x.id === id)!;
    const from = monday.plus({ weeks: i });
    return [
      'BEGIN:VEVENT',
      `UID:sandbox-oncall-${id.toLowerCase()}@growthbot.invalid`,
      `DTSTAMP:${floating(monday)}Z`,
      `DTSTART:${floating(from)}`,
      `DTEND:${floating(from.plus({ weeks: 1 }))}`,
      `RRULE:FREQ=WEEKLY;INTERVAL=${ROTATION.length}`,
      `SUMMARY:On call - ${p.name}`,
      `ATTENDEE;CN=${p.name}:mailto:${id.slice(2).toLowerCase()}@example.com`,
      'END:VEVENT',
    ];
  });
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//growthbot sandbox//demo on-call rotation//EN',
    ...events,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/**
 * The demo team's schedule feed points at this sandbox's own address: added on the first start
 * (by the admin), its address brought up to date when a restart listens on another port.
 */
export async function ensureDemoFeed(s: Sandbox): Promise<void> {
  const url = `${s.url}${FEED_PATH}`;
  const now = s.clock.now();
  for (const f of await scheduleFeeds(s.deps.db, TEAM_ID)) {
    const full = await feedToFetch(s.deps.db, f.id);
    if (!full || new URL(full.url).pathname !== FEED_PATH) continue;
    if (full.url !== url) await setFeedUrl(s.deps.db, f.id, { url, urlMasked: maskUrl(url) }, now);
    return;
  }
  await addScheduleFeed(s.deps.db, { teamId: TEAM_ID, url, urlMasked: maskUrl(url), createdBy: ADMIN }, now);
}

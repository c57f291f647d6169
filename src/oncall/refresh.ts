import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import { getMember } from '../db/members.ts';
import { type FeedToFetch, recordFeedError, recordFeedOk } from '../db/oncall-feeds.ts';
import { type NewShift, replaceFeedShifts } from '../db/shifts.ts';
import { DAY_MS } from '../growth/durations.ts';
import { type DirectoryPerson, matchPeople } from '../growth/oncall-match.ts';
import { FeedFetchError, type FetchOptions, fetchFeed } from './feed-fetch.ts';
import { FeedFormatError } from './ical.ts';
import { parseFeedBudgeted } from './parse-budget.ts';

/** Shifts are read from two weeks back (retros, trends) to two months ahead. */
export const WINDOW = { backMs: 14 * DAY_MS, aheadMs: 60 * DAY_MS };
const REPARSE_MS = DAY_MS;

/** Members of a team with their e-mails and names, for schedule feeds; with their time zones. */
export type Directory = (teamId: string) => Promise<(DirectoryPerson & { tz: string })[]>;

export type RefreshOutcome =
  | { kind: 'unchanged' }
  | { kind: 'ok'; shifts: number; unmatched: string[] }
  /** `notify`: the first failure since the feed last worked; tell its owner (once). */
  | { kind: 'error'; message: string; notify: boolean };

/**
 * Fetches one feed and stores its shifts. A feed that cannot be fetched or read keeps its last
 * good shifts and records what is wrong. Nothing here logs or returns the URL.
 */
export async function refreshFeed(
  deps: { db: Db; config: Pick<Config, 'oncallFeeds'>; feedAccess?: Pick<FetchOptions, 'allowLoopback' | 'resolve'> },
  feed: FeedToFetch,
  now: Date,
  directory: Directory,
): Promise<RefreshOutcome> {
  const { allowPrivate } = deps.config.oncallFeeds;
  const fail = async (message: string): Promise<RefreshOutcome> => ({
    kind: 'error',
    message,
    ...(await recordFeedError(deps.db, feed.id, message, now)),
  });
  let fetched;
  try {
    // Once a day the feed is read again even if unchanged: the window of shifts moves on.
    const fresh = feed.parsedAt !== null && now.getTime() - feed.parsedAt.getTime() < REPARSE_MS;
    const validators = fresh ? { etag: feed.etag, lastModified: feed.lastModified } : {};
    fetched = await fetchFeed(feed.url, { allowPrivate, ...deps.feedAccess, ...validators });
  } catch (err) {
    // Anything else a request throws (a bad redirect target, say) may quote an address.
    return fail(err instanceof FeedFetchError ? err.message : 'the feed could not be fetched');
  }
  if (fetched.status === 'not-modified') {
    await recordFeedOk(deps.db, feed.id, { etag: feed.etag, lastModified: feed.lastModified, parsed: false }, now);
    return { kind: 'unchanged' };
  }
  const window = { from: new Date(now.getTime() - WINDOW.backMs), to: new Date(now.getTime() + WINDOW.aheadMs) };
  let shifts: NewShift[];
  let unmatched: string[] = [];
  try {
    if (feed.kind === 'member') {
      const owner = await getMember(deps.db, feed.teamId, feed.ownerId!);
      const [events] = await parseFeedBudgeted(fetched.body, window, [owner?.tz ?? 'UTC']);
      shifts = events!.map((e) => ({
        userId: feed.ownerId!,
        uid: e.uid,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        allDay: e.allDay,
      }));
    } else {
      ({ shifts, unmatched } = await scheduleShifts(fetched.body, window, await directory(feed.teamId)));
    }
  } catch (err) {
    if (err instanceof FeedFormatError) return fail(err.message);
    throw err;
  }
  await replaceFeedShifts(deps.db, { id: feed.id, teamId: feed.teamId }, shifts, window.from, now);
  await recordFeedOk(
    deps.db,
    feed.id,
    { etag: fetched.etag, lastModified: fetched.lastModified, parsed: true, unmatched },
    now,
  );
  return { kind: 'ok', shifts: shifts.length, unmatched };
}

/**
 * A schedule feed's events matched to members. All-day and floating times belong to each
 * person's own zone, so the feed is read once per zone among the people it names.
 */
async function scheduleShifts(
  body: string,
  window: { from: Date; to: Date },
  people: (DirectoryPerson & { tz: string })[],
) {
  const [utc] = await parseFeedBudgeted(body, window, ['UTC']);
  const first = matchPeople(utc!, people);
  const tzOf = new Map(people.map((p) => [p.userId, p.tz]));
  const zones = new Set(first.shifts.map((s) => tzOf.get(s.userId) ?? 'UTC'));
  zones.delete('UTC');
  let shifts = first.shifts.filter((s) => (tzOf.get(s.userId) ?? 'UTC') === 'UTC');
  const inZones = zones.size ? await parseFeedBudgeted(body, window, [...zones]) : [];
  [...zones].forEach((zone, i) => {
    const inZone = matchPeople(inZones[i]!, people).shifts.filter((s) => tzOf.get(s.userId) === zone);
    shifts = shifts.concat(inZone);
  });
  return { shifts, unmatched: first.unmatched };
}

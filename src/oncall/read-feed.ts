import type { Config } from '../config.ts';
import type { FeedToFetch } from '../db/oncall-feeds.ts';
import type { NewShift } from '../db/shifts.ts';
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

/** How feeds are reached: the configuration, and what tests add (`Deps.feedAccess`). */
export interface FeedAccess {
  config: Pick<Config, 'oncallFeeds'>;
  feedAccess?: Pick<FetchOptions, 'allowLoopback' | 'resolve'> | undefined;
}

/** Who a feed's events belong to, asked only when the feed changed. */
export interface FeedPeople {
  /** A member feed: its owner's zone (all-day and floating times are theirs). */
  ownerTz: () => Promise<string>;
  /** A schedule feed: the team's members, to match the names and e-mails its events carry. */
  directory: () => Promise<(DirectoryPerson & { tz: string })[]>;
}

export type FeedRead =
  | { kind: 'unchanged' }
  | {
      kind: 'shifts';
      shifts: NewShift[];
      unmatched: string[];
      /** Shifts ending after this are the feed's to describe; older ones are history. */
      from: Date;
      etag: string | null;
      lastModified: string | null;
    }
  /** `lasting`: reading the same link again cannot help, only a corrected link. */
  | { kind: 'error'; message: string; lasting?: boolean };

/**
 * Fetches one feed and reads its shifts; stores nothing. What is wrong with a feed that cannot
 * be fetched or read comes back as a sentence for its owner. Nothing here logs or returns the URL.
 */
export async function readFeed(
  access: FeedAccess,
  feed: FeedToFetch,
  now: Date,
  people: FeedPeople,
): Promise<FeedRead> {
  const { allowPrivate } = access.config.oncallFeeds;
  let fetched;
  try {
    // Once a day the feed is read again even if unchanged: the window of shifts moves on.
    const fresh = feed.parsedAt !== null && now.getTime() - feed.parsedAt.getTime() < REPARSE_MS;
    const validators = fresh ? { etag: feed.etag, lastModified: feed.lastModified } : {};
    fetched = await fetchFeed(feed.url, { allowPrivate, ...access.feedAccess, ...validators });
  } catch (err) {
    // Anything else a request throws (a bad redirect target, say) may quote an address.
    if (err instanceof FeedFetchError)
      return { kind: 'error', message: err.message, ...(err.lasting ? { lasting: true } : {}) };
    return { kind: 'error', message: 'the feed could not be fetched' };
  }
  if (fetched.status === 'not-modified') return { kind: 'unchanged' };
  const window = { from: new Date(now.getTime() - WINDOW.backMs), to: new Date(now.getTime() + WINDOW.aheadMs) };
  let shifts: NewShift[];
  let unmatched: string[] = [];
  try {
    if (feed.kind === 'member') {
      const [events] = await parseFeedBudgeted(fetched.body, window, [await people.ownerTz()]);
      shifts = events!.map((e) => ({
        userId: feed.ownerId!,
        uid: e.uid,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        allDay: e.allDay,
      }));
    } else {
      ({ shifts, unmatched } = await scheduleShifts(fetched.body, window, await people.directory()));
    }
  } catch (err) {
    if (err instanceof FeedFormatError) return { kind: 'error', message: err.message };
    throw err;
  }
  return {
    kind: 'shifts',
    shifts,
    unmatched,
    from: window.from,
    etag: fetched.etag,
    lastModified: fetched.lastModified,
  };
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

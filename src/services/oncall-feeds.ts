import type { Db } from '../db/create-db.ts';
import { getMember, isJoined } from '../db/members.ts';
import {
  addScheduleFeed,
  claimDueFeeds,
  type FeedInfo,
  type FeedToFetch,
  feedToFetch,
  recordFeedError,
  recordFeedOk,
  removeMemberFeed,
  removeScheduleFeed,
  setMemberFeed,
} from '../db/oncall-feeds.ts';
import { currentOrNextShift, replaceFeedShifts, type Shift, shiftsOverlapping } from '../db/shifts.ts';
import type { Deps } from '../deps.ts';
import { memberKey } from '../growth/member-key.ts';
import { allowAgain, type RateLimit } from '../growth/rate-limit.ts';
import { maskUrl } from '../oncall/feed-url.ts';
import { type Directory, type FeedAccess, readFeed, WINDOW } from '../oncall/read-feed.ts';

type Who = { teamId: string; userId: string };
/** What a refresh needs of `Deps`: the database, and how feeds are reached. */
type RefreshDeps = FeedAccess & { db: Db };

/** Each new link is fetched at once, on the member's behalf: a few a member, then a pause. */

/** A feed that could not be read, as every use case answers it: why, and whether reading it again cannot help. */
function readFailed(r: { message: string; lasting?: boolean | undefined }): {
  kind: 'error';
  message: string;
  lasting?: boolean;
} {
  return { kind: 'error', message: r.message, ...(r.lasting ? { lasting: true } : {}) };
}
export const FEED_SET_LIMIT: RateLimit = { max: 3, windowMs: 10 * 60_000 };
const setTimes = new WeakMap<Deps, Map<string, number[]>>();

export type SetOwnFeed =
  | { kind: 'not-joined' }
  /** Set too often lately; the feed stays as it was. */
  | { kind: 'too-often'; minutes: number; limit: RateLimit }
  /** `tz`: the member's zone, for what the first read finds. */
  | { kind: 'saved'; feed: FeedInfo; masked: string; tz: string };

/**
 * A member sets their own feed (`/growth oncall <link>`): one per member, a new link starting
 * afresh. Each is fetched at once on their behalf, so a member may set one `FEED_SET_LIMIT`
 * times in its window; the count is kept in this process.
 */
export async function setOwnFeed(deps: Deps, db: Db, i: Who & { url: string }): Promise<SetOwnFeed> {
  const m = await getMember(db, i.teamId, i.userId);
  if (!isJoined(m)) return { kind: 'not-joined' };
  const byMember = setTimes.get(deps) ?? setTimes.set(deps, new Map()).get(deps)!;
  const key = memberKey(i.teamId, i.userId);
  const now = deps.now();
  const r = allowAgain(byMember.get(key) ?? [], now.getTime(), FEED_SET_LIMIT);
  byMember.set(key, r.keep);
  if (!r.ok)
    return {
      kind: 'too-often',
      minutes: Math.max(1, Math.ceil((r.againAt - now.getTime()) / 60_000)),
      limit: FEED_SET_LIMIT,
    };
  const masked = maskUrl(i.url);
  const feed = await setMemberFeed(db, { teamId: i.teamId, userId: i.userId, url: i.url, urlMasked: masked }, now);
  return { kind: 'saved', feed, masked, tz: m.tz };
}

/** A member removes their own feed (`/growth oncall off`) and the shifts read from it. */
export async function removeOwnFeed(db: Db, who: Who): Promise<{ kind: 'not-joined' | 'removed' | 'none' }> {
  if (!isJoined(await getMember(db, who.teamId, who.userId))) return { kind: 'not-joined' };
  return { kind: (await removeMemberFeed(db, who.teamId, who.userId)) ? 'removed' : 'none' };
}

/** An admin adds a schedule feed, whose events name people (`/growth admin oncall-feed add`). */
export async function addTeamFeed(deps: Deps, db: Db, i: Who & { url: string }) {
  const masked = maskUrl(i.url);
  const feed = await addScheduleFeed(
    db,
    { teamId: i.teamId, url: i.url, urlMasked: masked, createdBy: i.userId },
    deps.now(),
  );
  return { feed, masked };
}

/** An admin removes a schedule feed and its shifts; false when the team has no such feed. */
export function removeTeamFeed(db: Db, teamId: string, id: string): Promise<boolean> {
  return removeScheduleFeed(db, teamId, id);
}

export type RefreshOutcome =
  | { kind: 'unchanged' }
  | { kind: 'ok'; shifts: number; unmatched: string[] }
  /** `notify`: the first failure since the feed last worked; tell its owner (once). */
  | { kind: 'error'; message: string; notify: boolean; lasting?: boolean };

/**
 * Refreshes one feed: fetched and read (`oncall/read-feed.ts`), its shifts stored. A feed that
 * cannot be fetched or read keeps its last good shifts and records what is wrong.
 */
export async function refreshFeed(
  deps: RefreshDeps,
  feed: FeedToFetch,
  now: Date,
  directory: Directory,
): Promise<RefreshOutcome> {
  const r = await readFeed(deps, feed, now, {
    ownerTz: async () => (await getMember(deps.db, feed.teamId, feed.ownerId!))?.tz ?? 'UTC',
    directory: () => directory(feed.teamId),
  });
  if (r.kind === 'error') return { ...readFailed(r), ...(await recordFeedError(deps.db, feed.id, r.message, now)) };
  if (r.kind === 'unchanged') {
    await recordFeedOk(deps.db, feed.id, { etag: feed.etag, lastModified: feed.lastModified, parsed: false }, now);
    return { kind: 'unchanged' };
  }
  await replaceFeedShifts(deps.db, { id: feed.id, teamId: feed.teamId }, r.shifts, r.from, now);
  await recordFeedOk(
    deps.db,
    feed.id,
    { etag: r.etag, lastModified: r.lastModified, parsed: true, unmatched: r.unmatched },
    now,
  );
  return { kind: 'ok', shifts: r.shifts.length, unmatched: r.unmatched };
}

export type OwnFeedRead =
  | { kind: 'error'; message: string; lasting?: boolean }
  /** `found`: the feed's shifts in the window read; `next`: the member's shift now or next. */
  | { kind: 'read'; found: number; next: Shift | undefined };

/** A member's new feed read once, right after it was set; undefined when it is gone since. */
export async function readOwnFeedNow(deps: Deps, who: Who & { feedId: string }, directory: Directory) {
  const feed = await feedToFetch(deps.db, who.feedId);
  if (!feed) return undefined;
  const now = deps.now();
  const r = await refreshFeed(deps, feed, now, directory);
  if (r.kind === 'error') return readFailed(r) satisfies OwnFeedRead;
  const window = { from: new Date(now.getTime() - WINDOW.backMs), to: new Date(now.getTime() + WINDOW.aheadMs) };
  const found = (await shiftsOverlapping(deps.db, window)).filter((s) => s.feedId === feed.id).length;
  const next = await currentOrNextShift(deps.db, who.teamId, who.userId, now);
  return { kind: 'read', found, next } satisfies OwnFeedRead;
}

export type TeamFeedRead =
  | { kind: 'error'; message: string; lasting?: boolean }
  | { kind: 'unchanged' }
  /** `people`: the members the feed's shifts name. */
  | { kind: 'ok'; shifts: number; people: number; unmatched: string[] };

/** A schedule feed read once, right after it was added; undefined when it is gone since. */
export async function readTeamFeedNow(deps: Deps, feedId: string, directory: Directory) {
  const feed = await feedToFetch(deps.db, feedId);
  if (!feed) return undefined;
  const r = await refreshFeed(deps, feed, deps.now(), directory);
  if (r.kind === 'error') return readFailed(r) satisfies TeamFeedRead;
  if (r.kind !== 'ok') return r;
  const people = new Set(
    (await shiftsOverlapping(deps.db, { from: new Date(0), to: new Date(8.64e15) }))
      .filter((s) => s.feedId === feed.id)
      .map((s) => s.userId),
  );
  return { kind: 'ok', shifts: r.shifts, people: people.size, unmatched: r.unmatched } satisfies TeamFeedRead;
}

/** Feeds looked at per run, at most; the rest wait for the next tick. */
const FEEDS_PER_RUN = 1000;

/** One feed's refresh in a run; `crashed`: it failed in a way no owner can fix (logged, tried next run). */
export type FeedRefreshed = { feed: FeedToFetch; outcome: RefreshOutcome | { kind: 'crashed' } };

/**
 * Refreshes every feed not fetched in the last ONCALL_FEED_INTERVAL_MINUTES, `concurrency` at
 * a time (each claimed first, so instances share the work). The team's directory is loaded at
 * most once per team and run, and only if a schedule feed changed.
 */
export async function refreshDueFeeds(deps: Deps, now: Date, load: Directory): Promise<FeedRefreshed[]> {
  const { intervalMinutes, concurrency } = deps.config.oncallFeeds;
  const feeds = await claimDueFeeds(deps.db, new Date(now.getTime() - intervalMinutes * 60_000), FEEDS_PER_RUN, now);
  const directories = new Map<string, ReturnType<Directory>>();
  const directory: Directory = (teamId) =>
    directories.get(teamId) ?? directories.set(teamId, load(teamId)).get(teamId)!;
  const done: FeedRefreshed[] = [];
  const one = async (feed: FeedToFetch) => {
    try {
      done.push({ feed, outcome: await refreshFeed(deps, feed, now, directory) });
    } catch (err) {
      deps.logger.error({ err, feedId: feed.id }, 'on-call feed refresh failed; tried again next run');
      done.push({ feed, outcome: { kind: 'crashed' } });
    }
  };
  const queue = [...feeds];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) await one(f);
    }),
  );
  return done;
}

import {
  addScheduleFeed,
  feedToFetch,
  memberFeed,
  removeMemberFeed,
  removeScheduleFeed,
  scheduleFeeds,
  setMemberFeed,
} from '../db/oncall-feeds.ts';
import { currentOrNextShift, shiftsOverlapping } from '../db/shifts.ts';
import type { Deps } from '../deps.ts';
import { allowAgain, type RateLimit } from '../growth/rate-limit.ts';
import { maskUrl } from '../oncall/feed-url.ts';
import { type RefreshOutcome, refreshFeed, WINDOW } from '../oncall/refresh.ts';
import { sendListFile } from '../outbound/list-file.ts';
import { slackDirectory } from '../outbound/users.ts';
import { boundedList } from '../outbound/views/long-list.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import { feedListLine, feedRead, ONCALL_USAGE, shiftLine, unmatchedLine } from '../outbound/views/oncall.ts';
import { type AdminHandlers, type GrowthContext, type Handlers, joinedMember } from './subcommand.ts';

/**
 * Reads a feed once, right after it was given, and tells the person what came of it by DM
 * (the fetch may take longer than Slack waits for the command's answer).
 */
async function readNow(
  ctx: GrowthContext,
  feedId: string,
  answer: (r: RefreshOutcome) => Promise<string>,
): Promise<void> {
  const feed = await feedToFetch(ctx.deps.db, feedId);
  if (!feed) return;
  const r = await refreshFeed(ctx.deps, feed, ctx.deps.now(), slackDirectory(ctx.deps));
  await ctx.slack.chat.postMessage({ channel: ctx.userId, text: await answer(r) });
}

/** The on-call line of `/growth me`: their feed (masked), whether it works, and the next shift. */
export async function oncallLine(ctx: GrowthContext, tz: string): Promise<string> {
  const now = ctx.deps.now();
  const [feed, next] = await Promise.all([
    memberFeed(ctx.deps.db, ctx.teamId, ctx.userId),
    currentOrNextShift(ctx.deps.db, ctx.teamId, ctx.userId, now),
  ]);
  const source = feed
    ? `your feed ${feed.urlMasked}${feed.lastError ? ` (not working: ${feed.lastError})` : ''}`
    : 'no feed of your own (`/growth oncall <link>`)';
  const shift = !next
    ? 'no shift ahead'
    : next.startsAt <= now
      ? shiftLine(next, tz, now)
      : `next shift ${shiftLine(next, tz, now)}`;
  return `• On call: ${source}; ${shift}`;
}

/** Each new link is fetched at once, on the member's behalf: a few a member, then a pause. */
export const FEED_SET_LIMIT: RateLimit = { max: 3, windowMs: 10 * 60_000 };
const setTimes = new WeakMap<Deps, Map<string, number[]>>();

/** Null when the member may set a feed now (and it is counted), else what to tell them. */
function limited(ctx: GrowthContext): string | null {
  const byMember = setTimes.get(ctx.deps) ?? setTimes.set(ctx.deps, new Map()).get(ctx.deps)!;
  const key = `${ctx.teamId}:${ctx.userId}`;
  const now = ctx.deps.now().getTime();
  const r = allowAgain(byMember.get(key) ?? [], now, FEED_SET_LIMIT);
  byMember.set(key, r.keep);
  if (r.ok) return null;
  const minutes = Math.max(1, Math.ceil((r.againAt - now) / 60_000));
  return `You have set your on-call feed ${FEED_SET_LIMIT.max} times in the last ${FEED_SET_LIMIT.windowMs / 60_000} minutes, and each one is fetched at once. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}; your feed stays as it was.`;
}

/** `/growth oncall …`: a member's own on-call feed. */
export const oncallHandlers = {
  oncall: async (ctx, cmd) => {
    const { deps } = ctx;
    const m = await joinedMember(ctx);
    if (!m) return joinFirst();
    if (cmd.action === 'show') {
      const feed = await memberFeed(deps.db, ctx.teamId, ctx.userId);
      if (!feed) return `You have no on-call feed yet. ${ONCALL_USAGE}`;
      const next = await currentOrNextShift(deps.db, ctx.teamId, ctx.userId, deps.now());
      const problem = feed.lastError ? ` It is not working just now: ${feed.lastError}.` : '';
      return `Your on-call feed: ${feed.urlMasked}.${problem} ${next ? `Next shift: ${shiftLine(next, m.tz, deps.now())}.` : 'No shift ahead.'}`;
    }
    if (cmd.action === 'off') {
      const removed = await removeMemberFeed(deps.db, ctx.teamId, ctx.userId);
      return removed
        ? 'Your on-call feed and the shifts read from it are removed.'
        : 'You had no on-call feed; nothing to remove.';
    }
    const tooOften = limited(ctx);
    if (tooOften) return tooOften;
    const masked = maskUrl(cmd.url);
    const feed = await setMemberFeed(
      deps.db,
      { teamId: ctx.teamId, userId: ctx.userId, url: cmd.url, urlMasked: masked },
      deps.now(),
    );
    return {
      text: `Saved your on-call feed (${masked}). Reading it now; I will tell you in a DM what I find.`,
      after: () =>
        readNow(ctx, feed.id, async (r) => {
          if (r.kind === 'error')
            return `I saved your on-call feed (${masked}) but could not read it: ${r.message}. I will keep trying; paste a corrected link with \`/growth oncall <link>\`, or \`/growth oncall off\`.`;
          const now = deps.now();
          const found = (
            await shiftsOverlapping(deps.db, {
              from: new Date(now.getTime() - WINDOW.backMs),
              to: new Date(now.getTime() + WINDOW.aheadMs),
            })
          ).filter((s) => s.feedId === feed.id).length;
          return feedRead(masked, found, await currentOrNextShift(deps.db, ctx.teamId, ctx.userId, now), m.tz, now);
        }),
    };
  },
} satisfies Partial<Handlers>;

/** `/growth admin oncall-feed …`: schedule feeds whose events name people. */
export const oncallAdminActions = {
  'oncall-feed-add': async (ctx, a) => {
    const masked = maskUrl(a.url);
    const feed = await addScheduleFeed(
      ctx.deps.db,
      { teamId: ctx.teamId, url: a.url, urlMasked: masked, createdBy: ctx.userId },
      ctx.deps.now(),
    );
    return {
      text: `Added on-call schedule feed #${feed.id} (${masked}). Reading it now; I will tell you in a DM what I find.`,
      after: () =>
        readNow(ctx, feed.id, async (r) => {
          if (r.kind === 'error')
            return `Schedule feed #${feed.id} (${masked}) is saved but could not be read: ${r.message}. I will keep trying.`;
          if (r.kind === 'unchanged') return `Schedule feed #${feed.id} (${masked}) is unchanged.`;
          const people = new Set(
            (await shiftsOverlapping(ctx.deps.db, { from: new Date(0), to: new Date(8.64e15) }))
              .filter((s) => s.feedId === feed.id)
              .map((s) => s.userId),
          );
          return `Schedule feed #${feed.id} (${masked}): ${r.shifts} shift${r.shifts === 1 ? '' : 's'} for ${people.size} member${people.size === 1 ? '' : 's'}.${unmatchedLine(r.unmatched)}`;
        }),
    };
  },
  'oncall-feed-remove': async (ctx, a) =>
    (await removeScheduleFeed(ctx.deps.db, ctx.teamId, a.id))
      ? `Schedule feed #${a.id} and its shifts are removed.`
      : `There is no schedule feed #${a.id}. \`/growth admin oncall-feed list\` shows them.`,
  'oncall-feed-list': async (ctx) => {
    const feeds = await scheduleFeeds(ctx.deps.db, ctx.teamId);
    if (!feeds.length) return 'No on-call schedule feeds. Add one with `/growth admin oncall-feed add <link>`.';
    const m = await joinedMember(ctx);
    const lines = feeds.map((f) => feedListLine(f, m?.tz ?? 'UTC'));
    const reply = boundedList(
      'On-call schedule feeds:',
      lines,
      'Remove one with `/growth admin oncall-feed remove <#>`.',
    );
    if (!reply.cut) return reply.text;
    return {
      text: reply.text,
      after: () =>
        sendListFile(ctx.slack, ctx.userId, {
          filename: `growthbot-schedule-feeds-${ctx.deps.now().toISOString().slice(0, 10)}.txt`,
          title: `On-call schedule feeds (${feeds.length})`,
          content: lines.join('\n'),
        }),
    };
  },
} satisfies Partial<AdminHandlers>;

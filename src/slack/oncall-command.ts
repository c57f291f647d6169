import { memberFeed, scheduleFeeds } from '../db/oncall-feeds.ts';
import { currentOrNextShift } from '../db/shifts.ts';
import { sendListFile } from '../outbound/list-file.ts';
import { slackDirectory } from '../outbound/users.ts';
import { boundedList } from '../outbound/views/long-list.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import {
  feedListLine,
  feedNotRead,
  feedRead,
  ONCALL_USAGE,
  shiftLine,
  unmatchedLine,
  whatNext,
} from '../outbound/views/oncall.ts';
import {
  addTeamFeed,
  readOwnFeedNow,
  readTeamFeedNow,
  removeOwnFeed,
  removeTeamFeed,
  setOwnFeed,
} from '../services/oncall-feeds.ts';
import { type AdminHandlers, type GrowthContext, type Handlers, joinedMember } from './subcommand.ts';

/** Tells the person by DM what reading their new feed found (the fetch may take longer than Slack waits). */
async function dm(ctx: GrowthContext, text: string | undefined): Promise<void> {
  if (text) await ctx.slack.chat.postMessage({ channel: ctx.userId, text });
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

/** `/growth oncall …`: a member's own on-call feed. */
export const oncallHandlers = {
  oncall: async (ctx, cmd) => {
    const { deps } = ctx;
    const who = { teamId: ctx.teamId, userId: ctx.userId };
    if (cmd.action === 'show') {
      const m = await joinedMember(ctx);
      if (!m) return joinFirst();
      const feed = await memberFeed(deps.db, ctx.teamId, ctx.userId);
      if (!feed) return `You have no on-call feed yet. ${ONCALL_USAGE}`;
      const next = await currentOrNextShift(deps.db, ctx.teamId, ctx.userId, deps.now());
      const problem = feed.lastError ? ` It is not working just now: ${feed.lastError}.` : '';
      return `Your on-call feed: ${feed.urlMasked}.${problem} ${next ? `Next shift: ${shiftLine(next, m.tz, deps.now())}.` : 'No shift ahead.'}`;
    }
    if (cmd.action === 'off') {
      const r = await removeOwnFeed(deps.db, who);
      if (r.kind === 'not-joined') return joinFirst();
      return r.kind === 'removed'
        ? 'Your on-call feed and the shifts read from it are removed.'
        : 'You had no on-call feed; nothing to remove.';
    }
    const r = await setOwnFeed(deps, deps.db, { ...who, url: cmd.url });
    if (r.kind === 'not-joined') return joinFirst();
    if (r.kind === 'too-often') {
      const { limit, minutes } = r;
      return `You have set your on-call feed ${limit.max} times in the last ${limit.windowMs / 60_000} minutes, and each one is fetched at once. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}; your feed stays as it was.`;
    }
    const { masked, tz } = r;
    return {
      text: `Saved your on-call feed (${masked}). Reading it now; I will tell you in a DM what I find.`,
      after: async () => {
        const read = await readOwnFeedNow(deps, { ...who, feedId: r.feed.id }, slackDirectory(deps));
        const every = deps.config.oncallFeeds.intervalMinutes;
        await dm(
          ctx,
          read?.kind === 'error'
            ? feedNotRead(masked, read.message, read.lasting, every)
            : read && feedRead(masked, read.found, read.next, tz, deps.now(), every),
        );
      },
    };
  },
} satisfies Partial<Handlers>;

/** `/growth admin oncall-feed …`: schedule feeds whose events name people. */
export const oncallAdminActions = {
  'oncall-feed-add': async (ctx, a) => {
    const { feed, masked } = await addTeamFeed(ctx.deps, ctx.deps.db, {
      teamId: ctx.teamId,
      userId: ctx.userId,
      url: a.url,
    });
    const name = `Schedule feed #${feed.id} (${masked})`;
    return {
      text: `Added on-call schedule feed #${feed.id} (${masked}). Reading it now; I will tell you in a DM what I find.`,
      after: async () => {
        const r = await readTeamFeedNow(ctx.deps, feed.id, slackDirectory(ctx.deps));
        if (!r) return;
        if (r.kind === 'error')
          return dm(
            ctx,
            `${name} is saved but could not be read: ${r.message}. ${whatNext(r.lasting, ctx.deps.config.oncallFeeds.intervalMinutes)}.`,
          );
        if (r.kind === 'unchanged') return dm(ctx, `${name} is unchanged.`);
        return dm(
          ctx,
          `${name}: ${r.shifts} shift${r.shifts === 1 ? '' : 's'} for ${r.people} member${r.people === 1 ? '' : 's'}.${unmatchedLine(r.unmatched)}`,
        );
      },
    };
  },
  'oncall-feed-remove': async (ctx, a) =>
    (await removeTeamFeed(ctx.deps.db, ctx.teamId, a.id))
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

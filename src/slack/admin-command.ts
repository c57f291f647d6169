import type { GrowthCommand } from './parse.ts';
import type { GrowthContext, Reply } from './growth-command.ts';
import { ensurePerson, getMember, isJoined, joinMember, removeMember, setLevel } from '../db/members.ts';
import { setMentor } from '../db/mentorships.ts';
import { isJobName, JOBS, runJob } from '../jobs/index.ts';
import { lookupPerson } from './users.ts';

type Of<K extends GrowthCommand['kind']> = Extract<GrowthCommand, { kind: K }>;

export const NOT_ADMIN = 'Only growthbot admins can do that (their Slack user ids are in ADMIN_USER_IDS). Nothing was changed.';

/** Makes sure we know a person (name, timezone) before an admin names them. */
async function known(ctx: GrowthContext, userId: string) {
  const person = await lookupPerson(ctx.args.client, userId, ctx.deps.logger);
  return ensurePerson(ctx.deps.db, { teamId: ctx.teamId, userId, displayName: person?.displayName ?? null, tz: person?.tz ?? 'UTC' }, ctx.deps.now());
}

/** `/growth admin …`: only for ADMIN_USER_IDS; anyone else is refused and nothing changes. */
export const adminHandlers = {
  admin: async (ctx: GrowthContext, cmd: Of<'admin'>): Promise<Reply> => {
    const { deps } = ctx;
    if (!deps.config.adminUserIds.includes(ctx.userId)) return NOT_ADMIN;
    const a = cmd.action;
    const now = deps.now();
    switch (a.kind) {
      case 'assign': {
        if (a.menteeId === a.mentorId) return 'A mentee cannot be their own mentor.';
        const mentee = await known(ctx, a.menteeId);
        await known(ctx, a.mentorId);
        const r = await setMentor(deps.db, ctx.teamId, a.menteeId, a.mentorId, now);
        const note = isJoined(mentee) ? '' : ` <@${a.menteeId}> has not joined yet, so there is nothing to report until they do.`;
        return r.unchanged ? `<@${a.mentorId}> already mentors <@${a.menteeId}>.` : `<@${a.mentorId}> now mentors <@${a.menteeId}>${r.previousMentorId ? ` (was <@${r.previousMentorId}>)` : ''}.${note}`;
      }
      case 'level': {
        const m = await getMember(deps.db, ctx.teamId, a.userId);
        if (isJoined(m)) {
          await setLevel(deps.db, ctx.teamId, a.userId, a.level, now);
          return `<@${a.userId}> is now at *${a.level}* level (was ${m.level}).`;
        }
        const person = await lookupPerson(ctx.args.client, a.userId, deps.logger);
        await joinMember(deps.db, { teamId: ctx.teamId, userId: a.userId, level: a.level, displayName: person?.displayName ?? null, tz: person?.tz ?? m?.tz ?? 'UTC' }, now);
        return `<@${a.userId}> joined at *${a.level}* level; their first prompt comes at their next Monday 10:00.`;
      }
      case 'remove': {
        const m = await getMember(deps.db, ctx.teamId, a.userId);
        if (!m) return `<@${a.userId}> is not in growthbot.`;
        await removeMember(deps.db, ctx.teamId, a.userId, now);
        return `<@${a.userId}> is removed: no more prompts or digests. Their history is kept (they can \`/growth forget-me\` to delete it).`;
      }
      case 'run': {
        if (!isJobName(a.job)) return `There is no job \`${a.job.slice(0, 30)}\`. Jobs: ${Object.keys(JOBS).join(', ')}.`;
        const job = a.job;
        return {
          text: `Running \`${job}\` now; I will DM you the result.`,
          after: async () => {
            const report = await runJob(deps, job, deps.now());
            await ctx.args.client.chat.postMessage({ channel: ctx.userId, text: `\`${job}\` finished: \`${JSON.stringify(report)}\`` });
          },
        };
      }
    }
  },
};

import { ensurePerson, getMember, isJoined, joinMember, removeMember, setLevel } from '../db/members.ts';
import { setMentor } from '../db/mentorships.ts';
import { lookupPerson } from '../outbound/users.ts';
import { jobReportText } from '../outbound/views/job-report.ts';
import { peopleAdminActions } from './admin-people.ts';
import { oncallAdminActions } from './oncall-command.ts';
import type { AdminAction } from './parse.ts';
import type { AdminHandlers, GrowthContext, Handlers, Reply } from './subcommand.ts';

export const NOT_ADMIN =
  'Only growthbot admins can do that (their Slack user ids are in ADMIN_USER_IDS). Nothing was changed.';

/** Makes sure we know a person (name, timezone) before an admin names them. */
async function known(ctx: GrowthContext, userId: string) {
  const person = await lookupPerson(ctx.slack, userId, ctx.deps.logger);
  return ensurePerson(
    ctx.deps.db,
    { teamId: ctx.teamId, userId, displayName: person?.displayName ?? null, tz: person?.tz ?? 'UTC' },
    ctx.deps.now(),
  );
}

/** The jobs `/growth admin run` may start, passed in by `main.ts` (slack/ never imports jobs/). */
export interface JobRunner {
  names: readonly string[];
  run(name: string, now: Date): Promise<object>;
}

function adminActions(jobs: JobRunner): AdminHandlers {
  return {
    ...oncallAdminActions,
    ...peopleAdminActions,
    assign: async (ctx, a) => {
      if (a.menteeId === a.mentorId) return 'A mentee cannot be their own mentor.';
      const mentee = await known(ctx, a.menteeId);
      await known(ctx, a.mentorId);
      const r = await setMentor(ctx.deps.db, ctx.teamId, a.menteeId, a.mentorId, ctx.deps.now());
      const note = isJoined(mentee)
        ? ''
        : ` <@${a.menteeId}> has not joined yet, so there is nothing to report until they do.`;
      if (r.unchanged) return `<@${a.mentorId}> already mentors <@${a.menteeId}>.`;
      return `<@${a.mentorId}> now mentors <@${a.menteeId}>${r.previousMentorId ? ` (was <@${r.previousMentorId}>)` : ''}.${note}`;
    },
    level: async (ctx, a) => {
      const { deps } = ctx;
      const m = await getMember(deps.db, ctx.teamId, a.userId);
      if (isJoined(m)) {
        await setLevel(deps.db, ctx.teamId, a.userId, a.level, deps.now());
        return `<@${a.userId}> is now at *${a.level}* level (was ${m.level}).`;
      }
      const person = await lookupPerson(ctx.slack, a.userId, deps.logger);
      const tz = person?.tz ?? m?.tz ?? 'UTC';
      await joinMember(
        deps.db,
        { teamId: ctx.teamId, userId: a.userId, level: a.level, displayName: person?.displayName ?? null, tz },
        deps.now(),
      );
      return `<@${a.userId}> joined at *${a.level}* level; their first prompt comes at their next Monday 10:00.`;
    },
    remove: async (ctx, a) => {
      const m = await getMember(ctx.deps.db, ctx.teamId, a.userId);
      if (!m) return `<@${a.userId}> is not in growthbot.`;
      await removeMember(ctx.deps.db, ctx.teamId, a.userId, ctx.deps.now());
      return `<@${a.userId}> is removed: no more prompts or digests. Their history is kept (they can \`/growth forget-me\` to delete it).`;
    },
    run: async (ctx, a) => {
      if (!jobs.names.includes(a.job))
        return `There is no job \`${a.job.slice(0, 30)}\`. Jobs: ${jobs.names.join(', ')}.`;
      const job = a.job;
      return {
        text: `Running \`${job}\` now; I will DM you the result.`,
        after: async () => {
          const report = await jobs.run(job, ctx.deps.now());
          await ctx.slack.chat.postMessage({ channel: ctx.userId, text: jobReportText(job, report) });
        },
      };
    },
  };
}

/** `/growth admin …`: only for ADMIN_USER_IDS; anyone else is refused and nothing changes. */
export function adminHandlers(jobs: JobRunner) {
  const actions = adminActions(jobs);
  return {
    admin: async (ctx, cmd) => {
      if (!ctx.deps.config.adminUserIds.includes(ctx.userId)) return NOT_ADMIN;
      // The table is keyed by kind, so this handler takes exactly this action.
      const handler = actions[cmd.action.kind] as (ctx: GrowthContext, a: AdminAction) => Promise<Reply>;
      return handler(ctx, cmd.action);
    },
  } satisfies Partial<Handlers>;
}

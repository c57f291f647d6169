import { getMember, isJoined, joinMember, removeMember, setLevel } from '../db/members.ts';
import { lookupPerson } from '../outbound/users.ts';
import { jobReportText } from '../outbound/views/job-report.ts';
import { assignMentor } from '../services/mentorships.ts';
import { peopleAdminActions } from './admin-people.ts';
import { oncallAdminActions } from './oncall-command.ts';
import type { AdminAction } from './parse.ts';
import type { AdminHandlers, GrowthContext, Handlers, Reply } from './subcommand.ts';

export const NOT_ADMIN =
  'Only growthbot admins can do that (their Slack user ids are in ADMIN_USER_IDS). Nothing was changed.';

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
      const r = await assignMentor(ctx.deps, ctx.deps.db, {
        teamId: ctx.teamId,
        menteeId: a.menteeId,
        mentorId: a.mentorId,
        lookup: (id) => lookupPerson(ctx.slack, id, ctx.deps.logger),
      });
      if (r.kind === 'self') return 'A mentee cannot be their own mentor.';
      if (r.kind === 'unchanged') return `<@${a.mentorId}> already mentors <@${a.menteeId}>.`;
      const note = r.menteeJoined
        ? ''
        : ` <@${a.menteeId}> has not joined yet, so there is nothing to report until they do.`;
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
      const tz = person?.tz ?? null; // not read: a zone read before is kept, else UTC unchecked
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

import { getMember, memberRoster } from '../db/members.ts';
import { forgetPerson } from '../db/person-data.ts';
import { formatLocalDate } from '../growth/pause.ts';
import { sendListFile } from '../outbound/list-file.ts';
import { namesInSlack } from '../outbound/users.ts';
import { boundedList } from '../outbound/views/long-list.ts';
import { escapeText } from '../outbound/views/progress.ts';
import { type AdminHandlers, joinedMember } from './subcommand.ts';

type Row = Awaited<ReturnType<typeof memberRoster>>[number];

function line(r: Row, tz: string): string {
  if (r.status === 'left')
    return `• <@${r.userId}>${r.displayName ? ` (${escapeText(r.displayName)})` : ''} · left${r.leftAt ? ` ${formatLocalDate(r.leftAt, tz)}` : ''}`;
  const paused =
    r.status === 'paused' ? ` · paused${r.pausedUntil ? ` until ${formatLocalDate(r.pausedUntil, tz)}` : ''}` : '';
  return `• <@${r.userId}> · ${r.level}${r.mentorId ? ` · mentor <@${r.mentorId}>` : ' · no mentor'}${paused}`;
}

/** `/growth admin list` and `/growth admin forget`: who is in growthbot, who has left, and deleting a leaver. */
export const peopleAdminActions = {
  list: async (ctx) => {
    const roster = await memberRoster(ctx.deps.db, ctx.teamId);
    if (!roster.length) return 'Nobody has joined yet.';
    const tz = (await joinedMember(ctx))?.tz ?? 'UTC';
    const members = roster.filter((r) => r.status !== 'left');
    const left = roster.filter((r) => r.status === 'left');
    const lines = [
      `*Members (${members.length})*`,
      ...members.map((r) => line(r, tz)),
      ...(left.length ? ['', `*Left (${left.length})*`, ...left.map((r) => line(r, tz))] : []),
    ];
    const keep = ctx.deps.config.retentionDays
      ? `until RETENTION_DAYS (${ctx.deps.config.retentionDays}) removes it`
      : 'with everything else (RETENTION_DAYS is unset)';
    const tail = left.length
      ? `People who left get nothing more; what they wrote is kept ${keep}. \`/growth admin forget @someone\` deletes it now.`
      : '';
    const reply = boundedList('', lines, tail);
    if (!reply.cut) return reply.text.trim();
    return {
      text: reply.text.trim(),
      after: () =>
        sendListFile(ctx.slack, ctx.userId, {
          filename: `growthbot-members-${ctx.deps.now().toISOString().slice(0, 10)}.txt`,
          title: `growthbot members (${members.length}) and leavers (${left.length})`,
          content: lines.join('\n'),
        }),
    };
  },

  forget: async (ctx, a) => {
    const m = await getMember(ctx.deps.db, ctx.teamId, a.userId);
    if (!m) return `growthbot stores nothing about <@${a.userId}>.`;
    if (m.status !== 'left')
      return `<@${a.userId}> has not left, so nothing was deleted: \`/growth admin forget\` is for people who left. They can delete their own data with \`/growth forget-me\`, or \`/growth admin remove @someone\` first.`;
    // Slack may no longer know them (deactivated, or gone): their stored name is matched as well.
    const names = await namesInSlack(ctx.slack, a.userId, ctx.deps.logger);
    const counts = await forgetPerson(ctx.deps.db, ctx.teamId, a.userId, { names, now: ctx.deps.now() });
    ctx.deps.logger.info({ userId: a.userId, deleted: counts, by: ctx.userId }, 'admin forget: leaver deleted');
    return `Everything growthbot stored about <@${a.userId}> is deleted: membership, check-ins, prompts, mentorships on both sides, feeds and shifts.`;
  },
} satisfies Partial<AdminHandlers>;

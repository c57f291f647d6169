import type { KnownBlock } from '@slack/types';
import { recentCheckins } from '../db/checkins.ts';
import { focusNow } from '../db/focus.ts';
import { getMember, isJoined } from '../db/members.ts';
import { currentMentees } from '../db/mentees.ts';
import { progressRows } from '../db/progress.ts';
import { competencyNamer } from '../growth/competencies.ts';
import { memberKey } from '../growth/member-key.ts';
import { progressByMember } from '../growth/progress.ts';
import { sendListFile } from '../outbound/list-file.ts';
import { focusLines } from '../outbound/views/focus.ts';
import { boundedList, packSections } from '../outbound/views/long-list.ts';
import { menteeActions } from '../outbound/views/mentoring.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import { headline, progressText, type TopicHelp } from '../outbound/views/progress.ts';
import { mentorAid, trapSentence } from '../rubrics/extras.ts';
import { isMentorOf } from '../services/mentorships.ts';
import { type GrowthContext, type Handlers, type Of, type Reply } from './subcommand.ts';

/** How many of the latest check-ins a summary quotes. */
const LATEST_QUOTED = 3;

/** Said to anyone who may not see a summary: the same words whoever the person is, joined or not. */
export const NOT_YOURS =
  'I can show a summary only to the person themselves, their current mentor, or a growthbot admin. Ask them to share it, or use `/growth summary` for your own.';

/** Who may see someone's progress: themselves, their current mentor, an admin; and whether the asker is that mentor. */
async function maySee(ctx: GrowthContext, userId: string): Promise<{ may: boolean; mentor: boolean }> {
  const mentor = userId !== ctx.userId && (await isMentorOf(ctx.deps.db, ctx.teamId, userId, ctx.userId));
  return { may: mentor || userId === ctx.userId || ctx.deps.config.adminUserIds.includes(ctx.userId), mentor };
}

/** A summary's text as sections (3000 characters each at most), so buttons can follow it. */
const sections = (text: string): KnownBlock[] =>
  packSections(text.split('\n')).map((t) => ({ type: 'section', text: { type: 'mrkdwn', text: t } }));

export const summaryHandlers = {
  summary: async (ctx: GrowthContext, cmd: Of<'summary'>): Promise<Reply> => {
    const target = cmd.userId ?? ctx.userId;
    const who = await maySee(ctx, target);
    if (!who.may) return NOT_YOURS;
    const m = await getMember(ctx.deps.db, ctx.teamId, target);
    if (!isJoined(m)) return target === ctx.userId ? joinFirst() : `<@${target}> has not joined growthbot.`;
    const now = ctx.deps.now();
    const own = target === ctx.userId;
    // Someone else (their mentor, an admin) sees nothing of what is just for them: neither in
    // progress nor among the check-ins quoted.
    const rows = await progressRows(ctx.deps.db, [m], now, own ? 'author' : 'others');
    const progress = progressByMember(ctx.deps.rubrics, [m], rows, now).get(memberKey(m.teamId, m.userId))!;
    const { rubrics } = ctx.deps;
    const nameOf = competencyNamer(rubrics);
    const latest = await recentCheckins(ctx.deps.db, m.teamId, m.userId, LATEST_QUOTED, !own);
    const help: TopicHelp = (id, promptId) => mentorAid(rubrics, id, m.level, promptId);
    const focus = await focusNow(ctx.deps.db, m, now, own ? 'author' : 'others');
    const text = progressText(own ? 'Your progress' : `<@${target}>`, m.level, progress, nameOf, {
      trap: trapSentence(rubrics, m.level),
      latest: latest.map((c) => ({
        text: c.text,
        competencyName: c.competencyId ? nameOf(c.competencyId) : c.competencyName,
        at: c.createdAt,
        private: c.private,
      })),
      ...(own ? {} : { help }),
      focus: focusLines(focus, nameOf, own),
    });
    if (!who.mentor) return text;
    // Their mentor can answer from here: Reply, I'll help on every open request, Kudos on each check-in quoted (all shared).
    const actions = menteeActions({
      menteeId: target,
      offer: progress.openHelp
        .filter((h) => !h.offeredBy)
        .map((h) => ({ checkinId: h.checkinId, competency: nameOf(h.competencyId) })),
      kudos: latest.map((c) => ({ checkinId: c.id, label: c.createdAt.toISOString().slice(0, 10) })),
    });
    return { text, blocks: [...sections(text), actions] };
  },

  mentees: async (ctx: GrowthContext): Promise<Reply> => {
    const mentees = await currentMentees(ctx.deps.db, ctx.teamId, [ctx.userId]);
    if (!mentees.length) return 'Nobody has named you as their mentor yet. They can with `/growth mentor @you`.';
    const now = ctx.deps.now();
    const progress = progressByMember(
      ctx.deps.rubrics,
      mentees,
      await progressRows(ctx.deps.db, mentees, now, 'others'),
      now,
    );
    const rows = mentees.map((m) => {
      const p = progress.get(memberKey(m.teamId, m.userId))!;
      const help = p.openHelp.length > 0;
      return {
        help,
        line: `• <@${m.userId}> · ${m.level}${m.status === 'paused' ? ' · paused' : ''} · ${headline(p)}${help ? ' · :sos: asked for help' : ''}`,
      };
    });
    const lines = rows.map((r) => r.line);
    const head = `*Your mentees* (${mentees.length})`;
    const tail = 'Details: `/growth summary @name`.';
    const whole = boundedList(head, lines, tail);
    if (!whole.cut) return whole.text;
    // Cut short: those who asked for help first, so the cut never hides them.
    const ordered = [...rows.filter((r) => r.help), ...rows.filter((r) => !r.help)].map((r) => r.line);
    const reply = boundedList(head, ordered, tail);
    const day = now.toISOString().slice(0, 10);
    return {
      text: reply.text,
      after: () =>
        sendListFile(ctx.slack, ctx.userId, {
          filename: `growthbot-mentees-${day}.txt`,
          title: `Your mentees (${mentees.length})`,
          content: [head.replace(/\*/g, ''), ...ordered].join('\n'),
        }),
    };
  },
} satisfies Partial<Handlers>;

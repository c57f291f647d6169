import { setPaused } from '../db/members.ts';
import { formatLocalDate, pauseUntil } from '../growth/pause.ts';
import { formatSlot, parseTime, parseWeekday } from '../growth/schedule.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import { setPromptSchedule } from '../services/schedule.ts';
import { type GrowthContext, type Handlers, joinedMember, type Of } from './subcommand.ts';

/** `/growth schedule`, `pause` and `resume`: when, and whether, prompts arrive. */
export const scheduleHandlers = {
  schedule: async (ctx: GrowthContext, cmd: Of<'schedule'>): Promise<string> => {
    const weekday = parseWeekday(cmd.weekdayText);
    const minute = parseTime(cmd.timeText);
    const problems = [
      ...(weekday ? [] : [`\`${cmd.weekdayText.slice(0, 20)}\` is not a weekday (try monday … sunday, or mon … sun).`]),
      ...(minute === null
        ? [`\`${cmd.timeText.slice(0, 20)}\` is not a time; use 24-hour HH:MM, e.g. 09:30 or 16:00.`]
        : []),
    ];
    if (weekday === null || minute === null)
      return `${problems.join(' ')} Example: \`/growth schedule tuesday 09:30\`.`;
    const r = await setPromptSchedule(ctx.deps, ctx.deps.db, {
      teamId: ctx.teamId,
      userId: ctx.userId,
      weekday,
      minute,
    });
    if (r.kind === 'not-joined') return joinFirst();
    return `Your weekly prompt now arrives ${formatSlot({ weekday, minute })} your time (${r.tz}).${r.startsNextWeek ? ' This week\u2019s prompt has already been sent, so the new time starts next week.' : ''}`;
  },

  pause: async (ctx: GrowthContext, cmd: Of<'pause'>): Promise<string> => {
    const m = await joinedMember(ctx);
    if (!m) return joinFirst();
    const now = ctx.deps.now();
    const until = pauseUntil(cmd.arg, now, m.tz);
    if (!until.ok) return until.problem;
    await setPaused(ctx.deps.db, ctx.teamId, ctx.userId, until.until, now);
    return `Paused. No prompts or reminders until ${formatLocalDate(until.until, m.tz)}. \`/growth resume\` brings them back sooner.`;
  },

  resume: async (ctx: GrowthContext): Promise<string> => {
    const m = await joinedMember(ctx);
    if (!m) return joinFirst();
    if (m.status === 'active') return 'Your prompts are not paused.';
    await setPaused(ctx.deps.db, ctx.teamId, ctx.userId, 'resume', ctx.deps.now());
    return `Welcome back! Prompts are on again: ${formatSlot({ weekday: m.promptWeekday, minute: m.promptMinute })} your time.`;
  },
} satisfies Partial<Handlers>;

import type { App, BlockButtonAction } from '@slack/bolt';
import { focusForQuarter } from '../db/focus.ts';
import { getMember, isJoined } from '../db/members.ts';
import { getOneOnOne } from '../db/one-on-ones.ts';
import type { Deps } from '../deps.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import { quarterOf } from '../growth/focus.ts';
import { formatSlot } from '../growth/schedule.ts';
import { formatLocalWhen } from '../growth/working-days.ts';
import { IDS } from '../outbound/ids.ts';
import { checkinModal } from '../outbound/views/checkin-modal.ts';
import { giveBack } from '../outbound/views/messages.ts';
import {
  type AgendaAdd,
  addCheckinToAgenda,
  addToAgenda,
  clearOneOnOneFor,
  type OneOnOneResult,
  setOneOnOneFor,
  showOneOnOne,
} from '../services/one-on-ones.ts';
import { buttonInput, buttonValue, guardAction, openView, reply } from './guard.ts';
import type { Handlers } from './subcommand.ts';

function oneOnOneText(r: OneOnOneResult, readerTz: string): string {
  switch (r.kind) {
    case 'no-pair':
      return r.problem;
    case 'none':
      return `No 1:1 with <@${r.otherId}> is recorded. Set one: \`/growth one-on-one tuesday 10:00 fortnightly\`.`;
    case 'cleared':
      return `Your 1:1 with <@${r.otherId}> is cleared: no more agendas or takeaway questions.`;
    case 'set': {
      const o = r.oneOnOne;
      return `Your 1:1 with <@${r.otherId}>: ${formatSlot(o)} ${o.everyWeeks === 1 ? 'every week' : 'every other week'} (${r.tz}, the mentor’s time). Next: ${formatLocalWhen(r.next, readerTz)} your time. Both of you get its agenda a day before.`;
    }
  }
}

function agendaText(r: AgendaAdd, readerTz: string): string {
  switch (r.kind) {
    case 'added':
      return `Added to your 1:1 with <@${r.otherId}> on ${formatLocalWhen(r.next, readerTz)} (your time).`;
    case 'already':
      return 'That check-in is on the agenda already.';
    case 'too-long':
      return `That is ${r.length} characters; an agenda item may have ${r.max}. Nothing was added.`;
    case 'empty':
      return 'Say what to raise: `/growth agenda how to prepare for on-call`.';
    case 'no-one-on-one':
      return r.otherId
        ? `No 1:1 with <@${r.otherId}> is recorded yet: set one with \`/growth one-on-one <weekday> <HH:MM>\`.`
        : 'A check-in goes on the agenda of your 1:1 with your mentor, and you have none recorded.';
    case 'private':
      return 'That check-in is just for you, so it stays off the agenda. Share it first (Edit) to add it.';
    case 'not-yours':
      return 'Only your own check-ins can go on your agenda.';
    case 'no-pair':
      return r.problem;
  }
}

async function tzOf(deps: Deps, teamId: string, userId: string): Promise<string> {
  return (await getMember(deps.db, teamId, userId))?.tz ?? 'UTC';
}

/** `/growth one-on-one …` and `/growth agenda <text>`. */
export const oneOnOneHandlers = {
  'one-on-one': async (ctx, cmd) => {
    const who = { teamId: ctx.teamId, userId: ctx.userId, withId: cmd.withId };
    let r: OneOnOneResult;
    if (cmd.action === 'set')
      r = await setOneOnOneFor(ctx.deps, ctx.deps.db, {
        ...who,
        weekday: cmd.weekday,
        minute: cmd.minute,
        everyWeeks: cmd.everyWeeks,
      });
    else if (cmd.action === 'off') r = await clearOneOnOneFor(ctx.deps.db, who);
    else r = await showOneOnOne(ctx.deps, ctx.deps.db, who);
    return oneOnOneText(r, await tzOf(ctx.deps, ctx.teamId, ctx.userId));
  },
  agenda: async (ctx, cmd) => {
    const r = await addToAgenda(ctx.deps, ctx.deps.db, {
      teamId: ctx.teamId,
      userId: ctx.userId,
      withId: cmd.withId,
      text: cmd.text,
    });
    const text = agendaText(r, await tzOf(ctx.deps, ctx.teamId, ctx.userId));
    return r.kind === 'too-long' ? `${text}\n${giveBack(cmd.text)}` : text;
  },
} satisfies Partial<Handlers>;

/** "Add to 1:1" on a check-in, and the takeaway question's button (the check-in form, focus first). */
export function registerOneOnOne(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(
    IDS.oneOnOne.addCheckin,
    guardAction(deps, {
      name: 'Add to 1:1 button',
      input: buttonInput,
      run: async (g) => {
        const r = await g.db(
          addCheckinToAgenda(deps, deps.db, { teamId: g.teamId, userId: g.userId, checkinId: buttonValue(g.input) }),
          'adding to an agenda',
        );
        return reply(agendaText(r, await g.db(tzOf(deps, g.teamId, g.userId), 'reading a member')));
      },
    }),
  );
  app.action<BlockButtonAction>(
    IDS.oneOnOne.takeaway,
    guardAction(deps, {
      name: 'takeaway button',
      input: buttonInput,
      run: async (g) => {
        const o = await g.db(getOneOnOne(deps.db, buttonValue(g.input)), 'reading a 1:1');
        const m = await g.db(getMember(deps.db, g.teamId, g.userId), 'reading a member');
        if (!o || o.teamId !== g.teamId || o.menteeId !== g.userId || !isJoined(m))
          return reply('That takeaway question is not yours.');
        const focus = await g.db(
          focusForQuarter(deps.db, g.teamId, g.userId, quarterOf(deps.now(), m.tz).quarter),
          'reading a focus',
        );
        const ids = focus?.competencyIds ?? [];
        const all = checkinCompetencies(deps.rubrics, m.level);
        const competencies = [...all.filter((c) => ids.includes(c.id)), ...all.filter((c) => !ids.includes(c.id))];
        return openView(checkinModal({ competencies, ...(ids[0] ? { competencyId: ids[0] } : {}) }));
      },
    }),
  );
}

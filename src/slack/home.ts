import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { getOwnCheckin, recentCheckins } from '../db/checkins.ts';
import { focusNow } from '../db/focus.ts';
import { getMember, isJoined } from '../db/members.ts';
import { currentMentees } from '../db/mentees.ts';
import { nudgeForWeek } from '../db/nudges.ts';
import { mergeRows, progressRows } from '../db/progress.ts';
import { kudosForMentee, repliesToMentee } from '../db/replies.ts';
import type { Deps } from '../deps.ts';
import { EDIT_WINDOW_DAYS, isEditable } from '../growth/checkin.ts';
import { checkinCompetencies, competencyNamer } from '../growth/competencies.ts';
import { memberKey } from '../growth/member-key.ts';
import { progressByMember } from '../growth/progress.ts';
import { formatSlot, localWeek, parseTime, parseWeekdayNumber } from '../growth/schedule.ts';
import { IDS } from '../outbound/ids.ts';
import { checkinModal } from '../outbound/views/checkin-modal.ts';
import { focusLines } from '../outbound/views/focus.ts';
import { homeView } from '../outbound/views/home.ts';
import { scheduleModal } from '../outbound/views/schedule-modal.ts';
import { trapSentence } from '../rubrics/extras.ts';
import { withdrawCheckin } from '../services/checkins.ts';
import { nextAgendas } from '../services/one-on-ones.ts';
import { setPromptSchedule } from '../services/schedule.ts';
import {
  type ButtonAnswer,
  type ButtonInput,
  buttonInput,
  buttonValue,
  done,
  FORM,
  type FormAnswer,
  formErrors,
  formValue,
  type Guarded,
  guardAction,
  guardEvent,
  guardView,
  openView,
  reply,
  type ViewInput,
  viewInput,
} from './guard.ts';
import type { HomeRefresher } from './home-refresher.ts';
import { openPauseForm, showOpen } from './nudge-actions.ts';

const homeOpened = z.object({
  team_id: z.string().min(1),
  event: z.object({ user: z.string().min(1), tab: z.string().optional() }),
});

export function registerHome(app: App, deps: Deps, homes: HomeRefresher): void {
  app.event(
    'app_home_opened',
    guardEvent(deps, {
      name: 'Home',
      input: homeOpened,
      run: async (g) => {
        if (g.input.event.tab !== 'home') return;
        homes.opened(g.teamId, g.userId);
        await publishHome(deps, g.slack, g.teamId, g.userId);
      },
    }),
  );
  const button = (name: string, run: (g: Guarded<ButtonInput>) => Promise<ButtonAnswer>) =>
    guardAction(deps, { name, input: buttonInput, run });
  app.action<BlockButtonAction>(
    IDS.home.checkin,
    button('Home check-in button', (g) => openForm(g, 'checkin')),
  );
  app.action<BlockButtonAction>(
    IDS.home.schedule,
    button('Home schedule button', (g) => openForm(g, 'schedule')),
  );
  app.action<BlockButtonAction>(IDS.home.pause, button('Home pause button', openPauseForm));
  app.action<BlockButtonAction>(
    IDS.editCheckin,
    button('Edit button', (g) => openForm(g, 'edit')),
  );
  app.action<BlockButtonAction>(
    IDS.deleteCheckin,
    button('Delete button', (g) => handleDelete(g, homes)),
  );
  app.view(
    IDS.scheduleModal,
    guardView(deps, {
      name: 'schedule form',
      input: viewInput,
      errorBlock: IDS.schedule.weekdayBlock,
      run: (g) => handleScheduleSubmission(homes, g),
    }),
  );
}

/** Builds and publishes someone's Home tab: their progress, and their mentees if they mentor. */
export async function publishHome(deps: Deps, client: WebClient, teamId: string, userId: string): Promise<void> {
  const now = deps.now();
  // Every read is independent once the member is known: one round of them, not nine in a row.
  const [m, mentees] = await Promise.all([
    getMember(deps.db, teamId, userId),
    currentMentees(deps.db, teamId, [userId]),
  ]);
  const member = isJoined(m) ? m : null;
  const everyone = [...(member ? [member] : []), ...mentees];
  // Their own progress counts everything; their mentees' only what each shares (db/privacy.ts).
  const [own, others, recent, focus, nudge, replies, kudos, meetings] = await Promise.all([
    progressRows(deps.db, member ? [member] : [], now, 'author'),
    progressRows(deps.db, mentees, now, 'others'),
    member ? recentCheckins(deps.db, teamId, userId, 5) : [],
    member ? focusNow(deps.db, member, now, 'author') : undefined,
    member ? nudgeForWeek(deps.db, teamId, userId, localWeek(now, member.tz)).then((n) => n ?? null) : null,
    member ? repliesToMentee(deps.db, teamId, userId) : [],
    member ? kudosForMentee(deps.db, teamId, userId) : [],
    nextAgendas(deps, deps.db, teamId, userId),
  ]);
  const progress = progressByMember(deps.rubrics, everyone, mergeRows(own, others), now);
  const nameOf = competencyNamer(deps.rubrics);
  const view = homeView({
    now,
    oneOnOne: meetings.find((a) => a.menteeId === userId),
    menteeOneOnOnes: meetings.filter((a) => a.mentorId === userId),
    mentoring: {
      replies: replies.map((r) => ({ id: r.id, fromId: r.mentorId, text: r.text, at: r.createdAt })),
      kudos: kudos.map((k) => ({ checkinId: k.checkinId, mentorId: k.mentorId, at: k.createdAt })),
    },
    member,
    progress: member ? progress.get(memberKey(teamId, userId))! : null,
    nudge,
    recent,
    editable: new Set(recent.filter((c) => isEditable(c.createdAt, now)).map((c) => c.id)),
    mentees: mentees.map((x) => ({
      userId: x.userId,
      level: x.level,
      paused: x.status === 'paused',
      progress: progress.get(memberKey(x.teamId, x.userId))!,
    })),
    nameOf,
    focus: focusLines(focus, nameOf, true),
    ...(member ? { trap: trapSentence(deps.rubrics, member.level) } : {}),
  });
  await client.views.publish({ user_id: userId, view });
}

async function openForm(g: Guarded<ButtonInput>, which: 'checkin' | 'schedule' | 'edit'): Promise<ButtonAnswer> {
  const { deps } = g;
  const member = await g.db(getMember(deps.db, g.teamId, g.userId), 'reading a member');
  if (!isJoined(member)) return done();
  if (which === 'schedule')
    return openView(scheduleModal({ weekday: member.promptWeekday, minute: member.promptMinute }, member.tz));
  if (which === 'checkin')
    return openView(checkinModal({ competencies: checkinCompetencies(deps.rubrics, member.level) }));
  const c = await g.db(getOwnCheckin(deps.db, buttonValue(g.input), g.userId), 'reading a check-in');
  if (!c) return done();
  return openView(
    checkinModal({
      competencies: checkinCompetencies(deps.rubrics, member.level),
      competencyId: c.competencyId ?? undefined,
      draft: c.text,
      initial: { rating: c.rating, needsHelp: c.needsHelp, private: c.private, evidenceUrl: c.evidenceUrl },
      meta: { checkinId: c.id },
    }),
  );
}

async function handleDelete(g: Guarded<ButtonInput>, homes: HomeRefresher): Promise<ButtonAnswer> {
  const withdrawn = await g.db(
    withdrawCheckin(g.deps, g.deps.db, { checkinId: buttonValue(g.input), userId: g.userId }),
    'deleting a check-in',
  );
  const text = !withdrawn
    ? `That check-in could not be deleted: only your own, for ${EDIT_WINDOW_DAYS} days after saving.`
    : withdrawn.reopened
      ? "Deleted that check-in. This week's prompt is open again: answer it whenever you like."
      : 'Deleted that check-in.';
  return reply(text, {
    after: async () => {
      if (withdrawn?.reopened) await showOpen(g.deps, g.slack, withdrawn.reopened);
      homes.changed(g.teamId, g.userId);
    },
  });
}

/** The schedule form: validated in the ack; the write raced against the deadline. */
async function handleScheduleSubmission(homes: HomeRefresher, g: Guarded<ViewInput>): Promise<FormAnswer> {
  const s = IDS.schedule;
  const weekday = parseWeekdayNumber(
    formValue(g.input, s.weekdayBlock, s.weekdayAction, FORM.option)?.selected_option?.value,
  );
  const minute = parseTime(formValue(g.input, s.timeBlock, s.timeAction, FORM.time)?.selected_time ?? '');
  if (weekday === null || minute === null)
    return formErrors(weekday === null ? { [s.weekdayBlock]: 'Choose a day.' } : { [s.timeBlock]: 'Choose a time.' });
  const r = await g.db(
    setPromptSchedule(g.deps, g.deps.db, { teamId: g.teamId, userId: g.userId, weekday, minute }),
    'saving a schedule',
  );
  if (r.kind === 'not-joined')
    return formErrors({ [s.weekdayBlock]: 'Join first with `/growth join <level>`; then your schedule can be set.' });
  return reply(`Your weekly prompt now arrives ${formatSlot({ weekday, minute })} your time.`, {
    after: async () => homes.changed(g.teamId, g.userId),
  });
}

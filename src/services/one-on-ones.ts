import { getOwnCheckin } from '../db/checkins.ts';
import type { Db } from '../db/create-db.ts';
import { focusForQuarter } from '../db/focus.ts';
import { getMember, isJoined } from '../db/members.ts';
import { currentMentees } from '../db/mentees.ts';
import { currentMentorship } from '../db/mentorships.ts';
import {
  addAgendaItem,
  agendaItemsBetween,
  clearOneOnOne,
  type OneOnOne,
  oneOnOneOf,
  setOneOnOne,
  sharedCheckinsOn,
} from '../db/one-on-ones.ts';
import { progressRows } from '../db/progress.ts';
import type { Deps } from '../deps.ts';
import { quarterOf } from '../growth/focus.ts';
import { memberKey } from '../growth/member-key.ts';
import { AGENDA_LEAD_MS, AGENDA_TEXT_MAX, type Agenda, nextMeeting, previousMeeting } from '../growth/one-on-one.ts';
import { progressByMember } from '../growth/progress.ts';
import { localWeek, type Weekday } from '../growth/schedule.ts';
import { mentorAid } from '../rubrics/extras.ts';

export type Pair =
  | { kind: 'pair'; mentorId: string; menteeId: string; otherId: string }
  | { kind: 'no-pair'; problem: string };

/** Whose 1:1: the person named (their mentor or mentee), or else their only one. */
export async function pairOf(db: Db, teamId: string, userId: string, withId: string | null): Promise<Pair> {
  const own = await currentMentorship(db, teamId, userId);
  if (withId) {
    if (own?.mentorId === withId) return { kind: 'pair', mentorId: withId, menteeId: userId, otherId: withId };
    if ((await currentMentorship(db, teamId, withId))?.mentorId === userId)
      return { kind: 'pair', mentorId: userId, menteeId: withId, otherId: withId };
    return { kind: 'no-pair', problem: `<@${withId}> is neither your mentor nor your mentee.` };
  }
  const mentees = await currentMentees(db, teamId, [userId]);
  if (own && !mentees.length) return { kind: 'pair', mentorId: own.mentorId, menteeId: userId, otherId: own.mentorId };
  if (!own && mentees.length === 1)
    return { kind: 'pair', mentorId: userId, menteeId: mentees[0]!.user_id, otherId: mentees[0]!.user_id };
  if (!own && !mentees.length)
    return { kind: 'no-pair', problem: 'A 1:1 is with your mentor or a mentee, and you have neither yet.' };
  return { kind: 'no-pair', problem: 'Name whose 1:1 you mean, e.g. `/growth one-on-one @alex tuesday 10:00`.' };
}

export type OneOnOneResult =
  | { kind: 'set'; oneOnOne: OneOnOne; otherId: string; next: Date; tz: string }
  | { kind: 'none'; otherId: string }
  | { kind: 'cleared'; otherId: string }
  | { kind: 'no-pair'; problem: string };

async function mentorTz(db: Db, teamId: string, mentorId: string): Promise<string> {
  return (await getMember(db, teamId, mentorId))?.tz ?? 'UTC';
}

/** Records a pair's 1:1 in the mentor's zone (either of them may). */
export async function setOneOnOneFor(
  deps: Deps,
  db: Db,
  s: { teamId: string; userId: string; withId: string | null; weekday: Weekday; minute: number; everyWeeks: 1 | 2 },
): Promise<OneOnOneResult> {
  const p = await pairOf(db, s.teamId, s.userId, s.withId);
  if (p.kind !== 'pair') return p;
  const tz = await mentorTz(db, s.teamId, p.mentorId);
  const now = deps.now();
  const o = await setOneOnOne(
    db,
    {
      teamId: s.teamId,
      mentorId: p.mentorId,
      menteeId: p.menteeId,
      weekday: s.weekday,
      minute: s.minute,
      everyWeeks: s.everyWeeks,
      anchorWeek: localWeek(now, tz),
      createdBy: s.userId,
    },
    now,
  );
  return { kind: 'set', oneOnOne: o, otherId: p.otherId, next: nextMeeting(now, o, tz), tz };
}

export async function showOneOnOne(
  deps: Deps,
  db: Db,
  s: { teamId: string; userId: string; withId: string | null },
): Promise<OneOnOneResult> {
  const p = await pairOf(db, s.teamId, s.userId, s.withId);
  if (p.kind !== 'pair') return p;
  const o = await oneOnOneOf(db, s.teamId, p.mentorId, p.menteeId);
  if (!o) return { kind: 'none', otherId: p.otherId };
  const tz = await mentorTz(db, s.teamId, p.mentorId);
  return { kind: 'set', oneOnOne: o, otherId: p.otherId, next: nextMeeting(deps.now(), o, tz), tz };
}

export async function clearOneOnOneFor(
  db: Db,
  s: { teamId: string; userId: string; withId: string | null },
): Promise<OneOnOneResult> {
  const p = await pairOf(db, s.teamId, s.userId, s.withId);
  if (p.kind !== 'pair') return p;
  const cleared = await clearOneOnOne(db, s.teamId, p.mentorId, p.menteeId);
  return { kind: cleared ? 'cleared' : 'none', otherId: p.otherId };
}

export type AgendaAdd =
  | { kind: 'added'; otherId: string; next: Date; tz: string }
  | { kind: 'already' }
  | { kind: 'too-long'; length: number; max: number }
  | { kind: 'empty' }
  | { kind: 'no-one-on-one'; otherId: string | null }
  | { kind: 'private' }
  | { kind: 'not-yours' }
  | { kind: 'no-pair'; problem: string };

/** Which meeting an item added at `now` goes to: the next whose agenda has not gone out yet. */
function meetingFor(now: Date, o: OneOnOne, tz: string): Date {
  const next = nextMeeting(now, o, tz);
  return next.getTime() - AGENDA_LEAD_MS > now.getTime() ? next : nextMeeting(next, o, tz);
}

/** `/growth agenda <text>`: an item for the pair's next 1:1, at most AGENDA_TEXT_MAX characters. */
export async function addToAgenda(
  deps: Deps,
  db: Db,
  a: { teamId: string; userId: string; withId: string | null; text: string },
): Promise<AgendaAdd> {
  const text = a.text.trim();
  if (!text) return { kind: 'empty' };
  const length = [...text].length;
  if (length > AGENDA_TEXT_MAX) return { kind: 'too-long', length, max: AGENDA_TEXT_MAX };
  const p = await pairOf(db, a.teamId, a.userId, a.withId);
  if (p.kind !== 'pair') return p;
  const o = await oneOnOneOf(db, a.teamId, p.mentorId, p.menteeId);
  if (!o) return { kind: 'no-one-on-one', otherId: p.otherId };
  const now = deps.now();
  await addAgendaItem(db, { teamId: a.teamId, oneOnOneId: o.id, userId: a.userId, text, checkinId: null }, now);
  const tz = await mentorTz(db, a.teamId, o.mentorId);
  return { kind: 'added', otherId: p.otherId, next: meetingFor(now, o, tz), tz };
}

/** "Add to 1:1" on a check-in: only the author's own, only a shared one, onto their 1:1 with their mentor. */
export async function addCheckinToAgenda(
  deps: Deps,
  db: Db,
  a: { teamId: string; userId: string; checkinId: string },
): Promise<AgendaAdd> {
  const c = await getOwnCheckin(db, a.checkinId, a.userId);
  if (!c || c.team_id !== a.teamId) return { kind: 'not-yours' };
  if (c.private) return { kind: 'private' };
  const mentorId = (await currentMentorship(db, a.teamId, a.userId))?.mentorId;
  const o = mentorId ? await oneOnOneOf(db, a.teamId, mentorId, a.userId) : undefined;
  if (!o) return { kind: 'no-one-on-one', otherId: mentorId ?? null };
  const now = deps.now();
  const added = await addAgendaItem(
    db,
    { teamId: a.teamId, oneOnOneId: o.id, userId: a.userId, text: null, checkinId: c.id },
    now,
  );
  if (!added) return { kind: 'already' };
  const tz = await mentorTz(db, a.teamId, o.mentorId);
  return { kind: 'added', otherId: o.mentorId, next: meetingFor(now, o, tz), tz };
}

/** Gathers the agenda of the meeting at `meeting`: help, focus check-ins and items since the last one. */
export async function agendaFor(
  deps: Deps,
  db: Db,
  o: OneOnOne & { tz: string },
  meeting: Date,
): Promise<Agenda | null> {
  const mentee = await getMember(db, o.teamId, o.menteeId);
  if (!isJoined(mentee)) return null;
  const due = new Date(meeting.getTime() - AGENDA_LEAD_MS);
  const last = previousMeeting(new Date(meeting.getTime() - 1), o, o.tz);
  const progress = progressByMember(deps.rubrics, [mentee], await progressRows(db, [mentee], due, 'others'), due).get(
    memberKey(o.teamId, o.menteeId),
  )!;
  const focus = await focusForQuarter(db, o.teamId, o.menteeId, quarterOf(due, mentee.tz).quarter);
  const topic = progress.topics.find((t) => t.competencyId);
  const ask = topic?.competencyId
    ? mentorAid(deps.rubrics, topic.competencyId, mentee.level, topic.promptId).ask
    : undefined;
  return {
    mentorId: o.mentorId,
    menteeId: o.menteeId,
    meeting,
    tz: o.tz,
    help: progress.openHelp,
    focusCheckins: await sharedCheckinsOn(db, o.teamId, o.menteeId, focus?.competencyIds ?? [], last, due),
    followUp: topic?.competencyId && ask ? { competencyId: topic.competencyId, question: ask } : null,
    items: await agendaItemsBetween(db, o.id, new Date(last.getTime() - AGENDA_LEAD_MS), due),
  };
}

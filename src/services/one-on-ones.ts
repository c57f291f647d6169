import { getOwnCheckin } from '../db/checkins.ts';
import type { Db } from '../db/create-db.ts';
import { focusIdsOf } from '../db/focus.ts';
import { getMember, isJoined, membersByIds } from '../db/members.ts';
import { currentMentees } from '../db/mentees.ts';
import {
  activeOneOnOnes,
  addAgendaItem,
  agendaItemsIn,
  clearOneOnOne,
  type OneOnOne,
  oneOnOneOf,
  setOneOnOne,
  sharedCheckinsIn,
} from '../db/one-on-ones.ts';
import { progressRows } from '../db/progress.ts';
import type { Member } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { quarterOf } from '../growth/focus.ts';
import { groupBy } from '../growth/group-by.ts';
import { memberKey } from '../growth/member-key.ts';
import { AGENDA_LEAD_MS, AGENDA_TEXT_MAX, type Agenda, nextMeeting, previousMeeting } from '../growth/one-on-one.ts';
import { type Progress, progressByMember } from '../growth/progress.ts';
import { localWeek, type Weekday } from '../growth/schedule.ts';
import { mentorAid } from '../rubrics/extras.ts';
import type { Level } from '../rubrics/schema.ts';
import { isMentorOf, mentorOf } from './mentorships.ts';

export type Pair =
  | { kind: 'pair'; mentorId: string; menteeId: string; otherId: string }
  | { kind: 'no-pair'; problem: string };

/** Whose 1:1: the person named (their mentor or mentee), or else their only one. */
export async function pairOf(db: Db, teamId: string, userId: string, withId: string | null): Promise<Pair> {
  const own = await mentorOf(db, teamId, userId);
  if (withId) {
    if (own === withId) return { kind: 'pair', mentorId: withId, menteeId: userId, otherId: withId };
    if (await isMentorOf(db, teamId, withId, userId))
      return { kind: 'pair', mentorId: userId, menteeId: withId, otherId: withId };
    return { kind: 'no-pair', problem: `<@${withId}> is neither your mentor nor your mentee.` };
  }
  const mentees = await currentMentees(db, teamId, [userId]);
  if (own && !mentees.length) return { kind: 'pair', mentorId: own, menteeId: userId, otherId: own };
  if (!own && mentees.length === 1)
    return { kind: 'pair', mentorId: userId, menteeId: mentees[0]!.userId, otherId: mentees[0]!.userId };
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
  if (!c || c.teamId !== a.teamId) return { kind: 'not-yours' };
  if (c.private) return { kind: 'private' };
  const mentorId = await mentorOf(db, a.teamId, a.userId);
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

/** One meeting whose agenda is wanted. */
export interface AgendaRequest {
  o: OneOnOne & { tz: string };
  meeting: Date;
}

/**
 * The agendas of these meetings, in one set of queries whatever their number: open help requests,
 * focus check-ins and items since each pair's last 1:1, and the follow-up question, shared
 * check-ins only. Help and the question are as of each agenda's time (a day before the meeting),
 * or as of `asOf` when given (Home shows the agenda as it stands). Null for a mentee not joined.
 */
export async function agendasFor(
  deps: Deps,
  db: Db,
  reqs: readonly AgendaRequest[],
  asOf?: Date,
): Promise<(Agenda | null)[]> {
  const mentees = new Map<string, Member & { level: Level }>();
  for (const [teamId, list] of groupBy(reqs, (r) => r.o.teamId))
    for (const m of await membersByIds(db, teamId, [...new Set(list.map((r) => r.o.menteeId))]))
      if (isJoined(m)) mentees.set(memberKey(m.teamId, m.userId), m);
  const plans = reqs.flatMap((r, i) => {
    const mentee = mentees.get(memberKey(r.o.teamId, r.o.menteeId));
    if (!mentee) return [];
    const due = new Date(r.meeting.getTime() - AGENDA_LEAD_MS);
    const last = previousMeeting(new Date(r.meeting.getTime() - 1), r.o, r.o.tz);
    return [{ ...r, key: String(i), mentee, due, last, at: asOf ?? due, quarter: quarterOf(due, mentee.tz).quarter }];
  });
  // Progress and focus are read once per instant and per quarter: one or two in a run.
  const progress = new Map<string, Progress>();
  for (const [t, list] of groupBy(plans, (p) => String(p.at.getTime()))) {
    const at = new Date(Number(t));
    const members = [...new Map(list.map((p) => [memberKey(p.o.teamId, p.o.menteeId), p.mentee])).values()];
    const rows = await progressRows(db, members, at, 'others');
    for (const [k, x] of progressByMember(deps.rubrics, members, rows, at)) progress.set(`${t}|${k}`, x);
  }
  const focus = new Map<string, string[]>();
  for (const [quarter, list] of groupBy(plans, (p) => p.quarter))
    for (const [k, ids] of await focusIdsOf(
      db,
      list.map((p) => ({ teamId: p.o.teamId, userId: p.o.menteeId, quarter })),
    ))
      focus.set(`${quarter}|${k}`, ids);
  const [items, checkins] = await Promise.all([
    agendaItemsIn(
      db,
      plans.map((p) => ({
        key: p.key,
        oneOnOneId: p.o.id,
        from: new Date(p.last.getTime() - AGENDA_LEAD_MS),
        to: p.due,
      })),
    ),
    sharedCheckinsIn(
      db,
      plans.map((p) => ({
        key: p.key,
        teamId: p.o.teamId,
        userId: p.o.menteeId,
        competencyIds: focus.get(`${p.quarter}|${memberKey(p.o.teamId, p.o.menteeId)}`) ?? [],
        from: p.last,
        to: p.due,
      })),
    ),
  ]);
  const out: (Agenda | null)[] = reqs.map(() => null);
  for (const p of plans) {
    const pr = progress.get(`${p.at.getTime()}|${memberKey(p.o.teamId, p.o.menteeId)}`)!;
    const topic = pr.topics.find((t) => t.competencyId);
    const ask = topic?.competencyId
      ? mentorAid(deps.rubrics, topic.competencyId, p.mentee.level, topic.promptId).ask
      : undefined;
    out[Number(p.key)] = {
      mentorId: p.o.mentorId,
      menteeId: p.o.menteeId,
      meeting: p.meeting,
      tz: p.o.tz,
      help: pr.openHelp,
      focusCheckins: checkins.get(p.key) ?? [],
      followUp: topic?.competencyId && ask ? { competencyId: topic.competencyId, question: ask } : null,
      items: items.get(p.key) ?? [],
    };
  }
  return out;
}

/** The next 1:1 of each pair this person is in (as mentee, or as mentor), with its agenda as it stands. */
export async function nextAgendas(deps: Deps, db: Db, teamId: string, userId: string): Promise<Agenda[]> {
  const now = deps.now();
  const reqs = (await activeOneOnOnes(db, { teamId, userId })).map((o) => ({ o, meeting: nextMeeting(now, o, o.tz) }));
  return (await agendasFor(deps, db, reqs, now)).filter((a): a is Agenda => a !== null);
}

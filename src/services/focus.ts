import { type Db } from '../db/create-db.ts';
import {
  agreeFocus,
  answerSuggestion,
  type Focus,
  focusForQuarter,
  getFocus,
  saveFocus,
  suggestFocus,
} from '../db/focus.ts';
import { getMember, isJoined } from '../db/members.ts';
import type { Deps } from '../deps.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import { checkFocus, quarterOf } from '../growth/focus.ts';
import type { RubricCompetency } from '../rubrics/schema.ts';
import { isMentorOf, mentorOf } from './mentorships.ts';

/** What the focus form offers a member, and what they chose this quarter so far. */
export type FocusForm =
  | { kind: 'form'; choices: RubricCompetency[]; initial: string[]; quarter: string }
  | { kind: 'not-joined' }
  | { kind: 'not-mentor' };

/** The member's own form, or (with `mentorId`) their mentor's suggestion form about them. */
export async function focusForm(
  deps: Deps,
  db: Db,
  teamId: string,
  userId: string,
  mentorId?: string,
): Promise<FocusForm> {
  const m = await getMember(db, teamId, userId);
  if (!isJoined(m)) return { kind: mentorId ? 'not-mentor' : 'not-joined' };
  if (mentorId && !(await isMentorOf(db, teamId, userId, mentorId))) return { kind: 'not-mentor' };
  const { quarter } = quarterOf(deps.now(), m.tz);
  const f = await focusForQuarter(db, teamId, userId, quarter);
  const initial = mentorId ? (f?.suggestedIds ?? f?.competencyIds ?? []) : (f?.competencyIds ?? []);
  return { kind: 'form', choices: checkinCompetencies(deps.rubrics, m.level), initial, quarter };
}

export type FocusChosen =
  | { kind: 'saved'; focus: Focus; mentorId: string | null }
  | { kind: 'invalid'; problem: string }
  | { kind: 'not-joined' };

/** A member chooses this quarter's focus (their quarter, their zone); their mentor is named to be told. */
export async function chooseFocus(
  deps: Deps,
  db: Db,
  c: { teamId: string; userId: string; competencyIds: readonly string[] },
): Promise<FocusChosen> {
  const m = await getMember(db, c.teamId, c.userId);
  if (!isJoined(m)) return { kind: 'not-joined' };
  const check = checkFocus(c.competencyIds, checkinCompetencies(deps.rubrics, m.level));
  if (!check.ok) return { kind: 'invalid', problem: check.problem };
  const now = deps.now();
  const focus = await saveFocus(
    db,
    { teamId: c.teamId, userId: c.userId, quarter: quarterOf(now, m.tz).quarter, competencyIds: check.ids },
    now,
  );
  const mentorId = (await mentorOf(db, c.teamId, c.userId)) ?? null;
  return { kind: 'saved', focus, mentorId };
}

export type MentorAnswer =
  | { kind: 'done'; focus: Focus }
  | { kind: 'unchanged' }
  | { kind: 'changed' }
  | { kind: 'not-mentor' }
  | { kind: 'invalid'; problem: string };

/**
 * The mentor agrees with a focus: only the member's current mentor; a second click changes
 * nothing. `focus` is the Agree button's value, `id:a,b,c`: the choice it was sent for. When the
 * member has chosen again since, that older button agrees to nothing (the newer message has its
 * own). A value of the id alone (a button sent before the choice was carried) is taken as is.
 */
export async function agreeWithFocus(
  deps: Deps,
  db: Db,
  a: { teamId: string; mentorId: string; focus: string },
): Promise<MentorAnswer> {
  const [focusId = '', sentFor] = a.focus.split(':');
  const f = await getFocus(db, focusId);
  if (!f || f.teamId !== a.teamId) return { kind: 'not-mentor' };
  if (!(await isMentorOf(db, f.teamId, f.userId, a.mentorId))) return { kind: 'not-mentor' };
  if (sentFor !== undefined && sentFor !== f.competencyIds.join(',')) return { kind: 'changed' };
  const agreed = await agreeFocus(db, f.id, a.mentorId, deps.now());
  return agreed ? { kind: 'done', focus: agreed } : { kind: 'unchanged' };
}

/** The mentor suggests a focus for their mentee's current quarter (their mentee's choices only). */
export async function suggestFocusFor(
  deps: Deps,
  db: Db,
  s: { teamId: string; mentorId: string; menteeId: string; competencyIds: readonly string[] },
): Promise<MentorAnswer> {
  const m = await getMember(db, s.teamId, s.menteeId);
  if (!isJoined(m)) return { kind: 'not-mentor' };
  if (!(await isMentorOf(db, s.teamId, s.menteeId, s.mentorId))) return { kind: 'not-mentor' };
  const check = checkFocus(s.competencyIds, checkinCompetencies(deps.rubrics, m.level));
  if (!check.ok) return { kind: 'invalid', problem: check.problem };
  const now = deps.now();
  const focus = await suggestFocus(
    db,
    {
      teamId: s.teamId,
      userId: s.menteeId,
      quarter: quarterOf(now, m.tz).quarter,
      mentorId: s.mentorId,
      suggestedIds: check.ids,
    },
    now,
  );
  return { kind: 'done', focus };
}

/**
 * The member takes their mentor's suggestion or keeps theirs: only their own, only once, and only
 * while the one who suggested it is still their mentor (a former mentor's suggestion has lapsed).
 */
export async function answerFocusSuggestion(
  deps: Deps,
  db: Db,
  a: { teamId: string; userId: string; focusId: string; accept: boolean },
): Promise<{ kind: 'done'; focus: Focus } | { kind: 'unchanged' } | { kind: 'lapsed' }> {
  const f = await getFocus(db, a.focusId);
  if (!f || f.teamId !== a.teamId) return { kind: 'unchanged' };
  if (f.userId === a.userId && f.status === 'suggested' && f.mentorId)
    if (!(await isMentorOf(db, f.teamId, f.userId, f.mentorId))) return { kind: 'lapsed' };
  const answered = await answerSuggestion(db, f.id, a.userId, a.accept, deps.now());
  return answered ? { kind: 'done', focus: answered } : { kind: 'unchanged' };
}

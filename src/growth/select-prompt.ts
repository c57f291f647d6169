/**
 * Which competency and prompt a member gets this week. Pure and deterministic: the result
 * depends only on the arguments (not on the order of the history arrays, nor on the clock).
 *
 * Rules
 * - History is only what happened BEFORE `week`: nudges of `week` itself or later are ignored,
 *   so recomputing the selection for a week that already has its nudge gives the same answer.
 * - Only nudges/check-ins of competencies that are in the member's current level rubric or in
 *   the shared rubric count; other levels (a member who moved up) and ids no longer in the
 *   rubrics are ignored.
 * - Shared or level: shared when the member has had SHARED_EVERY-1 level prompts in a row
 *   since their last shared one (a brand-new member starts with a level prompt).
 * - Competency: among the candidates (level or shared), the one touched least recently, where
 *   touched = the later of its last check-in and its last nudge, compared by ISO WEEK (a nudge's
 *   own week; a check-in's week is the ISO week of `at` in UTC — no timezone is known here).
 *   Never touched first; ties (touched in the same week): lowest latest self-rating (the rating
 *   of its most recent check-in; no check-in or no rating counts as lowest), then rubric file
 *   order.
 * - Prompt: the first prompt of that competency (rubric order) the member has not had yet;
 *   when all have been had, the least recently had one (ties: rubric order).
 * - Extra prompts (`extras` given; see `pickExtra`): a stretch toward the next level, a prompt
 *   against the level's trap, or (senior and staff who mentor) one about their mentoring take
 *   the week instead, each on its own cadence, counted in prompts received (pauses do not
 *   count), never two weeks in a row. They neither extend nor break the shared-every-fourth count.
 * - Focus (`focus` given: up to three competencies of the member's level, the shared rubric or the
 *   next level): about two regular weeks in three go to a focus competency, never more. A week is a
 *   focus week unless the last FOCUS_RUN regular prompts (extras skipped) were all on focus
 *   competencies; then it goes to the rest as above, with the focus left out, so nothing else
 *   starves. Among the focus, the least recently touched is chosen, ties as above.
 */
import type { Competency, Level, Prompt, RubricCompetency, Rubrics } from '../rubrics/schema.ts';
import { checkinCompetencies } from './competencies.ts';
import { type ExtraCadence, type ExtraKind, extraKindsOf, pickExtra } from './extra-prompts.ts';
import { utcWeekIndex, weekIndex } from './schedule.ts';

export interface PastNudge {
  week: string;
  competencyId: string;
  promptId: string;
}

export interface PastCheckin {
  competencyId: string;
  at: Date;
  rating: number | null;
}

export type PromptKind = 'level' | 'shared' | ExtraKind;

export interface Selection {
  competency: RubricCompetency;
  prompt: Prompt;
  shared: boolean;
  kind: PromptKind;
  /** What the DM calls an extra prompt ("Stretch toward senior"); null for a regular one. */
  label: string | null;
}

/** Every SHARED_EVERY-th regular prompt is from the shared rubric. */
export const SHARED_EVERY = 4;

/** At most this many focus weeks in a row: two in three. */
export const FOCUS_RUN = 2;

interface Nudge extends PastNudge {
  index: number;
}

interface Touch {
  /** weekIndex of the latest nudge or check-in; -Infinity when never touched. */
  touched: number;
  /** ms of the latest check-in; -Infinity when none. */
  checkinAt: number;
  /** Rating of the latest check-in; null when none or unrated. */
  rating: number | null;
}

/** null (no rating) sorts lowest. */
function ratingKey(rating: number | null): number {
  return rating === null ? Number.NEGATIVE_INFINITY : rating;
}

function lowerRating(a: number | null, b: number | null): number | null {
  return ratingKey(a) <= ratingKey(b) ? a : b;
}

function compare<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every nudge before `current`, most recent first, whatever its competency. */
function sortedPast(nudges: readonly PastNudge[], current: number): Nudge[] {
  return nudges
    .map((n) => ({ ...n, index: weekIndex(n.week) }))
    .filter((n) => n.index < current)
    .sort(
      (a, b) => compare(b.index, a.index) || compare(a.competencyId, b.competencyId) || compare(a.promptId, b.promptId),
    );
}

export function selectPrompt(input: {
  level: Level;
  week: string;
  rubrics: Rubrics;
  nudges: PastNudge[];
  checkins: PastCheckin[];
  extras?: ExtraCadence;
  /** This quarter's focus competencies (ids); others are ignored. */
  focus?: readonly string[];
}): Selection {
  const { level, week, rubrics } = input;
  const current = weekIndex(week);
  const levelFile = rubrics.levels[level];
  if (levelFile === undefined) throw new RangeError(`no rubric for level ${JSON.stringify(level)}`);
  const extraKinds = extraKindsOf(rubrics);
  if (input.extras) {
    const extra = pickExtra(rubrics, level, input.extras, sortedPast(input.nudges, current), extraKinds);
    if (extra)
      return {
        competency: extra.prompt.competency,
        prompt: { id: extra.prompt.id, text: extra.prompt.text },
        shared: false,
        kind: extra.kind,
        label: extra.label,
      };
  }
  const levelCompetencies = levelFile.competencies;
  const sharedCompetencies = rubrics.shared.competencies;

  const kindOf = new Map<string, 'level' | 'shared'>();
  for (const c of levelCompetencies) kindOf.set(c.id, 'level');
  for (const c of sharedCompetencies) if (!kindOf.has(c.id)) kindOf.set(c.id, 'shared');

  // Relevant past nudges, most recent first (ties broken by ids so input order never matters).
  const past: Nudge[] = input.nudges
    .filter((n) => kindOf.has(n.competencyId))
    .map((n) => ({ ...n, index: weekIndex(n.week) }))
    .filter((n) => n.index < current)
    .sort(
      (a, b) => compare(b.index, a.index) || compare(a.competencyId, b.competencyId) || compare(a.promptId, b.promptId),
    );

  let levelStreak = 0;
  for (const n of past) {
    if (extraKinds.has(n.promptId)) continue;
    if (kindOf.get(n.competencyId) === 'shared') break;
    levelStreak += 1;
  }
  const allPast = sortedPast(input.nudges, current).filter((n) => !extraKinds.has(n.promptId));
  // In rubric order, so the order the focus was chosen in never matters.
  const wanted = new Set(input.focus ?? []);
  const focusList = checkinCompetencies(rubrics, level).filter((c) => wanted.has(c.id));
  const focus = new Set(focusList.map((c) => c.id));
  if (focus.size) {
    let run = 0;
    for (const n of allPast) {
      if (!focus.has(n.competencyId)) break;
      run += 1;
    }
    if (run < FOCUS_RUN) {
      const chosen = leastTouched(focusList, allPast, input.checkins);
      const kind = kindOf.get(chosen.id) ?? 'level';
      return {
        competency: focusList.find((c) => c.id === chosen.id)!,
        prompt: choosePrompt(chosen, allPast),
        shared: kind === 'shared',
        kind,
        label: null,
      };
    }
  }
  const shared = sharedCompetencies.length > 0 && (levelCompetencies.length === 0 || levelStreak >= SHARED_EVERY - 1);
  const rest = (list: readonly Competency[]) => list.filter((c) => !focus.has(c.id));
  const candidates =
    [rest(shared ? sharedCompetencies : levelCompetencies), rest(shared ? levelCompetencies : sharedCompetencies)].find(
      (l) => l.length,
    ) ?? (shared ? sharedCompetencies : levelCompetencies);
  const chosen = leastTouched(candidates, past, input.checkins);
  const chosenShared = kindOf.get(chosen.id) === 'shared';

  return {
    competency: asRubricCompetency(rubrics, chosen, chosenShared ? 'shared' : level),
    prompt: choosePrompt(chosen, past),
    shared: chosenShared,
    kind: chosenShared ? 'shared' : 'level',
    label: null,
  };
}

/** The candidate touched least recently (never first); ties: lowest latest rating, then list order. */
function leastTouched(
  candidates: readonly Competency[],
  past: readonly Nudge[],
  checkins: readonly PastCheckin[],
): Competency {
  const touches = new Map<string, Touch>();
  for (const c of candidates) {
    touches.set(c.id, { touched: Number.NEGATIVE_INFINITY, checkinAt: Number.NEGATIVE_INFINITY, rating: null });
  }
  for (const n of past) {
    const t = touches.get(n.competencyId);
    if (t) t.touched = Math.max(t.touched, n.index);
  }
  for (const ch of checkins) {
    const t = touches.get(ch.competencyId);
    const at = ch.at instanceof Date ? ch.at.getTime() : Number.NaN;
    if (!t || Number.isNaN(at)) continue;
    t.touched = Math.max(t.touched, utcWeekIndex(ch.at));
    if (at > t.checkinAt) {
      t.checkinAt = at;
      t.rating = ch.rating;
    } else if (at === t.checkinAt) {
      t.rating = lowerRating(t.rating, ch.rating);
    }
  }

  const order = candidates.map((c, position) => ({ c, position, t: touches.get(c.id) as Touch }));
  order.sort(
    (a, b) =>
      compare(a.t.touched, b.t.touched) ||
      compare(ratingKey(a.t.rating), ratingKey(b.t.rating)) ||
      compare(a.position, b.position),
  );
  const first = order[0];
  if (first === undefined) throw new RangeError('no competencies to choose from');
  return first.c;
}

function choosePrompt(competency: Competency, past: readonly Nudge[]): Prompt {
  const lastHad = new Map<string, number>();
  for (const n of past) {
    if (n.competencyId !== competency.id) continue;
    lastHad.set(n.promptId, Math.max(lastHad.get(n.promptId) ?? Number.NEGATIVE_INFINITY, n.index));
  }
  let best: Prompt | undefined;
  let bestIndex = Number.POSITIVE_INFINITY;
  for (const p of competency.prompts) {
    const had = lastHad.get(p.id);
    if (had === undefined) return p;
    if (had < bestIndex) {
      best = p;
      bestIndex = had;
    }
  }
  if (best === undefined) throw new RangeError(`competency ${competency.id} has no prompts`);
  return best;
}

function asRubricCompetency(rubrics: Rubrics, c: Competency, level: Level | 'shared'): RubricCompetency {
  const known = rubrics.byId.get(c.id);
  return known !== undefined && known.level === level ? known : { ...c, level };
}

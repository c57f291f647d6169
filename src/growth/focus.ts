import { DateTime } from 'luxon';
import type { RubricCompetency } from '../rubrics/schema.ts';
import { DAY_MS } from './durations.ts';
import { workingDaysLater } from './working-days.ts';

/** A member chooses at most this many focus competencies a quarter. */
export const MAX_FOCUS = 3;

/** The quarter review comes at the recipient's 10:00 on the first working day of the next quarter. */
const REVIEW_MINUTE = 10 * 60;
/** A review not sent within two weeks of its due time is no longer worth sending. */
export const REVIEW_RELEVANT_MS = 14 * DAY_MS;

export interface Quarter {
  /** '2026-Q4' */
  quarter: string;
  /** Local midnight of its first day in the zone. */
  start: Date;
  /** Local midnight of the next quarter's first day. */
  end: Date;
}

function quarterStarting(dt: DateTime): Quarter {
  const start = dt.startOf('quarter');
  return {
    quarter: `${start.year}-Q${start.quarter}`,
    start: start.toJSDate(),
    end: start.plus({ months: 3 }).toJSDate(),
  };
}

/** The quarter of the local calendar date of `now` in `tz`. */
export function quarterOf(now: Date, tz: string): Quarter {
  const dt = DateTime.fromJSDate(now, { zone: tz });
  if (!dt.isValid) throw new RangeError(`cannot read ${now.toISOString()} in ${tz}`);
  return quarterStarting(dt);
}

/** A quarter by its label ('2026-Q4') in `tz`; null for anything else. */
export function quarterNamed(label: string, tz: string): Quarter | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!m) return null;
  const dt = DateTime.fromObject({ year: Number(m[1]), month: (Number(m[2]) - 1) * 3 + 1, day: 1 }, { zone: tz });
  return dt.isValid ? quarterStarting(dt) : null;
}

/** When someone in `tz` gets the review of `q`: their first working day after it, at 10:00. */
export function reviewDue(q: Quarter, tz: string): Date {
  return workingDaysLater(new Date(q.end.getTime() - 1), tz, 1, REVIEW_MINUTE);
}

export type FocusCheck = { ok: true; ids: string[] } | { ok: false; problem: string };

/**
 * A focus as chosen on the form: one to MAX_FOCUS competencies, each one the member may file a
 * check-in under (their level, the shared rubric, the next level). Kept in `allowed`'s order.
 */
export function checkFocus(chosen: readonly string[], allowed: readonly RubricCompetency[]): FocusCheck {
  const wanted = new Set(chosen);
  if (wanted.size === 0) return { ok: false, problem: 'Choose at least one competency.' };
  if (wanted.size > MAX_FOCUS) return { ok: false, problem: `Choose at most ${MAX_FOCUS} competencies.` };
  const ids = allowed.filter((c) => wanted.has(c.id)).map((c) => c.id);
  if (ids.length !== wanted.size)
    return { ok: false, problem: 'Choose from your level, the shared competencies and the next level.' };
  return { ok: true, ids };
}

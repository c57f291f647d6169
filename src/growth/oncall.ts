import { DateTime } from 'luxon';
import { DAY_MS } from './durations.ts';

/** A shift as the rules need it. */
export interface ShiftSpan {
  startsAt: Date;
  endsAt: Date;
}

/**
 * The shift that makes this local week an on-call week, and when its prompt is due:
 * - a shift starting during the week: at its start (in the member's own zone, that is the
 *   instant itself);
 * - a shift carried over from last week: at the member's own slot, if it is still running then.
 * A shift that ended before the slot belonged to last week's on-call prompt.
 */
export function oncallWeek<S extends ShiftSpan>(
  shifts: readonly S[],
  week: { start: Date; end: Date },
  slotAt: Date,
): { shift: S; at: Date } | null {
  const sorted = [...shifts].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (const s of sorted) {
    if (s.startsAt >= week.end || s.endsAt <= week.start) continue;
    if (s.startsAt >= week.start) return { shift: s, at: s.startsAt };
    if (s.endsAt > slotAt) return { shift: s, at: slotAt };
  }
  return null;
}

/** True when `at` falls inside one of the shifts: no reminder then. */
export const onCallAt = (shifts: readonly ShiftSpan[], at: Date) =>
  shifts.some((s) => s.startsAt <= at && at < s.endsAt);

/** The on-call prompt for this week: one not used before, else the one used longest ago. */
export function pickOncallPrompt<P extends { id: string }>(
  prompts: readonly P[],
  past: readonly { week: string; promptId: string }[],
): P | undefined {
  const lastUsed = new Map<string, string>();
  for (const n of past) if ((lastUsed.get(n.promptId) ?? '') < n.week) lastUsed.set(n.promptId, n.week);
  return [...prompts].sort((a, b) => (lastUsed.get(a.id) ?? '').localeCompare(lastUsed.get(b.id) ?? ''))[0];
}

const RETRO_FROM_HOUR = 9;
const RETRO_UNTIL_HOUR = 18;
/** How long after a shift's end its retro is still worth sending (a held one, after a pause). */
export const RETRO_RELEVANT_MS = 3 * DAY_MS;

/**
 * The retro comes within a day after the shift ends: at once when it ends in working hours
 * (09:00–18:00 in the member's zone), otherwise at their next 10:00.
 */
export function retroDue(endsAt: Date, tz: string): Date {
  const local = DateTime.fromJSDate(endsAt, { zone: tz });
  if (local.hour >= RETRO_FROM_HOUR && local.hour < RETRO_UNTIL_HOUR) return endsAt;
  const day = local.hour >= RETRO_UNTIL_HOUR ? local.plus({ days: 1 }) : local;
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: 10 }, { zone: tz }).toJSDate();
}

export interface RetroNumbers {
  pages: number;
  actionable: number;
  toilHours: number;
}

export type RetroCheck =
  | { ok: true; numbers: RetroNumbers }
  | { ok: false; errors: Partial<Record<keyof RetroNumbers, string>> };

const WHOLE = /^\s*\d{1,6}\s*$/;

/** The retro's numbers: whole numbers from 0, and no more actionable pages than pages. */
export function checkRetroNumbers(raw: {
  pages?: string | null;
  actionable?: string | null;
  toilHours?: string | null;
}): RetroCheck {
  const errors: Partial<Record<keyof RetroNumbers, string>> = {};
  const read = (key: keyof RetroNumbers, v: string | null | undefined) => {
    if (v === null || v === undefined || v.trim() === '') {
      errors[key] = 'A number please (0 if none).';
      return 0;
    }
    if (!WHOLE.test(v)) {
      errors[key] = 'A whole number, 0 or more.';
      return 0;
    }
    return Number(v);
  };
  const numbers = {
    pages: read('pages', raw.pages),
    actionable: read('actionable', raw.actionable),
    toilHours: read('toilHours', raw.toilHours),
  };
  if (!errors.pages && !errors.actionable && numbers.actionable > numbers.pages)
    errors.actionable = `At most the number of pages (${numbers.pages}).`;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, numbers };
}

export interface RetroPoint extends RetroNumbers {
  endsAt: Date;
}

export interface RetroTrend {
  /** Oldest first: pages per shift and the share of them that needed action (null: no pages). */
  shifts: { pages: number; share: number | null }[];
  pagesPerShift: number;
  shareActionable: number | null;
}

/** The trend over the last four shared retros: pages per shift, and the share that needed action. */
export function retroTrend(points: readonly RetroPoint[], last = 4): RetroTrend | null {
  const recent = [...points].sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime()).slice(-last);
  if (!recent.length) return null;
  const pages = recent.reduce((n, p) => n + p.pages, 0);
  const actionable = recent.reduce((n, p) => n + p.actionable, 0);
  return {
    shifts: recent.map((p) => ({ pages: p.pages, share: p.pages ? p.actionable / p.pages : null })),
    pagesPerShift: pages / recent.length,
    shareActionable: pages ? actionable / pages : null,
  };
}

/** A retro the mentor may see: one whose check-in is shared (a private one never reaches them). */
export interface RetroForDigest extends RetroPoint {
  alertToFix: string | null;
  handover: string | null;
}

export interface MenteeOncall {
  /** Shifts of the digest's week. */
  shifts: ShiftSpan[];
  /** The latest shared retro. */
  latest: RetroForDigest | null;
  /** Pages per shift and share actionable over the last four shared retros. */
  trend: RetroTrend | null;
}

/**
 * What a mentor sees of a mentee's on-call: who was on call this week, the latest shared
 * retro's numbers and words, and the trend over the last four retros they shared.
 */
export function menteeOncall(shifts: readonly ShiftSpan[], retros: readonly RetroForDigest[]): MenteeOncall | null {
  if (!shifts.length && !retros.length) return null;
  const recent = [...retros].sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime()).slice(0, 4);
  return {
    // A primary and a secondary, or daily segments, are one stretch on call.
    shifts: stretches(shifts.map((sh, i) => ({ id: String(i), startsAt: sh.startsAt, endsAt: sh.endsAt }))).map(
      (st) => ({ startsAt: st.startsAt, endsAt: st.endsAt }),
    ),
    latest: recent[0] ?? null,
    trend: retroTrend(recent),
  };
}

/**
 * The competency an on-call retro is filed under: that of the level's on-call prompts, else the
 * first competency the member practises that is about incidents or on-call.
 */
export function retroCompetency<C extends { id: string }>(
  oncallPromptCompetencies: readonly C[],
  practised: readonly C[],
): C | undefined {
  return oncallPromptCompetencies[0] ?? practised.find((c) => /incident|oncall/.test(c.id));
}

/** Shifts that overlap or follow each other without a gap: one stretch on call. */
export interface Stretch<S extends ShiftSpan> {
  startsAt: Date;
  endsAt: Date;
  /** In start order; the first names the stretch (its retro's claim and button). */
  shifts: S[];
}

/**
 * Overlapping or back-to-back shifts of one member (a primary from one feed and a secondary
 * from another, the same shift in two feeds, daily segments of a week) are one on-call stretch:
 * one retro after it, counted once in the trend.
 */
export function stretches<S extends ShiftSpan & { id: string }>(shifts: readonly S[]): Stretch<S>[] {
  const sorted = [...shifts].sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || Number(a.id) - Number(b.id) || a.id.localeCompare(b.id),
  );
  const out: Stretch<S>[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.startsAt.getTime() <= last.endsAt.getTime()) {
      last.shifts.push(s);
      if (s.endsAt > last.endsAt) last.endsAt = s.endsAt;
    } else out.push({ startsAt: s.startsAt, endsAt: s.endsAt, shifts: [s] });
  }
  return out;
}

/** The stretch a shift belongs to, among the member's shifts around it. */
export function stretchOf<S extends ShiftSpan & { id: string }>(
  shifts: readonly S[],
  id: string,
): Stretch<S> | undefined {
  return stretches(shifts).find((st) => st.shifts.some((s) => s.id === id));
}

/** How far around a shift its stretch is looked for: a longer chain of back-to-back shifts is cut there. */
export const STRETCH_LOOKAROUND_MS = 31 * DAY_MS;

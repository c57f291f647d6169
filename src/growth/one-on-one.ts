import { DAY_MS } from './durations.ts';
import type { HelpRequest } from './progress.ts';
import { localWeek, previousWeek, type Slot, slotInstant, weekIndex } from './schedule.ts';

/** A 1:1 as recorded: a weekly slot in the mentor's zone, weekly or every other week from `anchorWeek`. */
export interface OneOnOneSchedule extends Slot {
  everyWeeks: 1 | 2;
  /** The mentor's local ISO week it was set in: fortnightly meetings fall in weeks of its parity. */
  anchorWeek: string;
}

/** The agenda DM goes out this long before each 1:1. */
export const AGENDA_LEAD_MS = DAY_MS;
/** The mentee is asked for a takeaway this long after the 1:1 starts. */
export const TAKEAWAY_AFTER_MS = 60 * 60_000;
/** An agenda or takeaway question not sent within this long of its time is not sent at all. */
export const ONE_ON_ONE_RELEVANT_MS = 2 * DAY_MS;
/** What `/growth agenda` keeps of one item, at most. */
export const AGENDA_TEXT_MAX = 500;

function meets(s: OneOnOneSchedule, week: string): boolean {
  return s.everyWeeks === 1 || Math.abs(weekIndex(week) - weekIndex(s.anchorWeek)) % 2 === 0;
}

/** The first 1:1 strictly after `after`, in the mentor's zone `tz` (DST as schedule.ts places a slot). */
export function nextMeeting(after: Date, s: OneOnOneSchedule, tz: string): Date {
  const week = localWeek(after, tz);
  for (let i = -1; i <= 3; i++) {
    const w = previousWeek(week, -i);
    if (!meets(s, w)) continue;
    const at = slotInstant(w, s, tz);
    if (at > after) return at;
  }
  throw new RangeError('no meeting within three weeks');
}

/** The last 1:1 at or before `at`, in the mentor's zone `tz`. */
export function previousMeeting(at: Date, s: OneOnOneSchedule, tz: string): Date {
  const week = localWeek(at, tz);
  for (let i = -1; i <= 3; i++) {
    const w = previousWeek(week, i);
    if (!meets(s, w)) continue;
    const t = slotInstant(w, s, tz);
    if (t <= at) return t;
  }
  throw new RangeError('no meeting within three weeks');
}

/** What a 1:1 asks of a job at `now`: the agenda of the next meeting, the takeaway of the last. */
export function oneOnOneDue(
  now: Date,
  s: OneOnOneSchedule,
  tz: string,
): { agenda: Date | null; takeaway: Date | null; next: Date; last: Date } {
  const next = nextMeeting(now, s, tz);
  const last = previousMeeting(now, s, tz);
  const agendaAt = next.getTime() - AGENDA_LEAD_MS;
  const takeawayAt = last.getTime() + TAKEAWAY_AFTER_MS;
  return {
    next,
    last,
    agenda: agendaAt <= now.getTime() ? next : null,
    takeaway: takeawayAt <= now.getTime() && now.getTime() - takeawayAt < ONE_ON_ONE_RELEVANT_MS ? last : null,
  };
}

/** The instants after `after` at which a 1:1 gives a job work: the next agenda and the next takeaway. */
export function oneOnOneInstants(after: Date, s: OneOnOneSchedule, tz: string): Date[] {
  const next = nextMeeting(after, s, tz);
  const last = previousMeeting(after, s, tz);
  return [
    new Date(next.getTime() - AGENDA_LEAD_MS),
    new Date(last.getTime() + TAKEAWAY_AFTER_MS),
    new Date(next.getTime() + TAKEAWAY_AFTER_MS),
  ];
}

/** A meeting as a claim's key: its instant, to the minute ('2026-12-08T09:00Z'). */
export const meetingKey = (at: Date): string => `${at.toISOString().slice(0, 16)}Z`;

/** Something either person added to an agenda: typed text, or a shared check-in's own text. */
export interface AgendaItem {
  userId: string;
  text: string;
  competencyId: string | null;
  fromCheckin: boolean;
}

/** What one agenda says, the same for both: nothing of a private check-in ever reaches it. */
export interface Agenda {
  mentorId: string;
  menteeId: string;
  meeting: Date;
  tz: string;
  help: HelpRequest[];
  focusCheckins: { competencyId: string; text: string; rating: number | null; at: Date }[];
  followUp: { competencyId: string; question: string } | null;
  items: AgendaItem[];
}

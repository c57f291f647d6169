import { WEEK_MS } from './durations.ts';
import { laterInWeek, type Slot, type Weekday } from './schedule.ts';

/** When something is due in a week, and the last local day it may still be sent. */
export interface Cadence {
  slot: Slot;
  cutoff: Weekday;
}

/** A prompt may go out late (after downtime) until two days after its slot: Monday's until Wednesday 23:59. */
export function promptCadence(slot: Slot): Cadence {
  return { slot, cutoff: laterInWeek(slot.weekday, 2) ?? 7 };
}

/**
 * One reminder three days after the prompt, same local time (Monday 10:00 → Thursday 10:00),
 * sendable until the end of the next day. A prompt late in the week gets no reminder.
 */
export function reminderCadence(promptSlot: Slot): Cadence | null {
  const weekday = laterInWeek(promptSlot.weekday, 3);
  if (weekday === null) return null;
  return { slot: { weekday, minute: promptSlot.minute }, cutoff: laterInWeek(weekday, 1) ?? 7 };
}

/** After this many prompts in a row that were delivered and never answered or skipped, prompts pause. */
export const UNANSWERED_BEFORE_PAUSE = 3;

/** A week's prompt, as far as nagging goes: was it delivered, and did the member respond? */
export interface PastWeek {
  week: string;
  delivered: boolean;
  responded: boolean;
}

/**
 * True when the member's last `UNANSWERED_BEFORE_PAUSE` weeks before `week` each had a
 * delivered prompt with no answer and no skip. A week the bot failed to deliver, or paused,
 * breaks the run: only silence to prompts that arrived counts.
 */
export function shouldAutoPause(previousWeeks: string[], history: ReadonlyMap<string, PastWeek>): boolean {
  if (previousWeeks.length < UNANSWERED_BEFORE_PAUSE) return false;
  return previousWeeks.slice(0, UNANSWERED_BEFORE_PAUSE).every((w) => {
    const h = history.get(w);
    return h !== undefined && h.delivered && !h.responded;
  });
}

/**
 * Someone who has not joined and writes to the bot is told how to join at most once a week:
 * a few messages in a row get one answer (more would be spam), and someone coming back weeks
 * later is reminded rather than met with silence.
 */
export const JOIN_HINT_EVERY_MS = WEEK_MS;

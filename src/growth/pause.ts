import { DateTime } from 'luxon';
import { DAY_MS } from './durations.ts';

export const MAX_PAUSE_WEEKS = 12;

export type PauseUntil = { ok: true; until: Date } | { ok: false; problem: string };

/**
 * `/growth pause [weeks|date]`: nothing → one week; `1`–`12` → that many weeks; `2027-01-10`
 * → until that local date begins. A date must be in the future and within a year.
 */
export function pauseUntil(arg: string | null, now: Date, tz: string): PauseUntil {
  const text = (arg ?? '1').trim();
  if (/^\d{1,3}$/.test(text)) {
    const weeks = Number(text);
    if (weeks < 1 || weeks > MAX_PAUSE_WEEKS)
      return { ok: false, problem: `Pause for 1 to ${MAX_PAUSE_WEEKS} weeks, or until a date like 2027-01-10.` };
    return { ok: true, until: new Date(now.getTime() + weeks * 7 * DAY_MS) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const local = DateTime.fromISO(text, { zone: tz });
    if (!local.isValid) return { ok: false, problem: `\`${text}\` is not a date on the calendar.` };
    const until = local.startOf('day').toJSDate();
    if (until.getTime() <= now.getTime())
      return { ok: false, problem: 'That date has passed; choose a day after today.' };
    if (until.getTime() > now.getTime() + 366 * DAY_MS) return { ok: false, problem: 'Pause for at most a year.' };
    return { ok: true, until };
  }
  return {
    ok: false,
    problem: 'Pause for some weeks or until a date: `/growth pause 2` or `/growth pause 2027-01-10`.',
  };
}

/** 'Sunday 10 January 2027' in the member's own calendar. */
export function formatLocalDate(at: Date, tz: string): string {
  return DateTime.fromJSDate(at, { zone: tz }).toFormat('cccc d LLLL yyyy');
}

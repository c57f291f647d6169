import { DateTime } from 'luxon';

/** The reflection after an incident comes at the member's own 10:00. */
const REFLECTION_MINUTE = 10 * 60;
/** Working days between an incident (or the member's last word in it) and the reflection. */
const REFLECTION_WORKING_DAYS = 2;

/**
 * The instant `days` working days (Monday–Friday of the member's own calendar) after the
 * local date of `at`, at `minute` local time. Thursday → Monday, Friday or Saturday → Tuesday.
 * A wall-clock time in a spring-forward gap moves forward by the gap, as everywhere else.
 */
export function workingDaysLater(
  at: Date,
  tz: string,
  days = REFLECTION_WORKING_DAYS,
  minute = REFLECTION_MINUTE,
): Date {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`);
  let date = DateTime.fromJSDate(at, { zone: tz }).startOf('day');
  if (!date.isValid) throw new RangeError(`cannot read ${at.toISOString()} in ${tz}`);
  for (let left = days; left > 0; ) {
    date = date.plus({ days: 1 });
    if (date.weekday <= 5) left--;
  }
  const local = DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(minute / 60), minute: minute % 60 },
    { zone: tz },
  );
  return local.toJSDate();
}

/** 'Monday 7 December at 10:00' in the member's own calendar. */
export function formatLocalWhen(at: Date, tz: string): string {
  return DateTime.fromJSDate(at, { zone: tz }).toFormat("cccc d LLLL 'at' HH:mm");
}

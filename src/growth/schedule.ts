/**
 * Local time ↔ instants for weekly slots (prompt, reminder, digest).
 *
 * Pure: every function takes the time it needs as an argument and never reads the clock.
 * All timezone arithmetic goes through luxon and the IANA database; no offsets are written
 * by hand.
 *
 * Conventions
 * - A week key is an ISO week, 'YYYY-Www' (e.g. '2026-W49', '2026-W53').
 * - "This week" for a member is the ISO week of their LOCAL calendar date.
 * - A local time that does not exist (spring-forward gap) is shifted FORWARD BY THE LENGTH OF
 *   THE GAP: 02:30 on a day when 02:00 jumps to 03:00 becomes 03:30 (same as Temporal's
 *   'compatible' disambiguation and RFC 5545). The result is always after the gap.
 * - A local time that happens twice (fall-back overlap) resolves to the EARLIER instant.
 */
import { DateTime, IANAZone } from 'luxon';
import { WEEK_MS } from './durations.ts';

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A weekly slot: ISO weekday (1 = Monday … 7 = Sunday) and minute of the local day (0..1439). */
export interface Slot {
  weekday: Weekday;
  minute: number;
}

export const DEFAULT_SLOTS: { prompt: Slot; reminder: Slot; digest: Slot } = {
  prompt: { weekday: 1, minute: 10 * 60 },
  reminder: { weekday: 4, minute: 10 * 60 },
  digest: { weekday: 5, minute: 15 * 60 },
};

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Monday 1969-12-29, the first day of ISO week 1970-W01: weekIndex('1970-W01') === 0. */
const WEEK_EPOCH_MS = Date.UTC(1969, 11, 29);

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/**
 * Zones already found valid. Checking a zone builds an Intl.DateTimeFormat (~150 µs and
 * ~28 KB each); a fan-out checks the same few zones tens of thousands of times.
 */
const validZones = new Set<string>();

/** True when `tz` is an IANA time zone name the runtime knows (e.g. 'Europe/Paris', 'UTC'). */
export function isValidTimeZone(tz: string): boolean {
  if (validZones.has(tz)) return true;
  // Names only ('Europe/Paris', 'UTC'): newer Intl also takes offsets like '+05:30', which
  // Slack never sends and Node 20 refuses; accepting them on one Node and not another would
  // make the same data behave differently after an upgrade.
  const ok = typeof tz === 'string' && /^[A-Za-z]/.test(tz) && IANAZone.isValidZone(tz);
  if (ok) validZones.add(tz);
  return ok;
}

function assertZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new RangeError(`unknown time zone: ${JSON.stringify(tz)}`);
}

function assertInstant(now: Date): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError('invalid Date');
}

function assertWeekday(weekday: number): asserts weekday is Weekday {
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
    throw new RangeError(`weekday must be an integer 1..7, got ${weekday}`);
  }
}

function assertSlot(slot: Slot): void {
  assertWeekday(slot.weekday);
  if (!Number.isInteger(slot.minute) || slot.minute < 0 || slot.minute > 1439) {
    throw new RangeError(`slot minute must be an integer 0..1439, got ${slot.minute}`);
  }
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function weekKey(weekYear: number, weekNumber: number): string {
  return `${String(weekYear).padStart(4, '0')}-W${pad2(weekNumber)}`;
}

/** The Monday of an ISO week as a UTC calendar date (used for date arithmetic only). */
function weekMonday(week: string): DateTime {
  const m = WEEK_RE.exec(week);
  if (m) {
    const monday = DateTime.fromObject(
      { weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 },
      { zone: 'utc' },
    );
    if (monday.isValid) return monday;
  }
  throw new RangeError(`invalid ISO week: ${JSON.stringify(week)} (expected e.g. '2026-W09')`);
}

/** ISO week key of a calendar date held in a DateTime (any zone). */
function weekOf(dt: DateTime): string {
  return weekKey(dt.weekYear, dt.weekNumber);
}

/**
 * The instant of a local wall-clock time on a calendar date in `tz`.
 * Gap → shifted forward by the gap (luxon's own rule for non-existent times);
 * overlap → the earlier of the two instants.
 */
function localInstant(year: number, month: number, day: number, minuteOfDay: number, tz: string): Date {
  const dt = DateTime.fromObject(
    { year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 },
    { zone: tz },
  );
  if (!dt.isValid) throw new RangeError(`cannot place local time in ${tz}: ${dt.invalidExplanation ?? ''}`);
  let ms = dt.toMillis();
  for (const candidate of dt.getPossibleOffsets()) ms = Math.min(ms, candidate.toMillis());
  return new Date(ms);
}

/** ISO week key ('2026-W49') of the local calendar date of `now` in `tz`. */
export function localWeek(now: Date, tz: string): string {
  assertInstant(now);
  assertZone(tz);
  return weekOf(DateTime.fromJSDate(now, { zone: tz }));
}

/**
 * The instant of `slot` (weekday + local time) in local ISO week `week` in `tz`.
 * A time inside a spring-forward gap moves forward by the length of the gap (02:30 → 03:30
 * when 02:00 jumps to 03:00); an ambiguous fall-back time gives the earlier instant.
 */
export function slotInstant(week: string, slot: Slot, tz: string): Date {
  assertSlot(slot);
  assertZone(tz);
  // Zone arithmetic is the costly part of each tick's due-ness (next-due.ts asks for every zone's
  // slots each tick), and the answer never changes: remembered, up to a bound.
  const key = `${week} ${slot.weekday} ${slot.minute} ${tz}`;
  let at = slotInstants.get(key);
  if (at === undefined) {
    const date = weekMonday(week).plus({ days: slot.weekday - 1 });
    at = localInstant(date.year, date.month, date.day, slot.minute, tz).getTime();
    if (slotInstants.size >= 10_000) slotInstants.clear();
    slotInstants.set(key, at);
  }
  return new Date(at);
}
const slotInstants = new Map<string, number>();

/**
 * The last instant of local day `weekday` of `week` in `tz` (normally 23:59:59.999 local):
 * precisely, one millisecond before the next local day starts. Used as a cut-off.
 */
export function endOfLocalDay(week: string, weekday: Weekday, tz: string): Date {
  assertWeekday(weekday);
  assertZone(tz);
  const next = weekMonday(week).plus({ days: weekday });
  // Start of the next local day: local midnight, or the first instant after a gap at midnight.
  const startOfNext = localInstant(next.year, next.month, next.day, 0, tz);
  return new Date(startOfNext.getTime() - 1);
}

export type Due =
  | { state: 'not-yet' }
  | { state: 'due'; week: string; slotAt: Date }
  | { state: 'too-late'; week: string; slotAt: Date; cutoffAt: Date };

/**
 * Where `now` stands relative to `slot` in the member's current local week:
 * 'not-yet' before the slot, 'due' from the slot (inclusive) to the end of local
 * `cutoffWeekday` (inclusive), 'too-late' after. A cut-off weekday before the slot's weekday
 * is treated as the slot's own day.
 */
export function dueThisWeek(now: Date, tz: string, slot: Slot, cutoffWeekday: Weekday): Due {
  assertWeekday(cutoffWeekday);
  const week = localWeek(now, tz);
  const slotAt = slotInstant(week, slot, tz);
  if (now.getTime() < slotAt.getTime()) return { state: 'not-yet' };
  const cutoffDay = cutoffWeekday > slot.weekday ? cutoffWeekday : slot.weekday;
  const cutoffAt = endOfLocalDay(week, cutoffDay, tz);
  if (now.getTime() <= cutoffAt.getTime()) return { state: 'due', week, slotAt };
  return { state: 'too-late', week, slotAt, cutoffAt };
}

const WEEKDAY_WORDS: ReadonlyMap<string, Weekday> = new Map<string, Weekday>([
  ['mon', 1],
  ['monday', 1],
  ['tue', 2],
  ['tues', 2],
  ['tuesday', 2],
  ['wed', 3],
  ['weds', 3],
  ['wednesday', 3],
  ['thu', 4],
  ['thur', 4],
  ['thurs', 4],
  ['thursday', 4],
  ['fri', 5],
  ['friday', 5],
  ['sat', 6],
  ['saturday', 6],
  ['sun', 7],
  ['sunday', 7],
]);

/**
 * 'mon', 'Monday', 'MON', 'tue', 'tues', 'thu', 'thurs', 'thursday', … (case-insensitive,
 * surrounding spaces and one trailing '.' ignored; a plural full name like 'Mondays' is
 * accepted) → ISO weekday; anything else → null.
 */
export function parseWeekday(text: string): Weekday | null {
  let word = text.trim().toLowerCase();
  if (word.endsWith('.')) word = word.slice(0, -1);
  const direct = WEEKDAY_WORDS.get(word);
  if (direct !== undefined) return direct;
  // 'mondays' → 'monday' (full names only: 'suns' stays null).
  if (word.endsWith('days')) return WEEKDAY_WORDS.get(word.slice(0, -1)) ?? null;
  return null;
}

/** A weekday number as a form sends it ('1' … '7'); anything else → null. */
export function parseWeekdayNumber(v: unknown): Weekday | null {
  const n = typeof v === 'string' && /^[1-7]$/.test(v) ? Number(v) : NaN;
  return isWeekday(n) ? n : null;
}

function isWeekday(n: number): n is Weekday {
  return Number.isInteger(n) && n >= 1 && n <= 7;
}

/** The weekday `days` after this one in the same ISO week; null when that is past Sunday. */
export function laterInWeek(weekday: Weekday, days: number): Weekday | null {
  const n = weekday + days;
  return isWeekday(n) ? n : null;
}

/** 'H:MM' or 'HH:MM' on a 24-hour clock → minute of day; anything else → null. */
export function parseTime(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return null;
  return hour * 60 + minute;
}

/** 'Monday 10:00', 'Friday 09:05'. */
export function formatSlot(slot: Slot): string {
  assertSlot(slot);
  return `${WEEKDAY_NAMES[slot.weekday - 1]} ${pad2(Math.floor(slot.minute / 60))}:${pad2(slot.minute % 60)}`;
}

/** weekIndex's answers by week, up to 10,000 weeks. */
const weekIndexes = new Map<string, number>();

/**
 * Weeks since ISO week 1970-W01 (which is 0): consecutive ISO weeks have consecutive indexes,
 * across 53-week years too. Throws a RangeError for a malformed or non-existent week.
 */
export function weekIndex(week: string): number {
  let i = weekIndexes.get(week);
  if (i === undefined) {
    i = Math.round((weekMonday(week).toMillis() - WEEK_EPOCH_MS) / WEEK_MS);
    if (weekIndexes.size < 10_000) weekIndexes.set(week, i);
  }
  return i;
}

/** weekIndex of the UTC ISO week an instant falls in, by arithmetic (no time-zone work). */
export function utcWeekIndex(at: Date): number {
  return Math.floor((at.getTime() - WEEK_EPOCH_MS) / WEEK_MS);
}

/** previousWeek's answers by week and `n`, up to 10,000 of them. */
const shiftedWeeks = new Map<string, string>();

/** The ISO week `n` weeks before `week` (default 1; a negative `n` goes forward). */
export function previousWeek(week: string, n = 1): string {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  const key = `${week}|${n}`;
  let w = shiftedWeeks.get(key);
  if (w === undefined) {
    w = weekOf(weekMonday(week).minus({ weeks: n }));
    if (shiftedWeeks.size < 10_000) shiftedWeeks.set(key, w);
  }
  return w;
}

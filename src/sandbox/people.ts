// The demo workspace: who is in it, and the acting person's next prompt, reminder and digest
// instants (the clock's one-click jumps).
import { DateTime } from 'luxon';
import type { Level } from '../rubrics/schema.ts';

export const TEAM_ID = 'T0TEST';
export const BOT_USER_ID = 'UBOT';

export interface DemoPerson {
  id: string;
  name: string;
  tz: string;
  level: Level | null;
  mentor?: string;
  admin?: boolean;
}

/** Six members across the four levels and five zones, a mentor of three, an admin, and a visitor who has not joined. */
export const PEOPLE: DemoPerson[] = [
  { id: 'U0JONAS', name: 'Jonas Weber', tz: 'Europe/Berlin', level: 'junior', mentor: 'U0MARTA' },
  { id: 'U0PRIYA', name: 'Priya Raman', tz: 'Asia/Kolkata', level: 'junior', mentor: 'U0MARTA' },
  { id: 'U0DIEGO', name: 'Diego Alvarez', tz: 'America/New_York', level: 'mid', mentor: 'U0MARTA' },
  { id: 'U0MARTA', name: 'Marta Kowalski', tz: 'Europe/London', level: 'senior', mentor: 'U0KWAME' },
  { id: 'U0LENA', name: 'Lena Fischer', tz: 'Europe/Berlin', level: 'mid', mentor: 'U0KWAME' },
  { id: 'U0KWAME', name: 'Kwame Mensah', tz: 'America/Los_Angeles', level: 'staff', admin: true },
  { id: 'U0SAM', name: 'Sam Visitor', tz: 'America/Chicago', level: null },
];
export const DEFAULT_ACTING = 'U0JONAS';

export type Jump = 'monday' | 'thursday' | 'friday';
const JUMPS: Record<Jump, { weekday: number; hour: number }> = {
  monday: { weekday: 1, hour: 10 },
  thursday: { weekday: 4, hour: 10 },
  friday: { weekday: 5, hour: 15 },
};

/** The next instant after `now` that is the jump's weekday and hour in `tz`. */
export function nextJump(now: Date, tz: string, jump: Jump): Date {
  const { weekday, hour } = JUMPS[jump];
  const local = DateTime.fromJSDate(now, { zone: tz });
  let at = local.set({ hour, minute: 0, second: 0, millisecond: 0 }).plus({ days: (weekday - local.weekday + 7) % 7 });
  if (at <= local) at = at.plus({ weeks: 1 });
  return at.toJSDate();
}

export function jumps(now: Date, tz: string): Record<Jump, string> {
  return {
    monday: nextJump(now, tz, 'monday').toISOString(),
    thursday: nextJump(now, tz, 'thursday').toISOString(),
    friday: nextJump(now, tz, 'friday').toISOString(),
  };
}

/** Where the clock starts: Monday 00:00 UTC of this week (before any zone's Monday 10:00 but Kolkata's is 04:30). */
export function startOfDemo(real: Date): Date {
  return DateTime.fromJSDate(real, { zone: 'UTC' }).startOf('week').toJSDate();
}

import type { Db } from '../db/create-db.ts';
import { claimKey, existingClaims } from '../db/deliveries.ts';
import { getMember, isJoined, setSchedule } from '../db/members.ts';
import type { Deps } from '../deps.ts';
import { localWeek, type Weekday } from '../growth/schedule.ts';

export type ScheduleSet =
  | { kind: 'not-joined' }
  /** `startsNextWeek`: this local week's prompt was already claimed, so the new time counts from next week. */
  | { kind: 'set'; tz: string; startsNextWeek: boolean };

/**
 * A member moves their weekly prompt (`/growth schedule`, Home's schedule form): joined members
 * only; the day and minute are their local time.
 */
export async function setPromptSchedule(
  deps: Deps,
  db: Db,
  s: { teamId: string; userId: string; weekday: Weekday; minute: number },
): Promise<ScheduleSet> {
  const m = await getMember(db, s.teamId, s.userId);
  if (!isJoined(m)) return { kind: 'not-joined' };
  const now = deps.now();
  await setSchedule(db, s.teamId, s.userId, s.weekday, s.minute, now);
  const week = localWeek(now, m.tz);
  const startsNextWeek = (await existingClaims(db, 'prompt', [week])).has(claimKey(s.teamId, s.userId, week));
  return { kind: 'set', tz: m.tz, startsNextWeek };
}

import { DAY_MS } from './durations.ts';

/** The most a reply between mentor and mentee may hold (a DM section shows 3000 with the sender's name). */
export const REPLY_MAX_CHARS = 2000;

/** The most the line after "did it help?" may hold. */
export const HELPED_NOTE_MAX_CHARS = 500;

/** A help request open this many days moves to the top of the mentor's next digest. */
export const HELP_STALE_DAYS = 7;

/** Whole days a help request has been open. */
export function daysOpen(askedAt: Date, now: Date): number {
  return Math.floor((now.getTime() - askedAt.getTime()) / DAY_MS);
}

export function isStale(askedAt: Date, now: Date): boolean {
  return daysOpen(askedAt, now) >= HELP_STALE_DAYS;
}

/** Help requests in the order a mentor should see them: those open a week or more first (oldest first), then the newest. */
export function helpOrder<T extends { at: Date }>(requests: readonly T[], now: Date): T[] {
  const stale = requests.filter((r) => isStale(r.at, now)).sort((a, b) => a.at.getTime() - b.at.getTime());
  const fresh = requests.filter((r) => !isStale(r.at, now)).sort((a, b) => b.at.getTime() - a.at.getTime());
  return [...stale, ...fresh];
}

/** Who may do what with a help request: its mentee and their current mentor, nobody else. */
export function mayResolve(userId: string, menteeId: string, currentMentorId: string | null): boolean {
  return userId === menteeId || (currentMentorId !== null && userId === currentMentorId);
}

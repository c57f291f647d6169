import type { ScheduledMember } from '../db/members-due.ts';
import { type Shift, shiftsOverlapping } from '../db/shifts.ts';
import type { Deps } from '../deps.ts';
import { DAY_MS } from '../growth/durations.ts';
import { groupBy } from '../growth/group-by.ts';
import { memberKey } from '../growth/member-key.ts';
import { onCallAt, oncallWeek } from '../growth/oncall.ts';
import { endOfLocalDay, localWeek, type Slot, slotInstant } from '../growth/schedule.ts';
import { oncallPrompts } from '../rubrics/extras.ts';

const keyOf = (r: { teamId: string; userId: string }) => memberKey(r.teamId, r.userId);

/** Everyone's shifts around `now` (one query), by `team|user`. */
export async function shiftsAround(deps: Deps, now: Date, days = 8): Promise<Map<string, Shift[]>> {
  const shifts = await shiftsOverlapping(deps.db, {
    from: new Date(now.getTime() - days * DAY_MS),
    to: new Date(now.getTime() + days * DAY_MS),
  });
  return groupBy(shifts, keyOf);
}

export interface OncallWeek {
  week: string;
  /** When this week's on-call prompt is due. */
  at: Date;
  shift: Shift;
}

/**
 * Members on call in their current local week (and whose level has on-call prompts): their
 * week's prompt is the on-call one, due at the start of the shift (see growth/oncall.ts).
 */
export function oncallWeeks(
  deps: Deps,
  members: readonly ScheduledMember[],
  shifts: Map<string, Shift[]>,
  slotOf: (m: ScheduledMember) => Slot,
  now: Date,
): Map<string, OncallWeek> {
  const out = new Map<string, OncallWeek>();
  for (const m of members) {
    const mine = shifts.get(keyOf(m));
    if (!mine?.length || !oncallPrompts(deps.rubrics, m.level).length) continue;
    const week = localWeek(now, m.tz);
    const start = slotInstant(week, { weekday: 1, minute: 0 }, m.tz);
    const end = new Date(endOfLocalDay(week, 7, m.tz).getTime() + 1);
    const on = oncallWeek(mine, { start, end }, slotInstant(week, slotOf(m), m.tz));
    if (on) out.set(keyOf(m), { week, at: on.at, shift: on.shift });
  }
  return out;
}

/** Whether the member is on call at `now` (no reminder nags them then). */
export const onCallNow = (shifts: Map<string, Shift[]>, m: { teamId: string; userId: string }, now: Date) =>
  onCallAt(shifts.get(keyOf(m)) ?? [], now);

/** On-call prompt ids, to tell an on-call week's prompt (it goes out until Sunday night) from a regular one. */
export const isOncallPrompt = (deps: Deps, level: string | null, promptId: string | null) =>
  Boolean(
    level && promptId && oncallPrompts(deps.rubrics, level as ScheduledMember['level']).some((p) => p.id === promptId),
  );

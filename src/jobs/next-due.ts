import { focusToReview } from '../db/focus.ts';
import { pendingFollowUps, pendingReflections } from '../db/incidents.ts';
import { dueFacts } from '../db/next-due.ts';
import { activeOneOnOnes } from '../db/one-on-ones.ts';
import type { Deps } from '../deps.ts';
import { reminderCadence } from '../growth/cadence.ts';
import { WEEK_MS } from '../growth/durations.ts';
import { followUpDue, reflectionDue, STILL_RELEVANT_MS } from '../growth/incidents.ts';
import { RETRO_RELEVANT_MS, retroDue } from '../growth/oncall.ts';
import { oneOnOneInstants } from '../growth/one-on-one.ts';
import { DEFAULT_SLOTS, localWeek, type Slot, slotInstant } from '../growth/schedule.ts';
import { reviewQuarters, reviewsOf } from './focus-reviews.ts';
import type { JobName } from './index.ts';

/** The start of each local week: an on-call week's prompt can fall due then. */
const WEEK_START: Slot = { weekday: 1, minute: 0 };

/** Which jobs a reason for a tick is for; `all` for the stored instants (pauses, retries, claims, stale feeds and zones). */
export type DueFor = JobName | 'all';

/**
 * The first instant after `after` (the last tick) from which some job has work: a prompt,
 * reminder or digest slot passing in some zone, a local week starting, a shift starting, a
 * retro, reflection or follow-up falling due or going stale, a pause ending, a retry or lease
 * running out, a feed or a zone going stale. A claim waiting to be sent is due at once
 * (`after` itself). Ticks before the answer would find nothing to do, so a jump may skip them.
 */
export async function nextDue(deps: Deps, after: Date): Promise<Date | null> {
  let best: Date | null = null;
  for (const at of (await dueByJob(deps, after)).values()) if (!best || at < best) best = at;
  return best;
}

/**
 * `nextDue` for each job: the first instant after `after` from which that job has work (`all`:
 * every job, for what is stored as "from then on" and may concern any of them). A tick before a
 * job's instant would find nothing for that job to do, so a jump's tick may leave it out.
 */
export async function dueByJob(deps: Deps, after: Date): Promise<Map<DueFor, Date>> {
  const facts = await dueFacts(deps.db, after, {
    feedIntervalMs: deps.config.oncallFeeds.intervalMinutes * 60_000,
    zoneStaleMs: WEEK_MS,
    shiftsEndingAfter: new Date(after.getTime() - 2 * RETRO_RELEVANT_MS),
  });
  const due = new Map<DueFor, Date>();
  const consider = (at: Date, jobs: readonly DueFor[], inclusive = false): void => {
    if (inclusive ? at < after : at <= after) return;
    for (const job of jobs) {
      const was = due.get(job);
      if (!was || at < was) due.set(job, at);
    }
  };
  for (const at of facts.instants) consider(at < after ? after : at, ['all'], true);

  // On-call weeks can start a prompt at the start of a local week: only zones with shifts ahead.
  const oncallZones = new Set(facts.shifts.map((x) => x.tz));
  for (const { tz, promptWeekday, promptMinute, mentor } of facts.slots) {
    const slots: [Slot, JobName][] = [];
    if (oncallZones.has(tz)) slots.push([WEEK_START, 'weekly-prompts']);
    if (mentor) slots.push([DEFAULT_SLOTS.digest, 'digests']);
    if (promptWeekday && promptMinute !== null) {
      const prompt = { weekday: promptWeekday, minute: promptMinute };
      slots.push([prompt, 'weekly-prompts']);
      const reminder = reminderCadence(prompt);
      if (reminder) slots.push([reminder.slot, 'reminders']);
    }
    // Every slot comes back within a week: this local week's and the next one's hold the first.
    for (const week of [localWeek(after, tz), localWeek(new Date(after.getTime() + WEEK_MS), tz)])
      for (const [slot, job] of slots) consider(slotInstant(week, slot, tz), [job]);
  }

  for (const s of facts.shifts) {
    // A shift starting: its on-call prompt (weekly-prompts), and the reminder it spares.
    consider(s.startsAt, ['weekly-prompts', 'reminders']);
    consider(retroDue(s.endsAt, s.tz), ['retros']);
    consider(new Date(s.endsAt.getTime() + RETRO_RELEVANT_MS + 1), ['retros']);
  }

  const staleAfter = (at: Date) => new Date(at.getTime() + STILL_RELEVANT_MS + 1);
  for (const p of await pendingReflections(deps.db)) {
    const due = reflectionDue(p, p.tz);
    consider(due, ['incidents']);
    consider(staleAfter(due), ['incidents']);
  }
  for (const r of reviewsOf(await focusToReview(deps.db, reviewQuarters(after)))) consider(r.due, ['focus-reviews']);
  for (const o of await activeOneOnOnes(deps.db))
    for (const at of oneOnOneInstants(after, o, o.tz)) consider(at, ['one-on-ones']);
  for (const p of await pendingFollowUps(deps.db)) {
    const due = followUpDue(p.reflectedAt!);
    consider(due, ['incidents']);
    consider(staleAfter(due), ['incidents']);
  }
  return due;
}

import { sql } from 'kysely';
import type { Weekday } from '../growth/schedule.ts';
import { type Camel, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';

interface SlotRow {
  tz: string;
  prompt_weekday: Weekday | null;
  prompt_minute: number | null;
  mentor: boolean;
}

interface ShiftRow {
  starts_at: Date;
  ends_at: Date;
  tz: string;
}

/** What the jobs' due-ness turns on, read in one round trip per table (see jobs/next-due.ts). */
export interface DueFacts {
  /** Each zone of someone not left, with the prompt slots used there and whether a mentor lives there. */
  slots: Camel<SlotRow>[];
  /** Instants stored as "from then on": pauses ending, retries and leases, feeds and zones going stale (a zone never read: now). */
  instants: Date[];
  /** Shifts ending after `o.shiftsEndingAfter`, with their member's zone (on-call prompts, retros). */
  shifts: Camel<ShiftRow>[];
}

export async function dueFacts(
  db: Db,
  now: Date,
  o: { feedIntervalMs: number; zoneStaleMs: number; shiftsEndingAfter: Date },
): Promise<DueFacts> {
  // Prompt slots of members on the schedule; zones of mentors (their digest).
  const slots = await sql<SlotRow>`
    select distinct m.tz,
      case when m.level is not null and m.joined_at is not null then m.prompt_weekday end as prompt_weekday,
      case when m.level is not null and m.joined_at is not null then m.prompt_minute end as prompt_minute,
      exists (select 1 from mentorships x where x.team_id = m.team_id and x.mentor_id = m.user_id and x.ended_at is null) as mentor
    from members m where m.status <> 'left'`.execute(db);
  const instants = await sql<{ at: Date | null }>`
    select paused_until as at from members where status = 'paused' and paused_until is not null
    union all select min(coalesce(tz_checked_at + make_interval(secs => ${o.zoneStaleMs / 1000}), ${now}::timestamptz))
      from members where status <> 'left'
    union all select next_attempt_at from deliveries where status in ('failed', 'sending') and next_attempt_at is not null
    union all select ${now}::timestamptz from deliveries where status = 'claimed' having count(*) > 0
    union all select coalesce(min(last_fetched_at) + make_interval(secs => ${o.feedIntervalMs / 1000}), ${now}::timestamptz)
      from oncall_feeds having count(*) > 0`.execute(db);
  const shifts = await sql<ShiftRow>`
    select s.starts_at, s.ends_at, m.tz from oncall_shifts s
    join members m on m.team_id = s.team_id and m.user_id = s.user_id
    where s.ends_at > ${o.shiftsEndingAfter} and m.status <> 'left'`.execute(db);
  return {
    slots: camelRows(slots.rows),
    instants: instants.rows.flatMap((r) => (r.at ? [new Date(r.at)] : [])),
    shifts: camelRows(shifts.rows),
  };
}

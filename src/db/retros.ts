import { type Selectable, sql } from 'kysely';
import { type Camel, camelMaybe, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import { ONCE } from './incidents.ts';
import { visibleTo } from './privacy.ts';
import { memberRows } from './rows.ts';
import type { MemberStatus, OncallRetro, OncallRetrosTable } from './schema.ts';

/** A retro is claimed once per member and shift: this is its delivery's `ref`. */
export const shiftRef = (id: string) => `shift:${id}`;

interface EndedShiftRow {
  id: string;
  team_id: string;
  user_id: string;
  starts_at: Date;
  ends_at: Date;
  tz: string;
  member_status: MemberStatus;
}

export type EndedShift = Camel<EndedShiftRow>;

/** Members' shifts that ended in (from, to] and whose retro has not been claimed yet. */
export async function shiftsAwaitingRetro(db: Db, from: Date, to: Date): Promise<EndedShift[]> {
  const r = await sql<EndedShiftRow>`
    select s.id, s.team_id, s.user_id, s.starts_at, s.ends_at, m.tz, m.status as member_status
    from oncall_shifts s
    join members m on m.team_id = s.team_id and m.user_id = s.user_id
    where s.ends_at > ${from} and s.ends_at <= ${to}
      and m.status <> 'left' and m.joined_at is not null and m.level is not null
      and not exists (
        select 1 from deliveries d
        where d.team_id = s.team_id and d.user_id = s.user_id and d.kind = 'retro' and d.week = ${ONCE} and d.ref = 'shift:' || s.id
      )
    order by s.ends_at, s.id`.execute(db);
  return camelRows(r.rows);
}

/** The member's own shift (a button names it). */
export async function ownShift(db: Db, id: string, userId: string) {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return camelMaybe(
    await db
      .selectFrom('oncall_shifts')
      .select(['id', 'team_id', 'user_id', 'starts_at', 'ends_at'])
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  );
}

export type NewRetro = Omit<Selectable<OncallRetrosTable>, 'id' | 'created_at'> & { created_at: Date };

/** Stores a retro once per member and shift; `undefined` when one was stored before. */
export async function saveRetro(db: Db, r: NewRetro): Promise<OncallRetro | undefined> {
  return camelMaybe(
    await db
      .insertInto('oncall_retros')
      .values(r)
      .onConflict((oc) => oc.columns(['team_id', 'user_id', 'shift_starts_at', 'shift_ends_at']).doNothing())
      .returningAll()
      .executeTakeFirst(),
  );
}

interface RecentRetroRow {
  team_id: string;
  user_id: string;
  shift_starts_at: Date;
  /** The end of the shift, under the name the on-call rules read (`growth/oncall.ts` RetroPoint). */
  ends_at: Date;
  pages: number;
  actionable: number;
  toil_hours: number;
  /** The retro's words (only retros whose check-in is shared reach here). */
  alert_to_fix: string | null;
  handover: string | null;
}

export type RecentRetro = Camel<RecentRetroRow>;

/**
 * Each member's last `n` retros that others may see (a retro is private when its check-in is),
 * newest first: one query for a batch (one index probe per member).
 */
export async function recentRetros(
  db: Db,
  members: readonly { teamId: string; userId: string }[],
  n = 4,
): Promise<RecentRetro[]> {
  if (!members.length) return [];
  const r = await sql<RecentRetroRow>`
    select k.team_id, k.user_id, r.shift_starts_at, r.shift_ends_at as ends_at, r.pages, r.actionable, r.toil_hours,
           r.alert_to_fix, r.handover
    from ${memberRows('k', members)}
    cross join lateral (
      select r.* from oncall_retros r
      join checkins c on c.id = r.checkin_id
      where r.team_id = k.team_id and r.user_id = k.user_id ${visibleTo('others')}
      order by r.shift_ends_at desc limit ${n}
    ) r
    order by k.team_id, k.user_id, r.shift_ends_at desc`.execute(db);
  return camelRows(r.rows);
}

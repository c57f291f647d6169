import { type Selectable, sql } from 'kysely';
import { type Camel, camelMaybe, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import { memberRows, rows } from './rows.ts';
import type { OncallShiftsTable } from './schema.ts';

type ShiftRow = Omit<Selectable<OncallShiftsTable>, 'created_at' | 'updated_at'>;

/** One on-call shift of one member, read from a feed. Ids stay the same while the event does. */
export type Shift = Camel<ShiftRow>;

export interface NewShift {
  userId: string;
  uid: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
}

const columns = sql`s.id, s.team_id, s.user_id, s.feed_id, s.uid, s.starts_at, s.ends_at, s.all_day`;

/**
 * Makes a feed's shifts that end after `from` exactly `shifts`, in one transaction: unchanged
 * shifts keep their row (and id), moved or removed ones go, new ones come. Shifts that ended
 * before `from` are history the feed no longer describes, and are kept. Shifts naming someone
 * who is not a member row are dropped (the caller matched names to members already).
 */
export async function replaceFeedShifts(
  db: Db,
  feed: { id: string; teamId: string },
  shifts: readonly NewShift[],
  from: Date,
  now: Date,
): Promise<{ stored: number; removed: number }> {
  const list = shifts
    .filter((s) => s.endsAt > from)
    .map((s) => ({
      user_id: s.userId,
      uid: s.uid,
      starts_at: s.startsAt.toISOString(),
      ends_at: s.endsAt.toISOString(),
      all_day: s.allDay,
    }));
  const cols = { user_id: 'text', uid: 'text', starts_at: 'timestamptz', ends_at: 'timestamptz', all_day: 'boolean' };
  return db.transaction().execute(async (tx) => {
    const removed = await sql`
      delete from oncall_shifts s
      where s.feed_id = ${feed.id} and s.ends_at > ${from}
        and not exists (select 1 from ${rows('n', cols, list)}
                        where n.uid = s.uid and n.starts_at = s.starts_at and n.user_id = s.user_id)`.execute(tx);
    if (!list.length) return { stored: 0, removed: Number(removed.numAffectedRows ?? 0) };
    const stored = await sql`
      insert into oncall_shifts (team_id, user_id, feed_id, uid, starts_at, ends_at, all_day, created_at, updated_at)
      select ${feed.teamId}, n.user_id, ${feed.id}, n.uid, n.starts_at, n.ends_at, n.all_day, ${now}, ${now}
      from ${rows('n', cols, list)}
      join members m on m.team_id = ${feed.teamId} and m.user_id = n.user_id
      where n.ends_at > n.starts_at
      on conflict (feed_id, uid, starts_at, user_id) do update
        set ends_at = excluded.ends_at, all_day = excluded.all_day, updated_at = excluded.updated_at
        where oncall_shifts.ends_at <> excluded.ends_at or oncall_shifts.all_day <> excluded.all_day`.execute(tx);
    return { stored: Number(stored.numAffectedRows ?? 0), removed: Number(removed.numAffectedRows ?? 0) };
  });
}

/** Every shift that overlaps [from, to), in start order. */
export async function shiftsOverlapping(db: Db, range: { from: Date; to: Date }): Promise<Shift[]> {
  const r = await sql<ShiftRow>`
    select ${columns} from oncall_shifts s
    where s.starts_at < ${range.to} and s.ends_at > ${range.from}
    order by s.starts_at, s.id`.execute(db);
  return camelRows(r.rows);
}

/** These members' shifts that overlap [from, to), in start order: what their on-call stretches are made of (one query). */
export async function memberShiftsBetween(
  db: Db,
  members: readonly { teamId: string; userId: string }[],
  range: { from: Date; to: Date },
): Promise<Shift[]> {
  if (!members.length) return [];
  const r = await sql<ShiftRow>`
    select ${columns} from ${memberRows('k', members)}
    join oncall_shifts s on s.team_id = k.team_id and s.user_id = k.user_id
    where s.starts_at < ${range.to} and s.ends_at > ${range.from}
    order by s.starts_at, s.id`.execute(db);
  return camelRows(r.rows);
}

/** The member's shift under way at `now`, or else their next one; undefined when there is none. */
export async function currentOrNextShift(
  db: Db,
  teamId: string,
  userId: string,
  now: Date,
): Promise<Shift | undefined> {
  const r = await sql<ShiftRow>`
    select ${columns} from oncall_shifts s
    where s.team_id = ${teamId} and s.user_id = ${userId} and s.ends_at > ${now}
    order by s.starts_at, s.id limit 1`.execute(db);
  return camelMaybe(r.rows[0]);
}

import { sql } from 'kysely';
import type { Weekday } from '../growth/schedule.ts';
import type { Level } from '../rubrics/schema.ts';
import { type Camel, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import { memberRows } from './rows.ts';

interface Row {
  team_id: string;
  user_id: string;
  status: 'active' | 'paused';
  level: Level;
  tz: string;
  prompt_weekday: Weekday;
  prompt_minute: number;
}

/** A member on the schedule, as it leaves this folder. */
export type ScheduledMember = Camel<Row>;

/**
 * Members on the schedule: joined and not left, active or paused (a pause whose end has
 * passed is lifted first). People who only mentor never appear here. With `page`, the next
 * `limit` members after `after` in (team, user) order, so a fan-out holds one page at a time;
 * pauses are lifted with the first page (`after` null).
 */
export async function scheduledMembers(
  db: Db,
  now: Date,
  page?: { after: { teamId: string; userId: string } | null; limit: number },
): Promise<ScheduledMember[]> {
  if (!page?.after)
    await db
      .updateTable('members')
      .set({ status: 'active', paused_until: null, updated_at: now })
      .where('status', '=', 'paused')
      .where('paused_until', '<=', now)
      .execute();
  let q = db
    .selectFrom('members')
    .select(['team_id', 'user_id', 'status', 'level', 'tz', 'prompt_weekday', 'prompt_minute'])
    .where('status', '!=', 'left')
    .where('level', 'is not', null)
    .where('joined_at', 'is not', null)
    .orderBy('team_id')
    .orderBy('user_id');
  if (page?.after) q = q.where(sql<boolean>`(team_id, user_id) > (${page.after.teamId}, ${page.after.userId})`);
  if (page) q = q.limit(page.limit);
  return camelRows((await q.execute()) as Row[]);
}

/** Pauses members who are still active; returns those this call paused (so only one instance tells them). */
export async function autoPause(
  db: Db,
  keys: readonly { teamId: string; userId: string }[],
  now: Date,
): Promise<{ teamId: string; userId: string }[]> {
  if (!keys.length) return [];
  const r = await sql<{ team_id: string; user_id: string }>`
    update members m set status = 'paused', paused_until = null, updated_at = ${now}
    from ${memberRows('k', keys)}
    where m.team_id = k.team_id and m.user_id = k.user_id and m.status = 'active'
    returning m.team_id, m.user_id`.execute(db);
  return camelRows(r.rows);
}

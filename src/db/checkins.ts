import type { Db } from './create-db.ts';
import type { Checkin, NewCheckin } from './schema.ts';

/**
 * Stores a check-in once: a retried request with the same idempotency key returns the
 * row stored the first time instead of a second copy.
 */
export async function recordCheckin(db: Db, c: NewCheckin): Promise<{ checkin: Checkin; created: boolean }> {
  const inserted = await db
    .insertInto('checkins')
    .values(c)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { checkin: inserted, created: true };
  const existing = await db.selectFrom('checkins').selectAll().where('idempotency_key', '=', c.idempotency_key).executeTakeFirstOrThrow();
  return { checkin: existing, created: false };
}

export async function recentCheckins(db: Db, teamId: string, userId: string, limit = 5): Promise<Checkin[]> {
  return db
    .selectFrom('checkins')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

import type { ExpressionBuilder, Selectable } from 'kysely';
import { editableSince } from '../growth/checkin.ts';
import { camel, camelMaybe, camelRows } from './camel.ts';
import { type Db, inTransaction } from './create-db.ts';
import { reopenNudge } from './nudges.ts';
import type { Checkin, CheckinsTable, Database, NewCheckin, Nudge } from './schema.ts';

/** A check-in as the driver gives it; it leaves this folder as `Checkin` (camelCase). */
type Row = Selectable<CheckinsTable>;

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
  if (inserted) return { checkin: camel(inserted), created: true };
  const existing = await db
    .selectFrom('checkins')
    .selectAll()
    .where('idempotency_key', '=', c.idempotency_key)
    .executeTakeFirstOrThrow();
  return { checkin: camel(existing), created: false };
}

/**
 * recordCheckin for many at once, in order: one insert, and one read for those that were
 * stored before. Should one row be refused (a constraint), each is tried on its own so the
 * others are not lost with it.
 */
export async function recordCheckins(
  db: Db,
  rows: NewCheckin[],
): Promise<({ checkin: Checkin; created: boolean } | Error)[]> {
  if (rows.length === 1) return [await recordCheckin(db, rows[0]!).catch((e: unknown) => e as Error)];
  try {
    const inserted = await db
      .insertInto('checkins')
      .values(rows)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returningAll()
      .execute();
    const byKey = new Map(inserted.map((c) => [c.idempotency_key, c]));
    const missing = rows.map((r) => r.idempotency_key).filter((k) => !byKey.has(k));
    const earlier = missing.length
      ? await db.selectFrom('checkins').selectAll().where('idempotency_key', 'in', missing).execute()
      : [];
    const before = new Map(earlier.map((c) => [c.idempotency_key, c]));
    const claimed = new Set<string>();
    return rows.map((r) => {
      const mine = byKey.get(r.idempotency_key);
      // Two identical check-ins in one batch: the first one is the one created.
      if (mine && !claimed.has(r.idempotency_key)) {
        claimed.add(r.idempotency_key);
        return { checkin: camel(mine), created: true };
      }
      const existing = before.get(r.idempotency_key) ?? mine;
      return existing ? { checkin: camel(existing), created: false } : new Error('check-in neither stored nor found');
    });
  } catch {
    return Promise.all(rows.map((r) => recordCheckin(db, r).catch((e: unknown) => e as Error)));
  }
}

/** A member's latest check-ins, newest first; `sharedOnly` leaves out those marked just for them. */
export async function recentCheckins(
  db: Db,
  teamId: string,
  userId: string,
  limit = 5,
  sharedOnly = false,
): Promise<Checkin[]> {
  let q = db.selectFrom('checkins').selectAll().where('team_id', '=', teamId).where('user_id', '=', userId);
  if (sharedOnly) q = q.where('private', '=', false);
  return camelRows(await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute());
}

export async function getOwnCheckin(db: Db, id: string, userId: string): Promise<Checkin | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return camelMaybe(
    await db.selectFrom('checkins').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
  );
}

/** What an edit may change, in the table's column names (it is what the update sets). */
export type CheckinEdit = Pick<
  Row,
  'competency_id' | 'competency_name' | 'text' | 'rating' | 'needs_help' | 'evidence_url' | 'private'
>;

/** Edits the author's own recent check-in; its original time is kept. Undefined when not theirs or too old. */
export async function updateOwnCheckin(
  db: Db,
  id: string,
  userId: string,
  edit: CheckinEdit,
  now: Date,
): Promise<Checkin | undefined> {
  return camelMaybe(
    await db
      .updateTable('checkins')
      .set({ ...edit, updated_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('created_at', '>=', editableSince(now))
      .returningAll()
      .executeTakeFirst(),
  );
}

/** Deletes the author's own recent check-in; the deleted row, or undefined when not theirs or too old. */
async function deleteOwnCheckin(db: Db, id: string, userId: string, now: Date): Promise<Row | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db
    .deleteFrom('checkins')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('created_at', '>=', editableSince(now))
    .returningAll()
    .executeTakeFirst();
}

/** Marks the author's own check-in as just for them, or shared with their mentor again. */
export async function setOwnCheckinPrivate(
  db: Db,
  id: string,
  userId: string,
  isPrivate: boolean,
  now: Date,
): Promise<Checkin | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return camelMaybe(
    await db
      .updateTable('checkins')
      .set({ private: isPrivate, updated_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst(),
  );
}

/** Where a check-in written as a DM message is: the message's channel and ts. */
export interface MessageRef {
  teamId: string;
  channel: string;
  ts: string;
  userId: string;
}

const byMessage = (m: MessageRef) => (eb: ExpressionBuilder<Database, 'checkins'>) =>
  eb.and([
    eb('team_id', '=', m.teamId),
    eb('message_channel', '=', m.channel),
    eb('message_ts', '=', m.ts),
    eb('user_id', '=', m.userId),
  ]);

export async function messageCheckin(db: Db, m: MessageRef): Promise<Checkin | undefined> {
  return camelMaybe(await db.selectFrom('checkins').selectAll().where(byMessage(m)).executeTakeFirst());
}

/** Its author edited the DM message: the check-in takes the new text (within the edit window). */
export async function editMessageCheckin(db: Db, m: MessageRef, text: string, now: Date): Promise<Checkin | undefined> {
  return camelMaybe(
    await db
      .updateTable('checkins')
      .set({ text, updated_at: now })
      .where(byMessage(m))
      .where('text', '!=', text)
      .where('created_at', '>=', editableSince(now))
      .returningAll()
      .executeTakeFirst(),
  );
}

/** Its author deleted the DM message: the check-in goes too, whatever its age. */
async function deleteMessageCheckin(db: Db, m: MessageRef): Promise<Row | undefined> {
  return db.deleteFrom('checkins').where(byMessage(m)).returningAll().executeTakeFirst();
}

/** A check-in taken back, and the prompt it answered if that prompt is open again. */
export interface Withdrawn {
  gone: Checkin;
  reopened: Nudge | undefined;
}

/** After a delete: the prompt the check-in answered opens again, unless another check-in still answers it. */
async function reopening(db: Db, gone: Row | undefined, now: Date): Promise<Withdrawn | undefined> {
  if (!gone) return undefined;
  return {
    gone: camel(gone),
    reopened: gone.nudge_id ? await reopenNudge(db, gone.nudge_id, gone.user_id, now) : undefined,
  };
}

/**
 * Deletes the author's own recent check-in (Home's Delete, *Not a check-in*) and reopens its
 * prompt. A DM message's check-in is remembered as withdrawn, so no later edit of the message
 * brings it back.
 */
export function withdrawOwnCheckin(db: Db, id: string, userId: string, now: Date): Promise<Withdrawn | undefined> {
  return inTransaction(db, async (tx) => {
    const gone = await deleteOwnCheckin(tx, id, userId, now);
    if (gone?.message_channel && gone.message_ts)
      await tx
        .insertInto('withdrawn_dm_messages')
        .values({
          team_id: gone.team_id,
          user_id: gone.user_id,
          channel: gone.message_channel,
          ts: gone.message_ts,
          withdrawn_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    return reopening(tx, gone, now);
  });
}

/** Whether the author said this DM message is not a check-in. */
export async function isWithdrawnMessage(db: Db, m: MessageRef): Promise<boolean> {
  const row = await db
    .selectFrom('withdrawn_dm_messages')
    .select('ts')
    .where('team_id', '=', m.teamId)
    .where('channel', '=', m.channel)
    .where('ts', '=', m.ts)
    .where('user_id', '=', m.userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes the check-in of a DM message its author deleted, and reopens its prompt. */
export function withdrawMessageCheckin(db: Db, m: MessageRef, now: Date): Promise<Withdrawn | undefined> {
  return inTransaction(db, async (tx) => reopening(tx, await deleteMessageCheckin(tx, m), now));
}

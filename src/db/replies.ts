import type { Selectable } from 'kysely';
import { type Camel, camel, camelMaybe, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import type { KudosTable, RepliesTable } from './schema.ts';

/** A message between a mentee (`userId`) and their mentor, as it leaves db/. */
export type Reply = Camel<Selectable<RepliesTable>>;

export interface NewReply {
  teamId: string;
  menteeId: string;
  mentorId: string;
  fromMentor: boolean;
  text: string;
  threadId: string | null;
  idempotencyKey: string;
  at: Date;
}

const isId = (id: string) => /^\d{1,18}$/.test(id);

/** Stores a reply once: the same form sent again returns the reply stored the first time. */
export async function recordReply(db: Db, r: NewReply): Promise<{ reply: Reply; created: boolean }> {
  const inserted = await db
    .insertInto('replies')
    .values({
      team_id: r.teamId,
      user_id: r.menteeId,
      mentor_id: r.mentorId,
      from_mentor: r.fromMentor,
      text: r.text,
      thread_id: r.threadId,
      idempotency_key: r.idempotencyKey,
      created_at: r.at,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { reply: camel(inserted), created: true };
  const existing = await db
    .selectFrom('replies')
    .selectAll()
    .where('idempotency_key', '=', r.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { reply: camel(existing), created: false };
}

export async function getReply(db: Db, id: string): Promise<Reply | undefined> {
  if (!isId(id)) return undefined;
  return camelMaybe(await db.selectFrom('replies').selectAll().where('id', '=', id).executeTakeFirst());
}

/** Where a reply was posted in its recipient's DM. */
export async function setReplyMessage(db: Db, id: string, channel: string, ts: string): Promise<void> {
  await db.updateTable('replies').set({ channel, ts }).where('id', '=', id).execute();
}

/**
 * The first message of a conversation posted in one side's DM (the mentee's when `toMentee`),
 * so the next message to that side goes in its thread.
 */
export async function threadStart(
  db: Db,
  threadId: string,
  toMentee: boolean,
): Promise<{ channel: string; ts: string } | undefined> {
  const row = await db
    .selectFrom('replies')
    .select(['channel', 'ts'])
    .where((eb) => eb.or([eb('id', '=', threadId), eb('thread_id', '=', threadId)]))
    .where('from_mentor', '=', toMentee)
    .where('ts', 'is not', null)
    .orderBy('id')
    .executeTakeFirst();
  return row?.channel && row.ts ? { channel: row.channel, ts: row.ts } : undefined;
}

/** The latest replies a mentee's mentors sent them, newest first. */
export async function repliesToMentee(db: Db, teamId: string, menteeId: string, limit = 3): Promise<Reply[]> {
  const rows = await db
    .selectFrom('replies')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', menteeId)
    .where('from_mentor', '=', true)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return camelRows(rows);
}

/** A check-in its author shares with their mentor (never a private one), for kudos. */
export async function sharedCheckin(
  db: Db,
  teamId: string,
  checkinId: string,
): Promise<{ checkinId: string; userId: string; text: string; createdAt: Date } | undefined> {
  if (!isId(checkinId)) return undefined;
  const row = await db
    .selectFrom('checkins')
    .select(['id as checkin_id', 'user_id', 'text', 'created_at'])
    .where('id', '=', checkinId)
    .where('team_id', '=', teamId)
    .where('private', '=', false)
    .executeTakeFirst();
  return camelMaybe(row);
}

export type Kudos = Camel<Selectable<KudosTable>>;

/** Records kudos on a check-in; false when it already had some (a second click changes nothing). */
export async function recordKudos(
  db: Db,
  k: { teamId: string; checkinId: string; menteeId: string; mentorId: string; at: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('kudos')
    .values({
      checkin_id: k.checkinId,
      team_id: k.teamId,
      user_id: k.menteeId,
      mentor_id: k.mentorId,
      created_at: k.at,
    })
    .onConflict((oc) => oc.column('checkin_id').doNothing())
    .returning('checkin_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Kudos a mentee received, newest first. */
export async function kudosForMentee(db: Db, teamId: string, menteeId: string): Promise<Kudos[]> {
  const rows = await db
    .selectFrom('kudos')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', menteeId)
    .orderBy('created_at', 'desc')
    .execute();
  return camelRows(rows);
}

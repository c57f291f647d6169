import { sql } from 'kysely';
import { memberKey } from '../growth/member-key.ts';
import { camelRows } from './camel.ts';
import { type Db, inTransaction } from './create-db.ts';
import { memberRows } from './rows.ts';
import type { Mentorship } from './schema.ts';

/** The mentee's current mentorship (at most one: a unique index). */
export async function currentMentorship(db: Db, teamId: string, menteeId: string): Promise<Mentorship | undefined> {
  return (await currentMentorshipsOf(db, teamId, [menteeId]))[0];
}

/**
 * Makes `mentorId` the mentee's current mentor. The previous mentorship is ended, not
 * overwritten, so the history stays. Returns the previous mentor, or `unchanged`.
 */
export async function setMentor(
  db: Db,
  teamId: string,
  menteeId: string,
  mentorId: string,
  now: Date,
): Promise<{ unchanged: boolean; previousMentorId: string | null }> {
  return inTransaction(db, async (tx) => {
    const current = await tx
      .selectFrom('mentorships')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('mentee_id', '=', menteeId)
      .where('ended_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (current?.mentor_id === mentorId) return { unchanged: true, previousMentorId: mentorId };
    if (current) await tx.updateTable('mentorships').set({ ended_at: now }).where('id', '=', current.id).execute();
    await tx
      .insertInto('mentorships')
      .values({ team_id: teamId, mentee_id: menteeId, mentor_id: mentorId, started_at: now })
      .execute();
    return { unchanged: false, previousMentorId: current?.mentor_id ?? null };
  });
}

/** The current mentorships of these mentees. */
export async function currentMentorshipsOf(
  db: Db,
  teamId: string,
  menteeIds: readonly string[],
): Promise<Mentorship[]> {
  if (!menteeIds.length) return [];
  const rows = await db
    .selectFrom('mentorships')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('ended_at', 'is', null)
    .where('mentee_id', 'in', menteeIds)
    .execute();
  return camelRows(rows);
}

/** A team's current mentorships. */
export async function currentMentorships(db: Db, teamId: string): Promise<Mentorship[]> {
  return camelRows(
    await db
      .selectFrom('mentorships')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('ended_at', 'is', null)
      .execute(),
  );
}

/**
 * Mentorships by id, with whether their mentee has a mentor again since (a current mentorship),
 * for telling mentees their mentor left: someone who already named a new one need not be told.
 */
export async function mentorshipsSince(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { mentorId: string; hasMentorNow: boolean }>> {
  if (!ids.length) return new Map();
  const found = await db
    .selectFrom('mentorships as ms')
    .select((eb) => [
      'ms.id',
      'ms.mentor_id',
      eb
        .exists(
          eb
            .selectFrom('mentorships as now')
            .select('now.id')
            .whereRef('now.team_id', '=', 'ms.team_id')
            .whereRef('now.mentee_id', '=', 'ms.mentee_id')
            .where('now.ended_at', 'is', null),
        )
        .as('has_mentor_now'),
    ])
    .where('ms.id', 'in', ids)
    .execute();
  return new Map(found.map((m) => [m.id, { mentorId: m.mentor_id, hasMentorNow: Boolean(m.has_mentor_now) }]));
}

/** Which of these people have a mentor now: a set of `memberKey`s (`team|user`). */
export async function withMentorNow(
  db: Db,
  people: readonly { teamId: string; userId: string }[],
): Promise<Set<string>> {
  if (!people.length) return new Set();
  const r = await sql<{ team_id: string; mentee_id: string }>`
    select ms.team_id, ms.mentee_id
    from mentorships ms
    join ${memberRows('k', people)} on ms.team_id = k.team_id and ms.mentee_id = k.user_id
    where ms.ended_at is null`.execute(db);
  return new Set(r.rows.map((x) => memberKey(x.team_id, x.mentee_id)));
}

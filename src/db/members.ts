import { sql } from 'kysely';
import type { Weekday } from '../growth/schedule.ts';
import type { Level } from '../rubrics/schema.ts';
import { camel, camelMaybe, camelRows } from './camel.ts';
import { type Db, inTransaction } from './create-db.ts';
import { ONCE } from './incidents.ts';
import { memberRows, rows } from './rows.ts';
import type { Member } from './schema.ts';

export interface Person {
  teamId: string;
  userId: string;
  displayName: string | null;
  /** Null when Slack could not tell us: the row keeps the zone it has (UTC for a new one), unchecked. */
  tz: string | null;
}

export async function getMember(db: Db, teamId: string, userId: string): Promise<Member | undefined> {
  return camelMaybe(
    await db
      .selectFrom('members')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  );
}

/** The rows of these people in a team (members and the mentors they named). */
export async function membersByIds(db: Db, teamId: string, userIds: readonly string[]): Promise<Member[]> {
  if (!userIds.length) return [];
  return camelRows(
    await db.selectFrom('members').selectAll().where('team_id', '=', teamId).where('user_id', 'in', userIds).execute(),
  );
}

/**
 * Registers (or re-registers) a person as a member at a level; a member who had left comes back
 * active. A zone Slack could not give (`tz` null) is not claimed as read: a new row gets UTC with
 * tz_checked_at unset, an existing row keeps its zone and when it was read, so the timezone
 * refresh asks Slack for a zone never read on its next run.
 */
export async function joinMember(db: Db, p: Person & { level: Level }, now: Date): Promise<Member> {
  const read = p.tz !== null;
  const row = await db
    .insertInto('members')
    .values({
      team_id: p.teamId,
      user_id: p.userId,
      level: p.level,
      display_name: p.displayName,
      tz: p.tz ?? 'UTC',
      tz_checked_at: read ? now : null,
      joined_at: now,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['team_id', 'user_id']).doUpdateSet((eb) => ({
        level: eb.ref('excluded.level'),
        display_name: eb.ref('excluded.display_name'),
        tz: read ? eb.ref('excluded.tz') : eb.ref('members.tz'),
        tz_checked_at: read ? eb.ref('excluded.tz_checked_at') : eb.ref('members.tz_checked_at'),
        joined_at: eb.fn.coalesce('members.joined_at', 'excluded.joined_at'),
        status: 'active',
        paused_until: null,
        left_at: null,
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return camel(row);
}

/**
 * Makes sure a person we name (a mentor) has a row, without making them a member. A row whose
 * zone was never looked up (someone who only wrote to the bot) takes the zone and name given.
 * A zone Slack could not give (`tz` null) is not claimed as read: the row stays unchecked (UTC
 * when new), so the timezone refresh asks Slack for it on its next run.
 */
export async function ensurePerson(db: Db, p: Person, now: Date): Promise<Member> {
  const read = p.tz !== null;
  await db
    .insertInto('members')
    .values({
      team_id: p.teamId,
      user_id: p.userId,
      display_name: p.displayName,
      tz: p.tz ?? 'UTC',
      tz_checked_at: read ? now : null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'user_id'])
        .doUpdateSet((eb) => ({
          display_name: eb.fn.coalesce('excluded.display_name', 'members.display_name'),
          tz: read ? eb.ref('excluded.tz') : eb.ref('members.tz'),
          tz_checked_at: eb.ref('excluded.tz_checked_at'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('members.tz_checked_at', 'is', null),
    )
    .execute();
  return (await getMember(db, p.teamId, p.userId))!;
}

/**
 * Someone who has not joined wrote to the bot: true when they should be told how to join now,
 * that is when they were never told, or last told more than `everyMs` ago (claimed once, so
 * two messages at the same moment get one answer). Their row is a person, not a member.
 */
export async function claimJoinHint(
  db: Db,
  teamId: string,
  userId: string,
  now: Date,
  everyMs: number,
): Promise<boolean> {
  // Their zone was never looked up: tz stays the column's default and tz_checked_at unset, so
  // nothing reads it as theirs and the timezone refresh asks Slack for it first.
  const r = await db
    .insertInto('members')
    .values({
      team_id: teamId,
      user_id: userId,
      join_hint_at: now,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'user_id'])
        .doUpdateSet({ join_hint_at: now })
        .where((eb) =>
          eb.or([
            eb('members.join_hint_at', 'is', null),
            eb('members.join_hint_at', '<=', new Date(now.getTime() - everyMs)),
          ]),
        ),
    )
    .returning('user_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function setLevel(db: Db, teamId: string, userId: string, level: Level, now: Date): Promise<void> {
  await db
    .updateTable('members')
    .set({ level, updated_at: now })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute();
}

/** A member is someone who joined at a level and has not left. */
export function isJoined(m: Member | undefined): m is Member & { level: Level } {
  return m !== undefined && m.level !== null && m.joinedAt !== null && m.status !== 'left';
}

export async function setSchedule(
  db: Db,
  teamId: string,
  userId: string,
  weekday: Weekday,
  minute: number,
  now: Date,
): Promise<void> {
  await db
    .updateTable('members')
    .set({ prompt_weekday: weekday, prompt_minute: minute, updated_at: now })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute();
}

/** Pauses (with an end, or none) or resumes a member. */
export async function setPaused(
  db: Db,
  teamId: string,
  userId: string,
  until: Date | null | 'resume',
  now: Date,
): Promise<void> {
  const change =
    until === 'resume'
      ? { status: 'active' as const, paused_until: null }
      : { status: 'paused' as const, paused_until: until };
  await db
    .updateTable('members')
    .set({ ...change, updated_at: now })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('status', '!=', 'left')
    .execute();
}

/**
 * What a timezone refresh learned, for many people in one statement: a new zone (null keeps
 * the old one), a new name, and whether they left Slack. Everyone listed counts as checked now.
 */
export async function refreshPeople(
  db: Db,
  updates: readonly { teamId: string; userId: string; tz: string | null; name: string | null; left: boolean }[],
  now: Date,
): Promise<void> {
  if (!updates.length) return;
  await inTransaction(db, async (tx) => {
    await sql`
      update members m set
        tz = coalesce(u.tz, m.tz),
        display_name = coalesce(u.name, m.display_name),
        tz_checked_at = ${now},
        updated_at = ${now}
      from ${rows(
        'u',
        { team_id: 'text', user_id: 'text', tz: 'text', name: 'text', left: 'boolean' },
        updates.map((u) => ({ team_id: u.teamId, user_id: u.userId, tz: u.tz, name: u.name, left: u.left })),
      )}
      where m.team_id = u.team_id and m.user_id = u.user_id`.execute(tx);
    // Someone Slack reports deactivated leaves as `removeMember` has them leave.
    await markLeft(
      tx,
      updates.filter((u) => u.left),
      now,
    );
  });
}

/** Someone leaves: no more prompts or digests, mentorships on both sides ended; history kept. */
export async function removeMember(db: Db, teamId: string, userId: string, now: Date): Promise<void> {
  await inTransaction(db, (tx) => markLeft(tx, [{ teamId, userId }], now));
}

/**
 * The one way people leave: status `left` since now, no pause, and their mentorships on either
 * side ended. Each joined mentee of a leaver gets a `mentor_left` claim per ended
 * mentorship, so the notice is sent once whoever ran this, however often.
 */
async function markLeft(db: Db, people: readonly { teamId: string; userId: string }[], now: Date): Promise<void> {
  if (!people.length) return;
  await sql`
    update members m set status = 'left', paused_until = null, left_at = coalesce(m.left_at, ${now}), updated_at = ${now}
    from ${memberRows('k', people)}
    where m.team_id = k.team_id and m.user_id = k.user_id`.execute(db);
  await sql`
    insert into deliveries (team_id, user_id, kind, week, ref, claimed_at)
    select ms.team_id, ms.mentee_id, 'mentor_left', ${ONCE}, 'mentorship:' || ms.id, ${now}
    from mentorships ms
    join ${memberRows('k', people)} on ms.team_id = k.team_id and ms.mentor_id = k.user_id
    join members e on e.team_id = ms.team_id and e.user_id = ms.mentee_id and e.joined_at is not null
    where ms.ended_at is null
    on conflict (team_id, user_id, kind, week, ref) do nothing`.execute(db);
  await sql`
    update mentorships ms set ended_at = ${now}
    from ${memberRows('k', people)}
    where ms.team_id = k.team_id and ms.ended_at is null and (ms.mentee_id = k.user_id or ms.mentor_id = k.user_id)`.execute(
    db,
  );
}

/** The team's joined members who have not left, with their zones. */
export async function joinedMembers(db: Db, teamId: string): Promise<{ userId: string; tz: string }[]> {
  return camelRows(
    await db
      .selectFrom('members')
      .select(['user_id', 'tz'])
      .where('team_id', '=', teamId)
      .where('level', 'is not', null)
      .where('joined_at', 'is not', null)
      .where('status', '!=', 'left')
      .orderBy('user_id')
      .execute(),
  );
}

/** The admins' list: everyone who joined or has left, with their current mentor (none once left). */
export async function memberRoster(db: Db, teamId: string) {
  const r = await db
    .selectFrom('members as m')
    .leftJoin('mentorships as ms', (j) =>
      j.onRef('ms.team_id', '=', 'm.team_id').onRef('ms.mentee_id', '=', 'm.user_id').on('ms.ended_at', 'is', null),
    )
    .select(['m.user_id', 'm.display_name', 'm.level', 'm.status', 'm.paused_until', 'm.left_at', 'ms.mentor_id'])
    .where('m.team_id', '=', teamId)
    .where((eb) => eb.or([eb('m.joined_at', 'is not', null), eb('m.status', '=', 'left')]))
    .orderBy('m.user_id')
    .execute();
  return camelRows(r);
}

/** Everyone with a row in a team (members and the mentors they named). */
export async function teamMembers(db: Db, teamId: string): Promise<Member[]> {
  return camelRows(
    await db.selectFrom('members').selectAll().where('team_id', '=', teamId).orderBy('user_id').execute(),
  );
}

/**
 * Claims up to `limit` members (not left) whose timezone was last read before `checkedBefore`,
 * stalest first, as the other jobs claim their rows: each is marked read at `checkedBefore +
 * leaseMs`, so no other run or instance takes it until that lease runs out. `refreshPeople`
 * then marks it read now; one whose users.info failed comes back when its lease ends.
 */
export async function claimStaleTimezones(db: Db, checkedBefore: Date, limit: number, leaseMs: number) {
  const r = await sql<{ team_id: string; user_id: string; tz: string }>`
    with picked as (
      select team_id, user_id from members
      where status <> 'left' and (tz_checked_at is null or tz_checked_at < ${checkedBefore})
      order by tz_checked_at nulls first
      limit ${limit}
      for update skip locked
    )
    update members m set tz_checked_at = ${new Date(checkedBefore.getTime() + leaseMs)}
    from picked p where m.team_id = p.team_id and m.user_id = p.user_id
    returning m.team_id, m.user_id, m.tz`.execute(db);
  return camelRows(r.rows);
}

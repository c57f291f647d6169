import { type Selectable, sql } from 'kysely';
import type { AgendaItem } from '../growth/one-on-one.ts';
import type { Weekday } from '../growth/schedule.ts';
import type { Camel } from './camel.ts';
import type { Db } from './create-db.ts';
import { visibleTo } from './privacy.ts';
import type { OneOnOnesTable } from './schema.ts';

/** A 1:1 as it leaves this folder (its `one_on_ones` columns, camelCased). */
export type OneOnOne = Camel<Row>;

type Row = Pick<Selectable<OneOnOnesTable>, (typeof COLUMNS)[number]>;

const COLUMNS = [
  'id',
  'team_id',
  'mentor_id',
  'mentee_id',
  'weekday',
  'minute',
  'every_weeks',
  'anchor_week',
  'created_by',
] as const;

function toOneOnOne(r: Row): OneOnOne {
  return {
    id: String(r.id),
    teamId: r.team_id,
    mentorId: r.mentor_id,
    menteeId: r.mentee_id,
    weekday: Number(r.weekday) as Weekday,
    minute: Number(r.minute),
    everyWeeks: Number(r.every_weeks) as 1 | 2,
    anchorWeek: r.anchor_week,
    createdBy: r.created_by,
  };
}

/** Records a pair's 1:1 (one per mentee: a new one replaces the old). */
export async function setOneOnOne(db: Db, o: Omit<OneOnOne, 'id'>, now: Date): Promise<OneOnOne> {
  const values = {
    mentor_id: o.mentorId,
    weekday: o.weekday,
    minute: o.minute,
    every_weeks: o.everyWeeks,
    anchor_week: o.anchorWeek,
    created_by: o.createdBy,
    updated_at: now,
  };
  const r = await db
    .insertInto('one_on_ones')
    .values({ ...values, team_id: o.teamId, mentee_id: o.menteeId, created_at: now })
    .onConflict((oc) => oc.columns(['team_id', 'mentee_id']).doUpdateSet(values))
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toOneOnOne(r);
}

/** Clears a pair's 1:1 (and its agenda); false when there was none. */
export async function clearOneOnOne(db: Db, teamId: string, mentorId: string, menteeId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('one_on_ones')
    .where('team_id', '=', teamId)
    .where('mentor_id', '=', mentorId)
    .where('mentee_id', '=', menteeId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function oneOnOneOf(
  db: Db,
  teamId: string,
  mentorId: string,
  menteeId: string,
): Promise<OneOnOne | undefined> {
  const r = await db
    .selectFrom('one_on_ones')
    .select(COLUMNS)
    .where('team_id', '=', teamId)
    .where('mentor_id', '=', mentorId)
    .where('mentee_id', '=', menteeId)
    .executeTakeFirst();
  return r ? toOneOnOne(r) : undefined;
}

export async function getOneOnOne(db: Db, id: string): Promise<OneOnOne | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const r = await db.selectFrom('one_on_ones').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toOneOnOne(r) : undefined;
}

/** Every 1:1 of a current mentorship whose two people have not left, with the mentor's zone and when it was set. */
export async function activeOneOnOnes(db: Db): Promise<(OneOnOne & { tz: string; setAt: Date })[]> {
  const r = await sql<Row & { tz: string; updated_at: Date }>`
    select o.id, o.team_id, o.mentor_id, o.mentee_id, o.weekday, o.minute, o.every_weeks, o.anchor_week,
           o.created_by, o.updated_at, mt.tz
    from one_on_ones o
    join mentorships ms on ms.team_id = o.team_id and ms.mentee_id = o.mentee_id and ms.mentor_id = o.mentor_id
      and ms.ended_at is null
    join members mt on mt.team_id = o.team_id and mt.user_id = o.mentor_id and mt.status <> 'left'
    join members me on me.team_id = o.team_id and me.user_id = o.mentee_id and me.status <> 'left'
    order by o.id`.execute(db);
  return r.rows.map((x) => ({ ...toOneOnOne(x), tz: x.tz, setAt: new Date(x.updated_at) }));
}

/** Adds an item to a 1:1's agenda: typed text, or a check-in (added once; false when it already was). */
export async function addAgendaItem(
  db: Db,
  i: { teamId: string; oneOnOneId: string; userId: string; text: string | null; checkinId: string | null },
  now: Date,
): Promise<boolean> {
  const r = await db
    .insertInto('agenda_items')
    .values({
      team_id: i.teamId,
      one_on_one_id: i.oneOnOneId,
      user_id: i.userId,
      text: i.text,
      checkin_id: i.checkinId,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['one_on_one_id', 'checkin_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** A 1:1's items added in (from, to]; a check-in shows only while it is shared (db/privacy.ts). */
export async function agendaItemsBetween(db: Db, oneOnOneId: string, from: Date, to: Date): Promise<AgendaItem[]> {
  const r = await sql<{ user_id: string; text: string | null; c_text: string | null; competency_id: string | null }>`
    select i.user_id, i.text, c.text as c_text, c.competency_id
    from agenda_items i
    left join checkins c on c.id = i.checkin_id
    where i.one_on_one_id = ${oneOnOneId} and i.created_at > ${from} and i.created_at <= ${to}
      and (i.checkin_id is null or (c.id is not null ${visibleTo('others')}))
    order by i.created_at, i.id`.execute(db);
  return r.rows.map((x) => ({
    userId: x.user_id,
    text: x.text ?? x.c_text ?? '',
    competencyId: x.competency_id,
    fromCheckin: x.text === null,
  }));
}

/** The mentee's shared check-ins on these competencies in (from, to], oldest first. */
export async function sharedCheckinsOn(
  db: Db,
  teamId: string,
  userId: string,
  competencyIds: readonly string[],
  from: Date,
  to: Date,
): Promise<{ id: string; competencyId: string; text: string; rating: number | null; at: Date }[]> {
  if (!competencyIds.length) return [];
  const r = await sql<{ id: string; competency_id: string; text: string; rating: number | null; created_at: Date }>`
    select c.id, c.competency_id, c.text, c.rating, c.created_at from checkins c
    where c.team_id = ${teamId} and c.user_id = ${userId} and c.competency_id in (${sql.join([...competencyIds])})
      and c.created_at > ${from} and c.created_at <= ${to} ${visibleTo('others')}
    order by c.created_at, c.id`.execute(db);
  return r.rows.map((x) => ({
    id: String(x.id),
    competencyId: x.competency_id,
    text: x.text,
    rating: x.rating,
    at: new Date(x.created_at),
  }));
}

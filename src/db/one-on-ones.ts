import { type Selectable, sql } from 'kysely';
import type { AgendaItem } from '../growth/one-on-one.ts';
import type { Weekday } from '../growth/schedule.ts';
import type { Camel } from './camel.ts';
import type { Db } from './create-db.ts';
import { visibleTo } from './privacy.ts';
import { rows } from './rows.ts';
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

/**
 * Every 1:1 of a current mentorship whose two people have not left, with the mentor's zone and when
 * it was set; with `of`, only that person's (as mentor or as mentee).
 */
export async function activeOneOnOnes(
  db: Db,
  of?: { teamId: string; userId: string },
): Promise<(OneOnOne & { tz: string; setAt: Date })[]> {
  const whose = of
    ? sql`where o.team_id = ${of.teamId} and (o.mentor_id = ${of.userId} or o.mentee_id = ${of.userId})`
    : sql``;
  const r = await sql<Row & { tz: string; updated_at: Date }>`
    select o.id, o.team_id, o.mentor_id, o.mentee_id, o.weekday, o.minute, o.every_weeks, o.anchor_week,
           o.created_by, o.updated_at, mt.tz
    from one_on_ones o
    join mentorships ms on ms.team_id = o.team_id and ms.mentee_id = o.mentee_id and ms.mentor_id = o.mentor_id
      and ms.ended_at is null
    join members mt on mt.team_id = o.team_id and mt.user_id = o.mentor_id and mt.status <> 'left'
    join members me on me.team_id = o.team_id and me.user_id = o.mentee_id and me.status <> 'left'
    ${whose}
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

/** A window of one agenda: the 1:1's items, or the mentee's check-ins, in (from, to]. */
export interface AgendaWindow {
  key: string;
  from: Date;
  to: Date;
}

const windowRows = <T extends object>(
  list: readonly (AgendaWindow & T)[],
  extra: Record<string, string>,
  pick: (w: AgendaWindow & T) => object,
) =>
  rows(
    'k',
    { key: 'text', from_at: 'timestamptz', to_at: 'timestamptz', ...extra },
    list.map((w) => ({ key: w.key, from_at: w.from.toISOString(), to_at: w.to.toISOString(), ...pick(w) })),
  );

function byKey<T>(list: readonly (T & { key: string })[], keys: readonly { key: string }[]): Map<string, T[]> {
  const out = new Map<string, T[]>(keys.map((k) => [k.key, []]));
  for (const { key, ...x } of list) out.get(key)?.push(x as T);
  return out;
}

/**
 * Each window's 1:1 items added in (from, to], in one statement for the batch; a check-in shows
 * only while it is shared (db/privacy.ts).
 */
export async function agendaItemsIn(
  db: Db,
  windows: readonly (AgendaWindow & { oneOnOneId: string })[],
): Promise<Map<string, AgendaItem[]>> {
  if (!windows.length) return new Map();
  const r = await sql<{
    key: string;
    user_id: string;
    text: string | null;
    c_text: string | null;
    competency_id: string | null;
  }>`
    select k.key, i.user_id, i.text, c.text as c_text, c.competency_id
    from ${windowRows(windows, { one_on_one_id: 'bigint' }, (w) => ({ one_on_one_id: w.oneOnOneId }))}
    join agenda_items i on i.one_on_one_id = k.one_on_one_id and i.created_at > k.from_at and i.created_at <= k.to_at
    left join checkins c on c.id = i.checkin_id
    where i.checkin_id is null or (c.id is not null ${visibleTo('others')})
    order by i.created_at, i.id`.execute(db);
  return byKey(
    r.rows.map((x) => ({
      key: x.key,
      userId: x.user_id,
      text: x.text ?? x.c_text ?? '',
      competencyId: x.competency_id,
      fromCheckin: x.text === null,
    })),
    windows,
  );
}

export interface SharedCheckin {
  id: string;
  competencyId: string;
  text: string;
  rating: number | null;
  at: Date;
}

/**
 * Each window's member's shared check-ins on its competencies in (from, to], oldest first, in one
 * statement for the batch.
 */
export async function sharedCheckinsIn(
  db: Db,
  windows: readonly (AgendaWindow & { teamId: string; userId: string; competencyIds: readonly string[] })[],
): Promise<Map<string, SharedCheckin[]>> {
  const asked = windows.filter((w) => w.competencyIds.length);
  if (!asked.length) return byKey([], windows);
  const r = await sql<{
    key: string;
    id: string;
    competency_id: string;
    text: string;
    rating: number | null;
    created_at: Date;
  }>`
    select k.key, c.id, c.competency_id, c.text, c.rating, c.created_at
    from ${windowRows(asked, { team_id: 'text', user_id: 'text', competency_ids: 'jsonb' }, (w) => ({
      team_id: w.teamId,
      user_id: w.userId,
      competency_ids: w.competencyIds,
    }))}
    join checkins c on c.team_id = k.team_id and c.user_id = k.user_id
      and c.created_at > k.from_at and c.created_at <= k.to_at
      and c.competency_id in (select jsonb_array_elements_text(k.competency_ids)) ${visibleTo('others')}
    order by c.created_at, c.id`.execute(db);
  return byKey(
    r.rows.map((x) => ({
      key: x.key,
      id: String(x.id),
      competencyId: x.competency_id,
      text: x.text,
      rating: x.rating,
      at: new Date(x.created_at),
    })),
    windows,
  );
}

import { type Selectable, sql } from 'kysely';
import { quarterOf } from '../growth/focus.ts';
import { memberKey } from '../growth/member-key.ts';
import type { Db } from './create-db.ts';
import { type Audience, visibleTo } from './privacy.ts';
import { rows } from './rows.ts';
import type { FocusAreasTable, FocusStatus } from './schema.ts';

/** A member's focus for one quarter, as it leaves this folder. */
export interface Focus {
  id: string;
  teamId: string;
  userId: string;
  quarter: string;
  competencyIds: string[];
  status: FocusStatus;
  suggestedIds: string[] | null;
  mentorId: string | null;
  updatedAt: Date;
}

/** One focus competency's quarter: check-ins and the latest rating among them. */
export interface FocusStat {
  competencyId: string;
  checkins: number;
  latestRating: number | null;
}

export type FocusWithStats = Focus & { stats: FocusStat[] };

/** A `focus_areas` row as selected (`COLUMNS`); the json id lists are checked by `toFocus`. */
type FocusRow = Pick<Selectable<FocusAreasTable>, (typeof COLUMNS)[number]>;

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function toFocus(r: FocusRow): Focus {
  return {
    id: String(r.id),
    teamId: r.team_id,
    userId: r.user_id,
    quarter: r.quarter,
    competencyIds: ids(r.competency_ids),
    status: r.status,
    suggestedIds: r.suggested_ids === null ? null : ids(r.suggested_ids),
    mentorId: r.mentor_id,
    updatedAt: new Date(r.updated_at),
  };
}

const COLUMNS = [
  'id',
  'team_id',
  'user_id',
  'quarter',
  'competency_ids',
  'status',
  'suggested_ids',
  'mentor_id',
  'updated_at',
] as const;

/** Sets a member's focus for a quarter (a new choice starts over: no agreement, no suggestion). */
export async function saveFocus(
  db: Db,
  f: { teamId: string; userId: string; quarter: string; competencyIds: readonly string[] },
  now: Date,
): Promise<Focus> {
  const json = JSON.stringify(f.competencyIds);
  const r = await db
    .insertInto('focus_areas')
    .values({
      team_id: f.teamId,
      user_id: f.userId,
      quarter: f.quarter,
      competency_ids: json,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['team_id', 'user_id', 'quarter']).doUpdateSet({
        competency_ids: json,
        status: 'chosen',
        suggested_ids: null,
        mentor_id: null,
        updated_at: now,
      }),
    )
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toFocus(r);
}

export async function getFocus(db: Db, id: string): Promise<Focus | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const r = await db.selectFrom('focus_areas').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toFocus(r) : undefined;
}

export async function focusForQuarter(
  db: Db,
  teamId: string,
  userId: string,
  quarter: string,
): Promise<Focus | undefined> {
  const r = await db
    .selectFrom('focus_areas')
    .select(COLUMNS)
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('quarter', '=', quarter)
    .executeTakeFirst();
  return r ? toFocus(r) : undefined;
}

/** The mentor agrees; undefined when it already was agreed (a second click changes nothing). */
export async function agreeFocus(db: Db, id: string, mentorId: string, now: Date): Promise<Focus | undefined> {
  const r = await db
    .updateTable('focus_areas')
    .set({ status: 'agreed', mentor_id: mentorId, suggested_ids: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '<>', 'agreed')
    .where(sql<boolean>`jsonb_array_length(competency_ids) > 0`)
    .returning(COLUMNS)
    .executeTakeFirst();
  return r ? toFocus(r) : undefined;
}

/** The mentor suggests other competencies for a member's quarter (a row is made when they chose none yet). */
export async function suggestFocus(
  db: Db,
  s: { teamId: string; userId: string; quarter: string; mentorId: string; suggestedIds: readonly string[] },
  now: Date,
): Promise<Focus> {
  const json = JSON.stringify(s.suggestedIds);
  const r = await db
    .insertInto('focus_areas')
    .values({
      team_id: s.teamId,
      user_id: s.userId,
      quarter: s.quarter,
      status: 'suggested',
      suggested_ids: json,
      mentor_id: s.mentorId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'user_id', 'quarter'])
        .doUpdateSet({ status: 'suggested', suggested_ids: json, mentor_id: s.mentorId, updated_at: now }),
    )
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toFocus(r);
}

/**
 * The member answers a suggestion on their own focus: take it (agreed) or keep theirs. Undefined
 * when there is no open suggestion on a focus of theirs (someone else's, or answered already).
 */
export async function answerSuggestion(
  db: Db,
  id: string,
  userId: string,
  accept: boolean,
  now: Date,
): Promise<Focus | undefined> {
  const r = await db
    .updateTable('focus_areas')
    .set({
      competency_ids: accept ? sql`suggested_ids` : sql`competency_ids`,
      status: accept ? 'agreed' : 'kept',
      suggested_ids: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('status', '=', 'suggested')
    .where('suggested_ids', 'is not', null)
    .returning(COLUMNS)
    .executeTakeFirst();
  return r ? toFocus(r) : undefined;
}

/**
 * Each member's focus for the quarter given with them, with its check-ins and latest rating
 * within the quarter's instants, in one statement for the batch. `others` never counts a
 * private check-in (db/privacy.ts).
 */
export async function focusWithStats(
  db: Db,
  members: readonly { teamId: string; userId: string; quarter: string; start: Date; end: Date }[],
  audience: Audience,
): Promise<Map<string, FocusWithStats>> {
  if (!members.length) return new Map();
  const keys = rows(
    'k',
    { team_id: 'text', user_id: 'text', quarter: 'text', q_start: 'timestamptz', q_end: 'timestamptz' },
    members.map((m) => ({
      team_id: m.teamId,
      user_id: m.userId,
      quarter: m.quarter,
      q_start: m.start.toISOString(),
      q_end: m.end.toISOString(),
    })),
  );
  const r = await sql<FocusRow & { cid: string | null; checkins: string; latest_rating: number | null }>`
    select f.id, f.team_id, f.user_id, f.quarter, f.competency_ids, f.status, f.suggested_ids, f.mentor_id, f.updated_at,
           e.cid, count(c.id) as checkins,
           (array_agg(c.rating order by c.created_at desc, c.id desc) filter (where c.rating is not null))[1] as latest_rating
    from ${keys}
    join focus_areas f on f.team_id = k.team_id and f.user_id = k.user_id and f.quarter = k.quarter
    left join lateral jsonb_array_elements_text(f.competency_ids) with ordinality as e(cid, pos) on true
    left join checkins c on c.team_id = f.team_id and c.user_id = f.user_id and c.competency_id = e.cid
      and c.created_at >= k.q_start and c.created_at < k.q_end ${visibleTo(audience)}
    group by f.id, e.cid, e.pos
    order by f.id, e.pos`.execute(db);
  const out = new Map<string, FocusWithStats>();
  for (const row of r.rows) {
    const k = memberKey(row.team_id, row.user_id);
    let f = out.get(k);
    if (!f) out.set(k, (f = { ...toFocus(row), stats: [] }));
    if (row.cid !== null)
      f.stats.push({ competencyId: row.cid, checkins: Number(row.checkins), latestRating: row.latest_rating });
  }
  return out;
}

/** The focus competencies of each member for the quarter given with them, one statement for the batch. */
export async function focusIdsOf(
  db: Db,
  members: readonly { teamId: string; userId: string; quarter: string }[],
): Promise<Map<string, string[]>> {
  if (!members.length) return new Map();
  const keys = rows(
    'k',
    { team_id: 'text', user_id: 'text', quarter: 'text' },
    members.map((m) => ({ team_id: m.teamId, user_id: m.userId, quarter: m.quarter })),
  );
  const r = await sql<{ team_id: string; user_id: string; competency_ids: unknown }>`
    select f.team_id, f.user_id, f.competency_ids from ${keys}
    join focus_areas f on f.team_id = k.team_id and f.user_id = k.user_id and f.quarter = k.quarter`.execute(db);
  return new Map(r.rows.map((x) => [memberKey(x.team_id, x.user_id), ids(x.competency_ids)]));
}

/** One member's focus this quarter (their zone), with its stats: Home and `/growth summary`. */
export async function focusNow(
  db: Db,
  m: { teamId: string; userId: string; tz: string },
  now: Date,
  audience: Audience,
): Promise<FocusWithStats | undefined> {
  const q = quarterOf(now, m.tz);
  const got = await focusWithStats(db, [{ teamId: m.teamId, userId: m.userId, ...q }], audience);
  return got.get(memberKey(m.teamId, m.userId));
}

/** A focus whose quarter may be over, with who reviews it: the member and their current mentor. */
export interface FocusToReview {
  focusId: string;
  teamId: string;
  userId: string;
  quarter: string;
  tz: string;
  mentorId: string | null;
  mentorTz: string | null;
}

/** Focus rows of these quarters with a competency chosen, their member's zone and current mentor. */
export async function focusToReview(db: Db, quarters: readonly string[]): Promise<FocusToReview[]> {
  if (!quarters.length) return [];
  const r = await sql<{
    id: string;
    team_id: string;
    user_id: string;
    quarter: string;
    tz: string;
    mentor_id: string | null;
    mentor_tz: string | null;
  }>`
    select f.id, f.team_id, f.user_id, f.quarter, m.tz, ms.mentor_id, mt.tz as mentor_tz
    from focus_areas f
    join members m on m.team_id = f.team_id and m.user_id = f.user_id and m.status <> 'left'
    left join mentorships ms on ms.team_id = f.team_id and ms.mentee_id = f.user_id and ms.ended_at is null
    left join members mt on mt.team_id = ms.team_id and mt.user_id = ms.mentor_id and mt.status <> 'left'
    where f.quarter in (${sql.join([...quarters])}) and jsonb_array_length(f.competency_ids) > 0
    order by f.id`.execute(db);
  return r.rows.map((x) => ({
    focusId: String(x.id),
    teamId: x.team_id,
    userId: x.user_id,
    quarter: x.quarter,
    tz: x.tz,
    mentorId: x.mentor_tz ? x.mentor_id : null,
    mentorTz: x.mentor_tz,
  }));
}

/** Every focus of one member, oldest quarter first (export). */
export async function focusAreasOf(db: Db, teamId: string, userId: string): Promise<Focus[]> {
  const r = await db
    .selectFrom('focus_areas')
    .select(COLUMNS)
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .orderBy('quarter')
    .execute();
  return r.map(toFocus);
}

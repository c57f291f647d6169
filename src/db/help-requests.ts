import { sql } from 'kysely';
import { groupBy } from '../growth/group-by.ts';
import { memberKey } from '../growth/member-key.ts';
import { camelMaybe } from './camel.ts';
import type { Db } from './create-db.ts';
import { visibleTo } from './privacy.ts';
import { rows } from './rows.ts';

/**
 * A help request: a check-in with "I'd like help", and what became of it. Private check-ins
 * never ask for help (the check-in service refuses it), and the queries here read only shared
 * ones anyway, so nothing of a private check-in reaches its mentor through a help request.
 */
export interface HelpRequestRow {
  checkinId: string;
  teamId: string;
  /** The mentee who asked. */
  userId: string;
  competencyId: string | null;
  text: string;
  askedAt: Date;
  offeredBy: string | null;
  offeredAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  helped: boolean | null;
  answeredAt: Date | null;
}

const isId = (id: string) => /^\d{1,18}$/.test(id);

/** The help request a button names: a shared check-in asking for help, with its state. */
export async function getHelpRequest(db: Db, checkinId: string): Promise<HelpRequestRow | undefined> {
  if (!isId(checkinId)) return undefined;
  const row = await db
    .selectFrom('checkins as c')
    .leftJoin('help_requests as h', 'h.checkin_id', 'c.id')
    .select([
      'c.id as checkin_id',
      'c.team_id',
      'c.user_id',
      'c.competency_id',
      'c.text',
      'c.created_at as asked_at',
      'h.offered_by',
      'h.offered_at',
      'h.resolved_by',
      'h.resolved_at',
      'h.helped',
      'h.answered_at',
    ])
    .where('c.id', '=', checkinId)
    .where('c.needs_help', '=', true)
    .where('c.private', '=', false)
    .executeTakeFirst();
  return camelMaybe(row);
}

type Keys = { checkinId: string; teamId: string; userId: string };
const keys = (r: Keys) => ({ checkin_id: r.checkinId, team_id: r.teamId, user_id: r.userId });

/** Records who will help; false when it was resolved already, or this mentor offered before. */
export async function markOffered(db: Db, r: Keys, mentorId: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('help_requests')
    .values({ ...keys(r), offered_by: mentorId, offered_at: at })
    .onConflict((oc) =>
      oc
        .column('checkin_id')
        .doUpdateSet({ offered_by: mentorId, offered_at: at })
        .where('help_requests.resolved_at', 'is', null)
        .where(sql<boolean>`help_requests.offered_by is distinct from ${mentorId}`),
    )
    .returning('checkin_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks the request resolved, once; false when it was already. */
export async function markResolved(db: Db, r: Keys, by: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('help_requests')
    .values({ ...keys(r), resolved_by: by, resolved_at: at })
    .onConflict((oc) =>
      oc
        .column('checkin_id')
        .doUpdateSet({ resolved_by: by, resolved_at: at })
        .where('help_requests.resolved_at', 'is', null),
    )
    .returning('checkin_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The mentee's one answer to "did it help?"; false when not theirs, not resolved, or answered before. */
export async function markHelped(db: Db, checkinId: string, menteeId: string, helped: boolean, at: Date) {
  if (!isId(checkinId)) return false;
  const row = await db
    .updateTable('help_requests')
    .set({ helped, answered_at: at })
    .where('checkin_id', '=', checkinId)
    .where('user_id', '=', menteeId)
    .where('resolved_at', 'is not', null)
    .where('answered_at', 'is', null)
    .returning('checkin_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The optional line after "did it help?", once. */
export async function setHelpedNote(db: Db, checkinId: string, menteeId: string, note: string): Promise<boolean> {
  if (!isId(checkinId)) return false;
  const row = await db
    .updateTable('help_requests')
    .set({ helped_note: note })
    .where('checkin_id', '=', checkinId)
    .where('user_id', '=', menteeId)
    .where('answered_at', 'is not', null)
    .where('helped_note', 'is', null)
    .returning('checkin_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Each member's help requests resolved within their span (a quarter's instants), the competency of
 * each, oldest first: one statement for the batch, shared check-ins only.
 */
export async function resolvedHelpIn(
  db: Db,
  members: readonly { teamId: string; userId: string; start: Date; end: Date }[],
): Promise<Map<string, (string | null)[]>> {
  if (!members.length) return new Map();
  const keys = rows(
    'k',
    { team_id: 'text', user_id: 'text', q_start: 'timestamptz', q_end: 'timestamptz' },
    members.map((m) => ({
      team_id: m.teamId,
      user_id: m.userId,
      q_start: m.start.toISOString(),
      q_end: m.end.toISOString(),
    })),
  );
  const r = await sql<{ team_id: string; user_id: string; competency_id: string | null }>`
    select k.team_id, k.user_id, c.competency_id
    from ${keys}
    join help_requests h on h.team_id = k.team_id and h.user_id = k.user_id
      and h.resolved_at >= k.q_start and h.resolved_at < k.q_end
    join checkins c on c.id = h.checkin_id ${visibleTo('others')}
    order by h.resolved_at, c.id`.execute(db);
  const byMember = groupBy(r.rows, (x) => memberKey(x.team_id, x.user_id));
  return new Map([...byMember].map(([k, list]) => [k, list.map((x) => x.competency_id)]));
}

/** Forget-me: their own requests go; their name leaves requests they offered or resolved. */
export async function forgetHelpRequests(db: Db, teamId: string, userId: string): Promise<number> {
  const gone = await db
    .deleteFrom('help_requests')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  await db
    .updateTable('help_requests')
    .set({ offered_by: null, offered_at: null })
    .where('team_id', '=', teamId)
    .where('offered_by', '=', userId)
    .execute();
  await db
    .updateTable('help_requests')
    .set({ resolved_by: null })
    .where('team_id', '=', teamId)
    .where('resolved_by', '=', userId)
    .execute();
  return Number(gone.numDeletedRows);
}

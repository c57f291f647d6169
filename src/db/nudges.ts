import { type Selectable, sql } from 'kysely';
import { type Camel, camel, camelMaybe, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import { memberRows, rows } from './rows.ts';
import type { Member, MembersTable, Nudge, NudgeOutcome } from './schema.ts';

export interface MemberKey {
  teamId: string;
  userId: string;
}

/** A prompt in a member's history, as it leaves this folder. */
export type NudgeHistoryRow = Camel<HistoryRow>;

interface HistoryRow {
  team_id: string;
  user_id: string;
  week: string;
  competency_id: string;
  prompt_id: string;
  outcome: NudgeOutcome;
  delivered: boolean;
}

/** Every member's prompts of the last year, with whether each was delivered: one query for a batch. */
export async function nudgeHistory(db: Db, keys: readonly MemberKey[], sinceWeek: string): Promise<NudgeHistoryRow[]> {
  if (!keys.length) return [];
  const r = await sql<HistoryRow>`
    select n.team_id, n.user_id, n.week, n.competency_id, n.prompt_id, n.outcome,
           coalesce(d.status = 'sent', false) as delivered
    from ${memberRows('k', keys)}
    join nudges n on n.team_id = k.team_id and n.user_id = k.user_id
    left join deliveries d on d.nudge_id = n.id and d.kind = 'prompt'
    where n.week >= ${sinceWeek}`.execute(db);
  return camelRows(r.rows);
}

/** A member's latest check-in on one competency, as it leaves this folder. */
export type LatestCheckinRow = Camel<LatestRow>;

interface LatestRow {
  team_id: string;
  user_id: string;
  competency_id: string;
  at: Date;
  rating: number | null;
}

/** The latest check-in per member and competency, for a batch of members. */
export async function latestCheckins(db: Db, keys: readonly MemberKey[]): Promise<LatestCheckinRow[]> {
  if (!keys.length) return [];
  const r = await sql<LatestRow>`
    select distinct on (c.team_id, c.user_id, c.competency_id)
           c.team_id, c.user_id, c.competency_id, c.created_at as at, c.rating
    from ${memberRows('k', keys)}
    join checkins c on c.team_id = k.team_id and c.user_id = k.user_id
    where c.competency_id is not null
    order by c.team_id, c.user_id, c.competency_id, c.created_at desc, c.id desc`.execute(db);
  return camelRows(r.rows);
}

export async function getNudge(db: Db, id: string): Promise<Nudge | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return camelMaybe(await db.selectFrom('nudges').selectAll().where('id', '=', id).executeTakeFirst());
}

/** The member's nudge for a week, with where its DM is (for updating it). */
export async function nudgeForWeek(db: Db, teamId: string, userId: string, week: string) {
  const row = await db
    .selectFrom('nudges as n')
    .leftJoin('deliveries as d', (j) => j.onRef('d.nudge_id', '=', 'n.id').on('d.kind', '=', 'prompt'))
    .selectAll('n')
    .select(['d.channel', 'd.message_ts', 'd.status as delivery_status'])
    .where('n.team_id', '=', teamId)
    .where('n.user_id', '=', userId)
    .where('n.week', '=', week)
    .executeTakeFirst();
  return camelMaybe(row);
}

/** The prompt whose DM (or reminder) is this message: a reply in its thread answers it. */
export async function promptOfMessage(db: Db, teamId: string, channel: string, ts: string): Promise<Nudge | undefined> {
  const row = await db
    .selectFrom('nudges as n')
    .innerJoin('deliveries as d', (j) => j.onRef('d.nudge_id', '=', 'n.id').on('d.kind', 'in', ['prompt', 'reminder']))
    .selectAll('n')
    .where('d.team_id', '=', teamId)
    .where('d.channel', '=', channel)
    .where('d.message_ts', '=', ts)
    .executeTakeFirst();
  return camelMaybe(row);
}

/** Where a nudge's DM is, for updating it. */
export async function nudgeMessage(db: Db, nudgeId: string) {
  const row = await db
    .selectFrom('deliveries')
    .select(['channel', 'message_ts'])
    .where('nudge_id', '=', nudgeId)
    .where('kind', '=', 'prompt')
    .where('status', '=', 'sent')
    .executeTakeFirst();
  return camelMaybe(row);
}

/**
 * Records what the member did with a prompt. An answer wins over anything; a skip only
 * replaces an open or missed prompt, so a late click cannot undo an answer.
 */
export async function setNudgeOutcome(
  db: Db,
  nudgeId: string,
  userId: string,
  outcome: 'answered' | 'skipped',
  now: Date,
): Promise<Nudge | undefined> {
  const from: NudgeOutcome[] = outcome === 'answered' ? ['open', 'missed', 'skipped'] : ['open', 'missed'];
  const updated = await db
    .updateTable('nudges')
    .set({ outcome, updated_at: now })
    .where('id', '=', nudgeId)
    .where('user_id', '=', userId)
    .where('outcome', 'in', from)
    .returningAll()
    .executeTakeFirst();
  return camelMaybe(
    updated ??
      (await db
        .selectFrom('nudges')
        .selectAll()
        .where('id', '=', nudgeId)
        .where('user_id', '=', userId)
        .executeTakeFirst()),
  );
}

/**
 * An answer was taken back (its check-in deleted): the prompt is open again, unless another
 * check-in still answers it. Undefined when nothing changed.
 */
export async function reopenNudge(db: Db, nudgeId: string, userId: string, now: Date): Promise<Nudge | undefined> {
  const row = await db
    .updateTable('nudges')
    .set({ outcome: 'open', updated_at: now })
    .where('id', '=', nudgeId)
    .where('user_id', '=', userId)
    .where('outcome', '=', 'answered')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('checkins').select('checkins.id').whereRef('checkins.nudge_id', '=', 'nudges.id'))),
    )
    .returningAll()
    .executeTakeFirst();
  return camelMaybe(row);
}

/** Prompts of weeks that have ended with no answer and no skip become `missed`. */
export async function closePastWeeks(
  db: Db,
  current: readonly (MemberKey & { week: string })[],
  now: Date,
): Promise<number> {
  if (!current.length) return 0;
  const keys = current.map((k) => ({ team_id: k.teamId, user_id: k.userId, week: k.week }));
  const r = await sql`
    update nudges n set outcome = 'missed', updated_at = ${now}
    from ${rows('k', { team_id: 'text', user_id: 'text', week: 'text' }, keys)}
    where n.team_id = k.team_id and n.user_id = k.user_id and n.week < k.week and n.outcome = 'open'`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export interface MemberAndWeek {
  member: Member | undefined;
  /** Their nudge of the local week `at` falls in, if any. */
  nudge: { id: string; week: string; competencyId: string; outcome: NudgeOutcome } | undefined;
}

/** For many people at once: the member row and this week's nudge, in one query (week taken in their own timezone). */
export async function membersWithNudges(
  db: Db,
  keys: { teamId: string; userId: string; at: Date }[],
): Promise<MemberAndWeek[]> {
  const list = keys.map((k, i) => ({ i, team_id: k.teamId, user_id: k.userId, at: k.at.toISOString() }));
  const r = await sql<
    Selectable<MembersTable> & {
      i: number;
      nudge_id: string | null;
      nudge_week: string | null;
      nudge_competency_id: string | null;
      nudge_outcome: NudgeOutcome | null;
    }
  >`
    select k.i, m.*, n.id as nudge_id, n.week as nudge_week, n.competency_id as nudge_competency_id, n.outcome as nudge_outcome
    from ${rows('k', { i: 'int', team_id: 'text', user_id: 'text', at: 'timestamptz' }, list)}
    join members m on m.team_id = k.team_id and m.user_id = k.user_id
    left join nudges n on n.team_id = m.team_id and n.user_id = m.user_id and n.week = to_char(k.at at time zone m.tz, 'IYYY-"W"IW')`.execute(
    db,
  );
  const out: MemberAndWeek[] = keys.map(() => ({ member: undefined, nudge: undefined }));
  for (const { i, nudge_id, nudge_week, nudge_competency_id, nudge_outcome, ...member } of r.rows) {
    const nudge = nudge_id
      ? { id: nudge_id, week: nudge_week!, competencyId: nudge_competency_id!, outcome: nudge_outcome! }
      : undefined;
    out[i] = { member: camel(member), nudge };
  }
  return out;
}

/** Of these members' weeks, the prompts that were delivered and are still open (a reminder's reason). */
export async function openDeliveredNudges(db: Db, keys: readonly (MemberKey & { week: string })[]) {
  if (!keys.length) return [];
  const list = keys.map((k) => ({ team_id: k.teamId, user_id: k.userId, week: k.week }));
  const r = await sql<{ id: string; team_id: string; user_id: string; week: string }>`
    select n.id, n.team_id, n.user_id, n.week
    from ${rows('k', { team_id: 'text', user_id: 'text', week: 'text' }, list)}
    join nudges n on n.team_id = k.team_id and n.user_id = k.user_id and n.week = k.week
    join deliveries d on d.nudge_id = n.id and d.kind = 'prompt' and d.status = 'sent'
    where n.outcome = 'open'`.execute(db);
  return camelRows(r.rows);
}

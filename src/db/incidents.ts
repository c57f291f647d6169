import { type Selectable, sql } from 'kysely';
import { type Camel, camel, camelMaybe, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import { visibleTo } from './privacy.ts';
import { memberRows } from './rows.ts';
import type { IncidentParticipation, IncidentParticipationsTable, MemberStatus } from './schema.ts';

type ParticipationRow = Selectable<IncidentParticipationsTable>;

/** Deliveries about one incident are claimed once per member and incident: this is their `ref`. */
export const incidentRef = (id: string) => `incident:${id}`;
/** The `week` of deliveries that are once per subject rather than once a week. */
export const ONCE = 'once';

export interface NewParticipation {
  teamId: string;
  userId: string;
  key: string;
  source: 'command' | 'channel';
  link?: string | null;
  title?: string | null;
  channelId?: string | null;
  at: Date;
}

/**
 * Records that a member took part in an incident, once: the same incident again (a second
 * `/growth incident` with the same link, a second join, a retried event) finds the first row.
 * Only members who joined growthbot are recorded; anyone else gives `undefined`.
 */
export async function recordParticipation(
  db: Db,
  p: NewParticipation,
): Promise<{ row: IncidentParticipation; created: boolean } | undefined> {
  const r = await sql<ParticipationRow & { created: boolean }>`
    with member as (
      select team_id, user_id from members
      where team_id = ${p.teamId} and user_id = ${p.userId} and joined_at is not null and level is not null and status <> 'left'
    ), inserted as (
      insert into incident_participations (team_id, user_id, incident_key, source, link, title, channel_id, reported_at, created_at)
      select team_id, user_id, ${p.key}, ${p.source}, ${p.link ?? null}, ${p.title ?? null}, ${p.channelId ?? null}, ${p.at}, ${p.at} from member
      on conflict (team_id, user_id, incident_key) do nothing
      returning *
    )
    select *, true as created from inserted
    union all
    select p.*, false as created from incident_participations p join member m using (team_id, user_id)
    where p.incident_key = ${p.key}`.execute(db);
  // Another transaction inserted it while this one ran: read it again, now that it is committed.
  const again = r.rows.length
    ? r.rows
    : (
        await sql<ParticipationRow & { created: boolean }>`
    select p.*, false as created from incident_participations p
    where p.team_id = ${p.teamId} and p.user_id = ${p.userId} and p.incident_key = ${p.key}`.execute(db)
      ).rows;
  const row = again.find((x) => x.created) ?? again[0];
  if (!row) return undefined;
  const { created, ...rest } = row;
  return { row: camel(rest), created };
}

/** A member wrote in an incident channel: only the time is kept. */
export async function noteChannelMessage(
  db: Db,
  teamId: string,
  channelId: string,
  userId: string,
  at: Date,
): Promise<number> {
  const r = await db
    .updateTable('incident_participations')
    .set({ last_message_at: at })
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_message_at', 'is', null), eb('last_message_at', '<', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The incident channel was archived: the incident is over for everyone in it. */
export async function noteChannelArchived(db: Db, teamId: string, channelId: string, at: Date): Promise<number> {
  const r = await db
    .updateTable('incident_participations')
    .set({ archived_at: at })
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

type PendingRow = ParticipationRow & { tz: string; member_status: MemberStatus };
export type PendingParticipation = Camel<PendingRow>;

/** Participations whose reflection has not been claimed yet, with the member's zone and status. */
export async function pendingReflections(db: Db): Promise<PendingParticipation[]> {
  const r = await sql<PendingRow>`
    select p.*, m.tz, m.status as member_status
    from incident_participations p
    join members m on m.team_id = p.team_id and m.user_id = p.user_id
    where m.status <> 'left' and not exists (
      select 1 from deliveries d
      where d.team_id = p.team_id and d.user_id = p.user_id and d.kind = 'reflection' and d.week = ${ONCE} and d.ref = 'incident:' || p.id
    )
    order by p.id`.execute(db);
  return camelRows(r.rows);
}

/** Reflections that named an action item and whose follow-up has not been claimed yet. */
export async function pendingFollowUps(db: Db): Promise<PendingParticipation[]> {
  const r = await sql<PendingRow>`
    select p.*, m.tz, m.status as member_status
    from incident_participations p
    join members m on m.team_id = p.team_id and m.user_id = p.user_id
    where m.status <> 'left' and p.action_item is not null and p.reflected_at is not null and not exists (
      select 1 from deliveries d
      where d.team_id = p.team_id and d.user_id = p.user_id and d.kind = 'follow_up' and d.week = ${ONCE} and d.ref = 'incident:' || p.id
    )
    order by p.id`.execute(db);
  return camelRows(r.rows);
}

export async function participationsByIds(db: Db, ids: readonly string[]): Promise<Map<string, IncidentParticipation>> {
  const valid = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (!valid.length) return new Map();
  const rows = await db.selectFrom('incident_participations').selectAll().where('id', 'in', valid).execute();
  return new Map(rows.map((r) => [r.id, camel(r)]));
}

/** The member's own participation (a button names it; anyone else's is not theirs to answer). */
export async function ownParticipation(db: Db, id: string, userId: string): Promise<IncidentParticipation | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db
    .selectFrom('incident_participations')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return camelMaybe(row);
}

/** Where the reflection DM about a participation is, for settling its button once answered. */
export async function reflectionDm(db: Db, participation: IncidentParticipation) {
  return camelMaybe(
    await db
      .selectFrom('deliveries')
      .select(['channel', 'message_ts'])
      .where('team_id', '=', participation.teamId)
      .where('user_id', '=', participation.userId)
      .where('kind', '=', 'reflection')
      .where('ref', '=', incidentRef(participation.id))
      .where('status', '=', 'sent')
      .executeTakeFirst(),
  );
}

/** Links a reflection check-in (and the action item it named) to its incident; the first one counts. */
export async function saveReflection(
  db: Db,
  id: string,
  userId: string,
  checkinId: string,
  actionItem: string | null,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('incident_participations')
    .set({ checkin_id: checkinId, action_item: actionItem, reflected_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('reflected_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

interface WrittenReflectionRow {
  team_id: string;
  user_id: string;
  title: string | null;
  link: string | null;
  channel_id: string | null;
  text: string;
  created_at: Date;
}

export type WrittenReflection = Camel<WrittenReflectionRow>;

/** Incident reflections shared with others since `since` by a batch of members: one query for the batch. */
export async function reflectionsSince(
  db: Db,
  members: readonly { teamId: string; userId: string }[],
  since: Date,
): Promise<WrittenReflection[]> {
  if (!members.length) return [];
  const r = await sql<WrittenReflectionRow>`
    select p.team_id, p.user_id, p.title, p.link, p.channel_id,
           c.text, c.created_at
    from ${memberRows('k', members)}
    join incident_participations p on p.team_id = k.team_id and p.user_id = k.user_id
    join checkins c on c.id = p.checkin_id
    where c.created_at >= ${since} ${visibleTo('others')}
    order by c.created_at, c.id`.execute(db);
  return camelRows(r.rows);
}

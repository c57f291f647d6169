import { sql } from 'kysely';
import type { Db } from './create-db.ts';
import type { FeedInfo } from './oncall-feeds.ts';
import type {
  Checkin,
  Delivery,
  IncidentParticipation,
  Member,
  Mentorship,
  Nudge,
  OncallRetro,
  OncallShift,
} from './schema.ts';

export interface PersonData {
  member: Member | null;
  mentorships: Mentorship[];
  nudges: Nudge[];
  checkins: Checkin[];
  deliveries: Delivery[];
  /** Incidents they took part in, with their reflections' action items (channel messages are never stored). */
  incidents: IncidentParticipation[];
  /**
   * Their own on-call feed, with the address masked: the export is a file kept in Slack, and
   * the provider's token in the address would leave our database for it (they have the link).
   */
  oncall_feeds: FeedInfo[];
  /** Their shifts, from their own feed or a schedule's. */
  oncall_shifts: OncallShift[];
  /** Their on-call retros: the numbers and words of each. */
  retros: OncallRetro[];
}

/** Everything stored about one person: their own rows, and mentorships on either side. */
export async function personData(db: Db, teamId: string, userId: string): Promise<PersonData> {
  const [member, mentorships, nudges, checkins, deliveries, incidents, oncallFeeds, oncallShifts, retros] =
    await Promise.all([
      db
        .selectFrom('members')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
      db
        .selectFrom('mentorships')
        .selectAll()
        .where('team_id', '=', teamId)
        .where((eb) => eb.or([eb('mentor_id', '=', userId), eb('mentee_id', '=', userId)]))
        .orderBy('id')
        .execute(),
      db
        .selectFrom('nudges')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('week')
        .execute(),
      db
        .selectFrom('checkins')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('deliveries')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('incident_participations')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('oncall_feeds')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('owner_id', '=', userId)
        .orderBy('id')
        .execute()
        .then((feeds) => feeds.map(({ url: _secret, ...rest }) => rest)),
      db
        .selectFrom('oncall_shifts')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('starts_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('oncall_retros')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
    ]);
  return {
    member: member ?? null,
    mentorships,
    nudges,
    checkins,
    deliveries,
    incidents,
    oncall_feeds: oncallFeeds,
    oncall_shifts: oncallShifts,
    retros,
  };
}

/**
 * Deletes everything stored about a person in one transaction. Their rows hang off the
 * member row (ON DELETE CASCADE), and mentorships on either side go with it; the explicit
 * deletes make that true even for rows that somehow lost their member.
 */
export async function forgetPerson(db: Db, teamId: string, userId: string): Promise<Record<string, number>> {
  return db.transaction().execute(async (tx) => {
    const counts: Record<string, number> = {};
    const del = async (table: 'deliveries' | 'oncall_retros' | 'incident_participations' | 'checkins' | 'nudges') => {
      const r = await tx
        .deleteFrom(table)
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      counts[table] = Number(r.numDeletedRows);
    };
    const shifts = await tx
      .deleteFrom('oncall_shifts')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    counts.oncall_shifts = Number(shifts.numDeletedRows);
    const feeds = await tx
      .deleteFrom('oncall_feeds')
      .where('team_id', '=', teamId)
      .where('owner_id', '=', userId)
      .executeTakeFirst();
    counts.oncall_feeds = Number(feeds.numDeletedRows);
    // Schedule feeds they added belong to the team and stay; their name on them goes.
    await tx
      .updateTable('oncall_feeds')
      .set({ created_by: '' })
      .where('team_id', '=', teamId)
      .where('created_by', '=', userId)
      .execute();
    await del('deliveries');
    await del('incident_participations');
    await del('oncall_retros');
    await del('checkins');
    await del('nudges');
    const ms = await tx
      .deleteFrom('mentorships')
      .where('team_id', '=', teamId)
      .where((eb) => eb.or([eb('mentor_id', '=', userId), eb('mentee_id', '=', userId)]))
      .executeTakeFirst();
    counts.mentorships = Number(ms.numDeletedRows);
    const m = await tx
      .deleteFrom('members')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    counts.members = Number(m.numDeletedRows);
    return counts;
  });
}

/** Tables with a column naming a person, for checking that nothing is left (information_schema). */
export async function personColumns(db: Db): Promise<{ table: string; column: string }[]> {
  const r = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and column_name in ('user_id', 'mentor_id', 'mentee_id', 'owner_id', 'created_by') order by 1, 2`.execute(
    db,
  );
  return r.rows.map((x) => ({ table: x.table_name, column: x.column_name }));
}

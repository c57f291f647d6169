import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
//
// Incidents a member took part in: told by `/growth incident <link or title>`, or seen when
// they joined an incident channel. One row per member and incident (the key: the link, the
// title, or the channel). Only times are kept from the channel, never what was said there.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incident_participations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // 'link:https://…', 'title:checkout outage 3 dec' or 'channel:C123'
    .addColumn('incident_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('command', 'channel')`))
    .addColumn('link', 'text')
    .addColumn('title', 'text')
    .addColumn('channel_id', 'text')
    // When they told us, or joined the channel.
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_message_at', 'timestamptz')
    .addColumn('archived_at', 'timestamptz')
    // The reflection: its check-in, and the action item it named (if any).
    .addColumn('checkin_id', 'bigint', (c) => c.references('checkins.id').onDelete('set null'))
    .addColumn('action_item', 'text', (c) => c.check(sql`length(action_item) between 1 and 500`))
    .addColumn('reflected_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint(
      'incident_participations_member_fk',
      ['team_id', 'user_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .addUniqueConstraint('incident_participations_once', ['team_id', 'user_id', 'incident_key'])
    .execute();
  await sql`create index incident_participations_by_channel on incident_participations (team_id, channel_id) where channel_id is not null`.execute(
    db,
  );

  // Deliveries gain the incident kinds (and the on-call retro), and a reference to what they
  // are about, so that a reflection is claimed once per member and incident, not per week.
  await db.schema
    .alterTable('deliveries')
    .addColumn('ref', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`alter table deliveries drop constraint deliveries_kind_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_kind_check
    check (kind in ('prompt', 'reminder', 'digest', 'reflection', 'follow_up', 'retro'))`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_once`.execute(db);
  await sql`alter table deliveries add constraint deliveries_once unique (team_id, user_id, kind, week, ref)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from deliveries where kind in ('reflection', 'follow_up', 'retro') or ref <> ''`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_once`.execute(db);
  await sql`alter table deliveries add constraint deliveries_once unique (team_id, user_id, kind, week)`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_kind_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_kind_check check (kind in ('prompt', 'reminder', 'digest'))`.execute(
    db,
  );
  await db.schema.alterTable('deliveries').dropColumn('ref').execute();
  await db.schema.dropTable('incident_participations').ifExists().execute();
}

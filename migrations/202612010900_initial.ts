import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/. Every key carries the Slack team id, so a second
// workspace needs no migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('members')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // null level: a person we know of (e.g. someone's mentor) who has not joined.
    .addColumn('level', 'text', (c) => c.check(sql`level in ('junior', 'mid', 'senior', 'staff')`))
    .addColumn('display_name', 'text')
    .addColumn('tz', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('tz_checked_at', 'timestamptz')
    .addColumn('prompt_weekday', 'smallint', (c) => c.notNull().defaultTo(1).check(sql`prompt_weekday between 1 and 7`))
    .addColumn('prompt_minute', 'smallint', (c) =>
      c.notNull().defaultTo(600).check(sql`prompt_minute between 0 and 1439`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'paused', 'left')`),
    )
    .addColumn('paused_until', 'timestamptz')
    .addColumn('joined_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('members_pk', ['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('mentorships')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('mentor_id', 'text', (c) => c.notNull())
    .addColumn('mentee_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addForeignKeyConstraint(
      'mentorships_mentor_fk',
      ['team_id', 'mentor_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'mentorships_mentee_fk',
      ['team_id', 'mentee_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .addCheckConstraint('mentorships_not_self', sql`mentor_id <> mentee_id`)
    .execute();
  // One current mentor per mentee; ended rows are history.
  await sql`create unique index mentorships_current on mentorships (team_id, mentee_id) where ended_at is null`.execute(
    db,
  );
  await sql`create index mentorships_by_mentor on mentorships (team_id, mentor_id) where ended_at is null`.execute(db);

  await db.schema
    .createTable('nudges')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('week', 'text', (c) => c.notNull()) // ISO week of the member's local date, e.g. 2026-W49
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('competency_id', 'text', (c) => c.notNull())
    .addColumn('prompt_id', 'text', (c) => c.notNull())
    .addColumn('prompt_text', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`outcome in ('open', 'answered', 'skipped', 'missed')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('nudges_member_fk', ['team_id', 'user_id'], 'members', ['team_id', 'user_id'], (c) =>
      c.onDelete('cascade'),
    )
    .addUniqueConstraint('nudges_once_a_week', ['team_id', 'user_id', 'week'])
    .execute();

  await db.schema
    .createTable('checkins')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('competency_id', 'text')
    // The name at the time, so a competency later removed from the rubrics still reads well.
    .addColumn('competency_name', 'text')
    .addColumn('text', 'text', (c) => c.notNull().check(sql`length(text) between 1 and 3000`))
    .addColumn('rating', 'smallint', (c) => c.check(sql`rating between 1 and 4`))
    .addColumn('needs_help', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('evidence_url', 'text')
    .addColumn('private', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('modal', 'command', 'dm')`))
    .addColumn('nudge_id', 'bigint', (c) => c.references('nudges.id').onDelete('set null'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('checkins_member_fk', ['team_id', 'user_id'], 'members', ['team_id', 'user_id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  await sql`create index checkins_by_member on checkins (team_id, user_id, created_at desc)`.execute(db);

  // Every DM a job sends (prompt, reminder, digest) is claimed here first, once per
  // person, kind and local week, so re-runs, restarts and parallel instances send it at most once.
  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('prompt', 'reminder', 'digest')`))
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('nudge_id', 'bigint', (c) => c.references('nudges.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('claimed')
        .check(sql`status in ('claimed', 'sending', 'sent', 'failed', 'missed', 'skipped')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('channel', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addForeignKeyConstraint('deliveries_member_fk', ['team_id', 'user_id'], 'members', ['team_id', 'user_id'], (c) =>
      c.onDelete('cascade'),
    )
    .addUniqueConstraint('deliveries_once', ['team_id', 'user_id', 'kind', 'week'])
    .execute();
  await sql`create index deliveries_open on deliveries (status, next_attempt_at) where status in ('claimed', 'sending', 'failed')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['deliveries', 'checkins', 'nudges', 'mentorships', 'members']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
